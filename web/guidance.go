package web

import (
	"net/http"
	"time"

	"github.com/commonplace-social/commonplace/internal/model"
)

// guidanceView is one piece of guidance on the library shelf.
type guidanceView struct {
	Post        *model.Post
	Title       string
	Link        string
	OrgName     string
	OrgURL      string
	LastUpdated time.Time
}

type topicView struct {
	Topic string
	Items []guidanceView
}

// guidance is the library: every organisation's guidance, by topic, each
// with the date it last changed, since stale guidance misleads.
func (s *Server) guidance(w http.ResponseWriter, r *http.Request) {
	topics, err := s.Store.GuidanceByTopic(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	views := make([]topicView, 0, len(topics))
	for _, t := range topics {
		v := topicView{Topic: t.Topic}
		if v.Topic == "" {
			v.Topic = "Other"
		}
		for _, p := range t.Posts {
			g := guidanceView{Post: p, Title: p.Title, Link: s.postLink(p), LastUpdated: lastChange(p)}
			if g.Title == "" {
				g.Title = summaryLine(p.Summary, "Guidance")
			}
			if p.Author != nil {
				g.OrgName, g.OrgURL = p.Author.Name, s.orgLink(p.Author)
			}
			v.Items = append(v.Items, g)
		}
		views = append(views, v)
	}
	s.render(w, r, http.StatusOK, "guidance", page{
		Title:       "Guidance library",
		Description: "Guidance from health and social care organisations across the network, by topic.",
		URL:         s.Layout.Base + "/guidance",
		Data:        views,
	})
}
