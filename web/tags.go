package web

import (
	"net/http"
	"net/url"

	"github.com/gorilla/mux"

	"github.com/commonplace-social/commonplace/internal/content"
	"github.com/commonplace-social/commonplace/internal/store"
)

// tag is the combined timeline narrowed to one hashtag. Any spelling of a
// tag redirects to its folded form, so each tag has one address; a tag
// nobody used yet is an empty page, not a 404, since it may be used soon.
func (s *Server) tag(w http.ResponseWriter, r *http.Request) {
	raw := mux.Vars(r)["tag"]
	tag := content.NormaliseTag(raw)
	if tag == "" {
		s.notFound(w, r)
		return
	}
	base := "/tags/" + url.PathEscape(tag)
	if tag != raw {
		target := base
		if r.URL.RawQuery != "" {
			target += "?" + r.URL.RawQuery
		}
		http.Redirect(w, r, target, http.StatusMovedPermanently)
		return
	}
	name := s.tagName(r, tag)
	s.timelinePage(w, r, base, store.TimelineFilter{Tag: tag}, page{
		Description: "Posts tagged #" + name + " across the network.",
		URL:         s.Layout.Tag(url.PathEscape(tag)),
	}, timelineData{Tag: name})
}

// tagName is the spelling authors used most recently (#HSCLeeds rather
// than #hscleeds), or the folded tag when nobody has used it.
func (s *Server) tagName(r *http.Request, tag string) string {
	res, err := s.Store.Timeline(r.Context(), store.TimelineFilter{Tag: tag}, nil, 1)
	if err != nil || len(res.Posts) == 0 {
		return tag
	}
	for _, t := range res.Posts[0].Tags {
		if t.Tag == tag && t.Name != "" {
			return t.Name
		}
	}
	return tag
}
