package web

import (
	"html/template"
	"net/http"
	"net/url"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// pageSize is how many posts a list page shows.
const pageSize = 20

// kindTab is one of the filters above the timeline.
type kindTab struct {
	Label   string
	URL     string
	Current bool
}

// timelineData is what home.html shows, for the whole timeline or one tag.
type timelineData struct {
	Heading string
	// Tag is the hashtag the page is narrowed to, as authors spell it; ""
	// on the combined timeline. The heading and empty state name it.
	Tag     string
	Tabs    []kindTab
	Items   template.HTML
	Empty   *emptyState // what to say, and offer, when there are no posts
	Older   string      // link to the next page, "" on the last
	Orgs    []orgCard
	FeedURL string
}

var kindTabLabels = map[string]string{
	model.KindMeetupNote: "Meetup notes", model.KindGuidance: "Guidance",
	model.KindEvent: "Events", model.KindUpdate: "Updates",
}

// timelinePage serves a page of the combined timeline at base (the path of
// this page), honouring ?kind= and ?before=. Bad parameters are the
// reader's mistake, so they answer 400 rather than an empty page.
func (s *Server) timelinePage(w http.ResponseWriter, r *http.Request, base string, f store.TimelineFilter, p page, d timelineData) {
	q := r.URL.Query()
	f.Kind = q.Get("kind")
	if f.Kind != "" && kindTabLabels[f.Kind] == "" {
		s.badRequest(w, r, "There is no kind of post called “"+f.Kind+"”.")
		return
	}
	after, ok := parseCursor(q.Get("before"))
	if !ok {
		s.badRequest(w, r, "The link to older posts is not one this site made.")
		return
	}
	res, err := s.Store.Timeline(r.Context(), f, after, pageSize)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if d.Items, err = s.renderItems(r.Context(), res.Posts, false); err != nil {
		s.serverError(w, r, err)
		return
	}
	d.Heading = timelineHeading(f.Kind, d.Tag)
	if f.Kind != "" || d.Tag != "" {
		// The layout adds the site's name: "Events — Site".
		p.Title = d.Heading
	}
	if len(res.Posts) == 0 && after == nil {
		d.Empty = s.emptyTimeline(r, f.Kind, d.Tag)
	}
	d.Tabs = append(d.Tabs, kindTab{Label: "All", URL: base, Current: f.Kind == ""})
	for _, k := range model.PublishedKinds {
		d.Tabs = append(d.Tabs, kindTab{Label: kindTabLabels[k], URL: base + "?kind=" + k, Current: f.Kind == k})
	}
	if res.Next != nil {
		v := url.Values{"before": {formatCursor(res.Next)}}
		if f.Kind != "" {
			v.Set("kind", f.Kind)
		}
		d.Older = base + "?" + v.Encode()
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "home", p)
}

func (s *Server) badRequest(w http.ResponseWriter, r *http.Request, text string) {
	s.render(w, r, http.StatusBadRequest, "error", page{Title: "Bad request",
		Data: map[string]string{"Heading": "This address is not quite right", "Text": text}})
}
