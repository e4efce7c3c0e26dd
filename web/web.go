// Package web serves the pages people read in a browser: server-rendered
// HTML from embedded templates, one small stylesheet, no JavaScript.
package web

import (
	"context"
	"embed"
	"io/fs"
	"log/slog"
	"net/http"
	"net/netip"

	template "github.com/DataDog/datadog-agent/pkg/template/html"
	"github.com/gorilla/mux"

	"github.com/commonplace-social/commonplace/internal/blocks"
	"github.com/commonplace-social/commonplace/internal/follows"
	"github.com/commonplace-social/commonplace/internal/iri"
	"github.com/commonplace-social/commonplace/internal/media"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/network"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/posts"
	"github.com/commonplace-social/commonplace/internal/search"
	"github.com/commonplace-social/commonplace/internal/store"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// Deps are the use cases and settings the pages need.
type Deps struct {
	Layout  iri.Layout
	Store   *store.Store
	Orgs    *orgs.Service
	Posts   *posts.Service
	Follows *follows.Service
	// Networks are the instance's networks (Group actors) and their
	// members; nil serves no network pages.
	Networks *network.Service
	// Blocks is the same service the inbox consults, so a block made on the
	// admin page takes effect at once.
	Blocks *blocks.Service
	// Resolve finds a remote account from a handle or URL (federation's
	// fetcher), for the admin's follow form.
	Resolve func(ctx context.Context, handleOrURL string) (*model.Actor, error)
	// SearchRemote looks up handles and URLs an admin searches for; nil
	// turns that off.
	SearchRemote search.Remote
	// Secure is true when the site is served over https: cookies are then
	// marked Secure. Only local-testing mode serves plain http.
	Secure bool
	// BehindProxy trusts the X-Forwarded-For that a reverse proxy appends,
	// so login limits count each visitor, not the proxy; TrustedProxies are
	// the addresses it may come from (nil: loopback). See internal/clientip.
	BehindProxy    bool
	TrustedProxies []netip.Prefix
	Log            *slog.Logger
	// MediaFiles holds uploaded pictures, served at /media/KEY.
	MediaFiles media.Storage
	// Media saves uploaded pictures (logo, avatars, post images); nil turns
	// the upload fields off.
	Media *media.Service
}

// Server holds what the pages need.
type Server struct {
	Deps
	pages map[string]*template.Template
	ident identity // the site's name and who is looking, for every page's frame (site.go)
}

// New parses the templates once, at start-up, so a broken template stops the
// server before it takes traffic.
func New(d Deps) (*Server, error) {
	s := &Server{Deps: d}
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
	s.registerReading(r)
	s.registerSitePages(r)
	s.registerWriting(r)
	s.registerMedia(r)
	r.NotFoundHandler = http.HandlerFunc(s.notFound)
}

func cacheForever(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(w, r)
	})
}
