package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"

	"github.com/gorilla/csrf"
)

// csrfKeySetting stores the CSRF key, so every server process of one
// instance (and a restart) accepts the tokens the others issued.
const csrfKeySetting = "web_csrf_key"

// csrfProtect wraps handlers in gorilla/csrf. Over https (Deps.Secure) the
// cookie is Secure and gorilla's strict Origin/Referer checks apply; in
// local-testing mode over plain http each request is marked plaintext, so
// the checks compare against http://host and same-origin forms pass while
// cross-origin ones still fail.
func (s *Server) csrfProtect() func(http.Handler) http.Handler {
	protect := csrf.Protect(s.csrfKey(),
		csrf.Secure(s.Secure), csrf.HttpOnly(true), csrf.Path("/"),
		csrf.SameSite(csrf.SameSiteLaxMode), csrf.CookieName("commonplace_csrf"), csrf.FieldName("csrf_token"),
		csrf.ErrorHandler(http.HandlerFunc(s.csrfFailed)))
	return func(h http.Handler) http.Handler {
		p := protect(h)
		if s.Secure {
			return p
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			p.ServeHTTP(w, csrf.PlaintextHTTPRequest(r))
		})
	}
}

// csrfKey reads the instance's 32-byte key, creating it on first use. If the
// database cannot be reached, a per-process key keeps forms working here.
func (s *Server) csrfKey() []byte {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	stored, err := s.Store.SetSettingOnce(context.Background(), csrfKeySetting, hex.EncodeToString(b))
	if err == nil {
		if k, err := hex.DecodeString(stored); err == nil && len(k) == 32 {
			return k
		}
	}
	s.Log.Warn("csrf key not stored; using a key for this process only", "err", err)
	return b
}

func (s *Server) csrfFailed(w http.ResponseWriter, r *http.Request) {
	s.Log.Info("csrf check failed", "path", r.URL.Path, "reason", csrf.FailureReason(r))
	if s.keepRefusedForm(w, r) { // a compose or edit form's text is kept, not lost
		return
	}
	s.render(w, r, http.StatusForbidden, "error", page{Title: "Form expired",
		Data: map[string]string{"Heading": "This form has expired", "Text": "Go back, reload the page and send the form again."}})
}
