// Package web serves the pages people read in a browser: server-rendered
// HTML from embedded templates, one small stylesheet, no JavaScript.
package web

import (
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/commonplace-social/commonplace/internal/iri"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Server holds what the pages need.
type Server struct {
	Layout iri.Layout
	Store  *store.Store
	Orgs   *orgs.Service
	Log    *slog.Logger

	pages map[string]*template.Template
}

// New parses the templates once, at start-up, so a broken template stops the
// server before it takes traffic.
func New(layout iri.Layout, st *store.Store, o *orgs.Service, log *slog.Logger) (*Server, error) {
	s := &Server{Layout: layout, Store: st, Orgs: o, Log: log}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	s.pages = pages
	return s, nil
}

// Register adds the web routes. Register the federation routes first (see
// federation.Server.Register).
func (s *Server) Register(r *mux.Router) {
	static, _ := fs.Sub(staticFiles, "static")
	r.PathPrefix("/static/").Handler(http.StripPrefix("/static/", cacheForever(http.FileServer(http.FS(static)))))
	r.HandleFunc("/", s.home).Methods("GET", "HEAD")
	r.HandleFunc("/users/{username}", s.profile).Methods("GET", "HEAD")
	r.HandleFunc("/@{username}", s.profile).Methods("GET", "HEAD")
	r.HandleFunc("/users/{username}/posts/{token}", s.post).Methods("GET", "HEAD")
	r.NotFoundHandler = http.HandlerFunc(s.notFound)
}

func cacheForever(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}
