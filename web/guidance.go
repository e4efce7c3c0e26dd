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
	// Of is the network whose members' library this is, at OfURL; nil for
	// the whole instance's.
	Of    *model.Actor
	OfURL string
}

// guidance is the library: every organisation's guidance, by topic, each
// with the date it last changed, since stale guidance misleads. It goes on
// over further pages, following ?topic= and ?before= from the last item.
func (s *Server) guidance(w http.ResponseWriter, r *http.Request) {
	after, ok := guidanceCursor(r)
	if !ok {
		s.badRequest(w, r, "The link to more guidance is not one this site made.")
		return
	}
	res, err := s.Store.GuidanceByTopic(r.Context(), after, guidancePerPage)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "guidance", page{
		Title:       "Guidance library",
		Description: "Guidance from health and social care organisations across the network, by topic.",
		URL:         s.Layout.Base + "/guidance",
		Data:        s.guidanceShelves(res, "/guidance"),
	})
}

// guidanceCursor reads a library page's ?topic= and ?before=; none is the
// first page, and ok is false for a cursor this site did not make.
func guidanceCursor(r *http.Request) (after *store.GuidanceCursor, ok bool) {
	q := r.URL.Query()
	if !q.Has("before") {
		return nil, true
	}
	c, ok := parseCursor(q.Get("before"))
	if !ok || c == nil {
		return nil, false
	}
	return &store.GuidanceCursor{Topic: q.Get("topic"), Revised: c.Published, ID: c.ID}, true
}

// guidanceShelves is a page of the library as guidance.html shows it;
// base is the page's path, for the link to the next.
func (s *Server) guidanceShelves(res store.GuidancePage, base string) guidanceData {
	d := guidanceData{Topics: make([]topicView, 0, len(res.Topics))}
	for _, t := range res.Topics {
		v := topicView{Topic: t.Topic}
		if v.Topic == "" {
			v.Topic = "Other"
		}
		for _, p := range t.Posts {
			v.Items = append(v.Items, s.guidanceItem(p))
		}
		d.Topics = append(d.Topics, v)
	}
	if n := res.Next; n != nil {
		d.More = base + "?" + url.Values{"topic": {n.Topic},
			"before": {formatCursor(&store.Cursor{Published: n.Revised, ID: n.ID})}}.Encode()
	}
	return d
}

// guidanceItem is one piece of guidance as a shelf lists it.
func (s *Server) guidanceItem(p *model.Post) guidanceView {
	g := guidanceView{Post: p, Title: p.Title, Link: s.postLink(p), LastUpdated: lastChange(p)}
	if g.Title == "" {
		g.Title = summaryLine(p.Summary, "Guidance")
	}
	if p.Author != nil {
		g.OrgName, g.OrgURL = p.Author.Name, s.orgLink(p.Author)
	}
	return g
}
