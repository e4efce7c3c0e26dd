package web

import (
	"net/http"
	"strings"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

type orgCard struct {
	Org    *model.Actor
	Handle string
	URL    string
}

// home is the combined timeline: this instance's organisations and those
// they follow, newest first, with the local organisations listed after it.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	list, err := s.Store.LocalActors(r.Context(), model.ActorOrganization)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	cards := make([]orgCard, 0, len(list))
	for _, o := range list {
		cards = append(cards, orgCard{Org: o, Handle: o.Handle(s.Layout.Host()), URL: s.Layout.Profile(o.Username)})
	}
	// No title or description: the layout shows the site's own (site.go).
	s.timelinePage(w, r, "/", store.TimelineFilter{}, page{
		URL: s.Layout.Base + "/",
	}, timelineData{Orgs: cards, FeedURL: s.Layout.Base + "/feed.atom"})
}

func paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// summaryLine is a one-line description for <meta> and Open Graph tags.
func summaryLine(s, fallback string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return fallback
	}
	if r := []rune(s); len(r) > 200 {
		return string(r[:199]) + "…"
	}
	return s
}
