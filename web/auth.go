package web

import (
	"html/template"
	"net"
	"net/http"
	"strings"

	"github.com/gorilla/csrf"

	"github.com/commonplace-social/commonplace/internal/accounts"
	"github.com/commonplace-social/commonplace/internal/model"
)

type loginView struct {
	CSRF  template.HTML
	Email string
	Next  string
	Error string
}

func (w *writing) loginForm(rw http.ResponseWriter, r *http.Request) {
	w.showLogin(rw, r, http.StatusOK, loginView{Next: safeNext(r.URL.Query().Get("next"))})
}

func (w *writing) showLogin(rw http.ResponseWriter, r *http.Request, status int, v loginView) {
	v.CSRF = csrf.TemplateField(r)
	w.render(rw, r, status, "login", page{Title: "Log in", Description: "Log in to write for your organisation.", Data: v})
}

// login checks the password, counting failures per IP and per email so
// guessing is slowed down even across many addresses or many accounts.
func (w *writing) login(rw http.ResponseWriter, r *http.Request) {
	email := strings.ToLower(strings.TrimSpace(r.PostFormValue("email")))
	v := loginView{Email: email, Next: safeNext(r.PostFormValue("next"))}
	ipKey, emailKey := "ip:"+w.clientIP(r), "email:"+email
	if w.limiter.Blocked(ipKey, emailKey) {
		v.Error = "Too many failed attempts. Wait 15 minutes and try again."
		w.showLogin(rw, r, http.StatusTooManyRequests, v)
		return
	}
	a, err := w.accounts.Authenticate(r.Context(), email, r.PostFormValue("password"))
	if err != nil {
		if model.ErrorCode(err) == model.EInvalid {
			w.limiter.Fail(ipKey, emailKey)
			w.Log.Info("login failed", "remote", w.clientIP(r))
			v.Error = model.ErrorMessage(accounts.ErrWrongCredentials)
			w.showLogin(rw, r, http.StatusUnauthorized, v)
			return
		}
		w.serverError(rw, r, err)
		return
	}
	w.limiter.Reset(emailKey)
	token, expires, err := w.accounts.StartSession(r.Context(), a)
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	w.setSession(rw, token, expires)
	w.Log.Info("login", "account", a.ID)
	http.Redirect(rw, r, v.Next, http.StatusSeeOther)
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

// safeNext keeps a post-login redirect on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/compose"
	}
	return next
}

func (s *Server) clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if !s.BehindProxy {
		return host
	}
	// Only a proxy on this machine is trusted, and only the address it
	// appended (the last one): earlier entries are whatever the client sent.
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return host
	}
	fwd := r.Header.Values("X-Forwarded-For")
	if len(fwd) == 0 {
		return host
	}
	parts := strings.Split(fwd[len(fwd)-1], ",")
	if last := strings.TrimSpace(parts[len(parts)-1]); net.ParseIP(last) != nil {
		return last
	}
	return host
}
