package web

import (
	"net/http"

	"github.com/gorilla/mux"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

type profileData struct {
	Org       *model.Actor
	Handle    string
	ActorIRI  string
	Counts    store.FollowCounts
	Paragraph []string
}

// profile is an organisation's page: who they are, how many follow them and
// the handle to follow them by from Mastodon.
func (s *Server) profile(w http.ResponseWriter, r *http.Request) {
	org, err := s.Orgs.Get(r.Context(), mux.Vars(r)["username"])
	if model.ErrorCode(err) == model.ENotFound {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	counts, err := s.Store.CountFollows(r.Context(), org.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	handle := org.Handle(s.Layout.Host())
	s.render(w, r, http.StatusOK, "profile", page{
		Title:       org.Name + " (" + handle + ")",
		Description: summaryLine(org.Summary, org.Name+" on Commonplace"),
		URL:         s.Layout.Profile(org.Username),
		Data: profileData{Org: org, Handle: handle, ActorIRI: s.Layout.Actor(org.Username),
			Counts: counts, Paragraph: paragraphs(org.Summary)},
	})
}
