package web

import (
	"html/template"
	"net/http"
	"net/url"

	"github.com/commonplace-social/commonplace/internal/media"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

type profileData struct {
	Org       *model.Actor
	Handle    string
	ActorIRI  string
	Counts    store.FollowCounts
	Paragraph []string
	Items     template.HTML
	Empty     bool
	CanWrite  bool // the reader writes for this organisation: an empty page offers the first post
	Older     string
	FeedURL   string
	AvatarURL string    // absolute, for og:image; "" without an avatar
	Networks  []navLink // the networks here it is a member of
}

// profile is an organisation's page: who they are, how many follow them,
// the handle to follow them by from Mastodon, and their posts, paged.
func (s *Server) profile(w http.ResponseWriter, r *http.Request, org *model.Actor) {
	after, ok := parseCursor(r.URL.Query().Get("before"))
	if !ok {
		s.badRequest(w, r, "The link to older posts is not one this site made.")
		return
	}
	counts, err := s.Store.CountFollows(r.Context(), org.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	res, err := s.Store.OutboxPosts(r.Context(), org.ID, after, pageSize)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	for _, p := range res.Posts {
		p.Author = org // OutboxPosts loads it; the same row either way
	}
	items, err := s.renderItems(r.Context(), res.Posts, true)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	handle := org.Handle(s.Layout.Host())
	d := profileData{Org: org, Handle: handle, ActorIRI: s.Layout.Actor(org.Username),
		Counts: counts, Paragraph: paragraphs(org.Summary), Items: items, Empty: len(res.Posts) == 0,
		FeedURL: s.Layout.Profile(org.Username) + "/feed.atom"}
	if org.AvatarKey != "" {
		d.AvatarURL = media.URL(s.Layout.Base, org.AvatarKey)
	}
	nets, err := s.Store.NetworksOfMember(r.Context(), org.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	for _, n := range nets {
		d.Networks = append(d.Networks, navLink{Href: "/@" + n.Username, Label: n.Name})
	}
	if d.Empty && after == nil {
		if a := s.viewer(r); a != nil {
			d.CanWrite = a.Writes(org.ID)
		}
	}
	if res.Next != nil {
		d.Older = r.URL.Path + "?" + url.Values{"before": {formatCursor(res.Next)}}.Encode()
	}
	s.render(w, r, http.StatusOK, "profile", page{
		Title:       org.Name + " (" + handle + ")",
		Description: summaryLine(org.Summary, org.Name+" on Commonplace"),
		URL:         s.Layout.Profile(org.Username),
		Creator:     handle,
		Data:        d,
	})
}
