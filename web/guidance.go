package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
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

// guidancePerPage bounds a library page: a network's guidance grows with
// the years, and a page must stay quick to serve and to read.
const guidancePerPage = 100

// guidanceData is what guidance.html shows.
type guidanceData struct {
	Topics []topicView
	More   string // link to the next page, "" on the last
}

// guidance is the library: every organisation's guidance, by topic, each
// with the date it last changed, since stale guidance misleads. It goes on
// over further pages, following ?topic= and ?before= from the last item.
func (s *Server) guidance(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var after *store.GuidanceCursor
	if q.Has("before") {
		c, ok := parseCursor(q.Get("before"))
		if !ok || c == nil {
			s.badRequest(w, r, "The link to more guidance is not one this site made.")
			return
		}
		after = &store.GuidanceCursor{Topic: q.Get("topic"), Revised: c.Published, ID: c.ID}
	}
	res, err := s.Store.GuidanceByTopic(r.Context(), after, guidancePerPage)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	d := guidanceData{Topics: make([]topicView, 0, len(res.Topics))}
	for _, t := range res.Topics {
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
		d.Topics = append(d.Topics, v)
	}
	if n := res.Next; n != nil {
		d.More = "/guidance?" + url.Values{"topic": {n.Topic},
			"before": {formatCursor(&store.Cursor{Published: n.Revised, ID: n.ID})}}.Encode()
	}
	s.render(w, r, http.StatusOK, "guidance", page{
		Title:       "Guidance library",
		Description: "Guidance from health and social care organisations across the network, by topic.",
		URL:         s.Layout.Base + "/guidance",
		Data:        d,
	})
}
