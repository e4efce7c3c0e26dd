package web

import (
	"html/template"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/commonplace-social/commonplace/internal/site"
)

// registerSitePages adds the site's own pages and its icon.
func (s *Server) registerSitePages(r *mux.Router) {
	for _, k := range site.Kinds {
		r.HandleFunc("/"+string(k), s.sitePage(k)).Methods("GET", "HEAD")
	}
	// Browsers ask for /favicon.ico whatever the page links; send them to
	// the SVG the layout names.
	r.Handle("/favicon.ico", http.RedirectHandler("/static/favicon.svg", http.StatusMovedPermanently)).Methods("GET", "HEAD")
}

// sitePage shows /about, /privacy or /accessibility.
func (s *Server) sitePage(k site.Kind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := s.identity().site.Page(r.Context(), k)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		v := sitePageView{Title: p.Title, HTML: template.HTML(p.HTML)} // sanitised by content.Render
		s.render(w, r, http.StatusOK, "site_page", page{Title: p.Title, URL: s.Layout.Base + "/" + string(k), Data: v})
	}
}

type sitePageView struct {
	Title string
	HTML  template.HTML
}
