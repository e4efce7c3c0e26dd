package web

import (
	"html/template"
	"net/http"

	"github.com/gorilla/csrf"

	"github.com/commonplace-social/commonplace/internal/accounts"
	"github.com/commonplace-social/commonplace/internal/model"
)

// commentRemoval is the Remove button under one comment, shown only to the
// admins of the organisation whose post it is.
type commentRemoval struct {
	CSRF  template.HTML
	ID    int64
	Label string // the button's accessible name, naming the commenter
}

// withModerator lets a public page know when an admin is reading it, so
// it can offer them buttons. Anonymous readers are served exactly as
// before: no session lookup beyond the cookie check, no CSRF cookie, so
// the page stays the same for everyone else. An admin's request goes
// through the CSRF protection the writing pages use (its forms post to
// them) and is marked private.
func (s *Server) withModerator(h http.HandlerFunc) http.Handler {
	wr := &writing{Server: s, accounts: &accounts.Service{Store: s.Store}}
	protected := s.csrfProtect()(h)
	return wr.withAccount(func(rw http.ResponseWriter, r *http.Request) {
		if a := account(r); a != nil && a.IsAdmin() {
			rw.Header().Set("Cache-Control", "private, no-store")
			protected.ServeHTTP(rw, r)
			return
		}
		h(rw, r)
	})
}

// addRemoveButtons gives each comment its Remove button when the reader is
// an admin of the post's organisation.
func addRemoveButtons(r *http.Request, p *model.Post, comments []commentView) {
	a := account(r)
	if a == nil || !a.Manages(p.AuthorID) {
		return
	}
	field := csrf.TemplateField(r)
	for i := range comments {
		comments[i].Remove = &commentRemoval{CSRF: field, ID: comments[i].Post.ID, Label: "Remove the comment by " + comments[i].Handle}
	}
}
