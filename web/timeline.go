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
// this page), honouring ?kind= and ?before=.
func (s *Server) timelinePage(w http.ResponseWriter, r *http.Request, base string, f store.TimelineFilter, p page, d timelineData) {
	kind, after, ok := s.listParams(w, r)
	if !ok {
		return
	}
	f.Kind = kind
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
	d.Tabs = kindTabs(base, f.Kind)
	d.Older = olderLink(base, f.Kind, res.Next)
	p.Data = d
	s.render(w, r, http.StatusOK, "home", p)
}

// listParams reads a list page's ?kind= and ?before=. Bad ones are the
// reader's mistake, so they answer 400 (ok false) rather than an empty page.
func (s *Server) listParams(w http.ResponseWriter, r *http.Request) (kind string, after *store.Cursor, ok bool) {
	q := r.URL.Query()
	kind = q.Get("kind")
	if kind != "" && kindTabLabels[kind] == "" {
		s.badRequest(w, r, "There is no kind of post called “"+kind+"”.")
		return "", nil, false
	}
	if after, ok = parseCursor(q.Get("before")); !ok {
		s.badRequest(w, r, "The link to older posts is not one this site made.")
	}
	return kind, after, ok
}

// kindTabs are the filters above a list of posts at base: all, then each
// kind, the one shown marked current.
func kindTabs(base, kind string) []kindTab {
	tabs := []kindTab{{Label: "All", URL: base, Current: kind == ""}}
	for _, k := range model.PublishedKinds {
		tabs = append(tabs, kindTab{Label: kindTabLabels[k], URL: base + "?kind=" + k, Current: kind == k})
	}
	return tabs
}

// olderLink is the link to the page after next, keeping the kind filter;
// "" when next is nil, on the last page.
func olderLink(base, kind string, next *store.Cursor) string {
	if next == nil {
		return ""
	}
	v := url.Values{"before": {formatCursor(next)}}
	if kind != "" {
		v.Set("kind", kind)
	}
	return base + "?" + v.Encode()
}

func (s *Server) badRequest(w http.ResponseWriter, r *http.Request, text string) {
	s.render(w, r, http.StatusBadRequest, "error", page{Title: "Bad request",
		Data: map[string]string{"Heading": "This address is not quite right", "Text": text}})
}
