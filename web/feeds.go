package web

import (
	"encoding/xml"
	"fmt"
	"html"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/feeds"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/remoteurl"
	"github.com/commonplace-social/commonplace/internal/store"
)

// feedSize is how many entries a feed carries: enough for a reader that
// polls daily, small enough to serve cheaply.
const feedSize = 50

// timelineFeed is the combined timeline as Atom, for feed readers.
func (s *Server) timelineFeed(w http.ResponseWriter, r *http.Request) {
	res, err := s.Store.Timeline(r.Context(), store.TimelineFilter{}, nil, feedSize)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	id := s.siteIdentity(r)
	s.writeAtom(w, r, &feeds.Feed{
		Title:       id.Name,
		Description: id.Description,
		Link:        &feeds.Link{Href: s.Layout.Base + "/"},
		Id:          s.Layout.Base + "/feed.atom",
	}, res.Posts)
}

// orgFeed is one organisation's own posts as Atom.
func (s *Server) orgFeed(w http.ResponseWriter, r *http.Request, org *model.Actor) {
	res, err := s.Store.OutboxPosts(r.Context(), org.ID, nil, feedSize)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.writeAtom(w, r, s.actorFeedHead(r, org), res.Posts)
}

// actorFeedHead describes the feed of a local actor (an organisation or a
// network), served at its page's address + /feed.atom.
func (s *Server) actorFeedHead(r *http.Request, a *model.Actor) *feeds.Feed {
	siteName := s.siteIdentity(r).Name
	return &feeds.Feed{
		Title:       docTitle(a.Name, siteName),
		Description: summaryLine(a.Summary, a.Name+" on "+siteName),
		Link:        &feeds.Link{Href: s.Layout.Profile(a.Username)},
		Author:      &feeds.Author{Name: a.Name},
		Id:          s.Layout.Profile(a.Username) + "/feed.atom",
	}
}

// writeAtom adds the posts as entries and sends the feed. The library
// leaves out <published>, so it is filled in on the marshalled form.
func (s *Server) writeAtom(w http.ResponseWriter, r *http.Request, f *feeds.Feed, ps []*model.Post) {
	f.Updated = time.Now().UTC()
	if len(ps) > 0 {
		f.Updated = lastChange(ps[0])
	}
	for _, p := range ps {
		f.Items = append(f.Items, s.feedItem(p))
	}
	af := (&feeds.Atom{Feed: f}).AtomFeed()
	for i, e := range af.Entries {
		e.Published = ps[i].Published.UTC().Format(time.RFC3339)
	}
	out, err := xml.Marshal(af)
	if err != nil {
		s.serverError(w, r, fmt.Errorf("marshal atom feed: %w", err))
		return
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write([]byte(xml.Header))
		_, _ = w.Write(out)
	}
}

func (s *Server) feedItem(p *model.Post) *feeds.Item {
	id := p.IRI
	if p.Local && p.Author != nil {
		id = s.Layout.Post(p.Author.Username, p.Token)
	}
	title := p.Title
	if title == "" {
		title = summaryLine(p.Summary, kindNames[p.Kind])
	}
	it := &feeds.Item{
		Id:    id,
		Title: title,
		Link:  &feeds.Link{Href: s.postLink(p)},
		// The library marks the summary as HTML; ours is plain text.
		Description: html.EscapeString(p.Summary),
		Content:     s.eventDetailsHTML(p) + p.ContentHTML, // sanitised when stored
		Created:     p.Published,
		Updated:     lastChange(p),
	}
	if p.Author != nil {
		name := p.Author.Name
		if name == "" {
			name = p.Author.Username
		}
		it.Author = &feeds.Author{Name: name}
	}
	return it
}

// lastChange is when a post last changed: its edit time, or its publication.
func lastChange(p *model.Post) time.Time {
	if !p.Updated.IsZero() {
		return p.Updated
	}
	return p.Published
}

// eventDetailsHTML is an event's when and where, and its links, as HTML to
// head an entry's content: feed readers show the content, and many never
// show the summary, where the time and place otherwise are. Other kinds
// get "".
func (s *Server) eventDetailsHTML(p *model.Post) string {
	if p.Kind != model.KindEvent || p.StartTime.IsZero() {
		return ""
	}
	var b strings.Builder
	row := func(label, value string) {
		b.WriteString("<div><dt>" + label + "</dt><dd>" + value + "</dd></div>")
	}
	link := func(u, text string) string {
		return `<a href="` + html.EscapeString(u) + `">` + html.EscapeString(text) + "</a>"
	}
	b.WriteString("<dl>")
	row("When", html.EscapeString(readableWhen(p)))
	if where := place(p); where != "" {
		row("Where", html.EscapeString(where))
	}
	if u := remoteurl.Clean(p.OnlineURL); u != "" {
		row("Online", link(u, u))
	}
	if u := remoteurl.Clean(p.BookingURL); u != "" {
		row("Booking", link(u, "Book a place"))
	}
	row("Calendar", link(s.eventICSLink(p), "Add to calendar (.ics)"))
	b.WriteString("</dl>")
	return b.String()
}
