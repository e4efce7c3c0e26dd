package web

import (
	"net/http"

	"github.com/commonplace-social/commonplace/internal/accounts"
)

// viewer is the logged-in account reading a page, or nil. Reading pages
// do not load the session (only the writing routes do), so this reads the
// cookie itself; an unknown or expired session is simply a visitor.
func (s *Server) viewer(r *http.Request) *accounts.Account {
	if a := account(r); a != nil {
		return a
	}
	c, err := r.Cookie((&writing{Server: s}).sessionCookie())
	if err != nil {
		return nil
	}
	a, err := (&accounts.Service{Store: s.Store}).Session(r.Context(), c.Value)
	if err != nil {
		return nil
	}
	return a
}
