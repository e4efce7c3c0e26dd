package web

import (
	"errors"
	"html/template"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/csrf"

	"github.com/commonplace-social/commonplace/internal/accounts"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

type loginView struct {
	CSRF  template.HTML
	Email string
	Next  string
	Error string
}

func (w *writing) loginForm(rw http.ResponseWriter, r *http.Request) {
	w.showLogin(rw, r, http.StatusOK, loginView{Next: safeNextOr(r.URL.Query().Get("next"), "")})
}

func (w *writing) showLogin(rw http.ResponseWriter, r *http.Request, status int, v loginView) {
	v.CSRF = csrf.TemplateField(r)
	w.render(rw, r, status, "login", page{Title: "Log in", Description: "Log in to write for your organisation.", Data: v})
}

// login checks the password. A client address that has been failing for
// this email is refused before any hashing (see accounts.Limiter), so
// guessing costs the guesser time and the server nothing.
func (w *writing) login(rw http.ResponseWriter, r *http.Request) {
	email := strings.ToLower(strings.TrimSpace(r.PostFormValue("email")))
	v := loginView{Email: email, Next: safeNextOr(r.PostFormValue("next"), "")}
	addr := w.clientIP(r)
	if wait := w.limiter.Wait(addr, email); wait > 0 {
		w.refuseLogin(rw, r, v, http.StatusTooManyRequests, wait,
			"Too many failed attempts. Wait "+waitText(wait)+" and try again.")
		return
	}
	a, err := w.accounts.Authenticate(r.Context(), email, r.PostFormValue("password"))
	if err != nil {
		switch {
		case errors.Is(err, accounts.ErrBusy):
			w.Log.Warn("login refused: password checks saturated", "remote", addr)
			w.refuseLogin(rw, r, v, http.StatusServiceUnavailable, time.Second,
				"The server is busy. Try again in a moment.")
		case model.ErrorCode(err) == model.EInvalid:
			w.limiter.Fail(addr, email)
			w.Log.Info("login failed", "remote", addr)
			// A sentence, capitalised, saying what to do (the error itself is lower case for wrapping).
			v.Error = "The " + model.ErrorMessage(accounts.ErrWrongCredentials) + ". Check both and try again."
			w.showLogin(rw, r, http.StatusUnauthorized, v)
		default:
			w.serverError(rw, r, err)
		}
		return
	}
	w.limiter.Succeed(addr, email)
	token, expires, err := w.accounts.StartSession(r.Context(), a)
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	w.setSession(rw, token, expires)
	w.Log.Info("login", "account", a.ID)
	if v.Next == "" {
		v.Next = landing(a)
	}
	http.Redirect(rw, r, v.Next, http.StatusSeeOther)
}

// landing is where a login without a next goes: admins to their admin page,
// authors to the compose form.
func landing(a *store.Account) string {
	if a.Role == store.RoleAdmin {
		return "/admin"
	}
	return defaultNext
}

// refuseLogin answers a login that was not checked, saying when to retry.
func (w *writing) refuseLogin(rw http.ResponseWriter, r *http.Request, v loginView, status int, wait time.Duration, msg string) {
	rw.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	v.Error = msg
	w.showLogin(rw, r, status, v)
}

// waitText says a wait in words: "30 seconds", "4 minutes".
func waitText(d time.Duration) string {
	if s := int(math.Ceil(d.Seconds())); s < 90 {
		return strconv.Itoa(s) + " seconds"
	}
	return strconv.Itoa(int(math.Ceil(d.Minutes()))) + " minutes"
}

// logout ends the session in the database, not only in the browser, so a
// copied cookie stops working too.
func (w *writing) logout(rw http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(w.sessionCookie()); err == nil {
		if err := w.accounts.EndSession(r.Context(), c.Value); err != nil {
			w.serverError(rw, r, err)
			return
		}
	}
	w.clearSession(rw)
	http.Redirect(rw, r, "/", http.StatusSeeOther)
}
