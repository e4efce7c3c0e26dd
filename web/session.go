package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/commonplace-social/commonplace/internal/accounts"
	"github.com/commonplace-social/commonplace/internal/store"
)

type accountKey struct{}

// sessionCookie names the login cookie (see sessionCookieName).
func (s *Server) sessionCookie() string { return sessionCookieName(s.Secure) }

// withAccount loads the logged-in account, if any, into the request.
func (w *writing) withAccount(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(w.sessionCookie())
		if err == nil {
			a, err := w.accounts.Session(r.Context(), c.Value)
			switch {
			case err == nil:
				r = r.WithContext(context.WithValue(r.Context(), accountKey{}, a))
			case !errors.Is(err, store.ErrNotFound):
				w.serverError(rw, r, err)
				return
			}
		}
		h(rw, r)
	})
}

// account returns the logged-in account, or nil.
func account(r *http.Request) *accounts.Account {
	a, _ := r.Context().Value(accountKey{}).(*accounts.Account)
	return a
}

// requireLogin sends visitors without a session to the login form.
func (w *writing) requireLogin(h http.HandlerFunc) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		if account(r) == nil {
			http.Redirect(rw, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		h(rw, r)
	}
}

// requireAdmin lets only admins through.
func (w *writing) requireAdmin(h http.HandlerFunc) http.HandlerFunc {
	return w.requireLogin(func(rw http.ResponseWriter, r *http.Request) {
		if !account(r).IsAdmin() {
			w.forbidden(rw, r, "Only an admin of your organisation can open this page.")
			return
		}
		h(rw, r)
	})
}

func (w *writing) setSession(rw http.ResponseWriter, token string, expires time.Time) {
	http.SetCookie(rw, &http.Cookie{Name: w.sessionCookie(), Value: token, Path: "/", Expires: expires,
		MaxAge: int(time.Until(expires).Seconds()), HttpOnly: true, Secure: w.Secure, SameSite: http.SameSiteLaxMode})
}

func (w *writing) clearSession(rw http.ResponseWriter) {
	http.SetCookie(rw, &http.Cookie{Name: w.sessionCookie(), Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: w.Secure, SameSite: http.SameSiteLaxMode})
}

func (w *writing) forbidden(rw http.ResponseWriter, r *http.Request, text string) {
	w.render(rw, r, http.StatusForbidden, "error", page{Title: "Not allowed",
		Data: map[string]string{"Heading": "Not allowed", "Text": text}})
}
