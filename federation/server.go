package federation

import (
	"log/slog"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/commonplace-social/commonplace/internal/blocks"
	"github.com/commonplace-social/commonplace/internal/follows"
	"github.com/commonplace-social/commonplace/internal/iri"
	"github.com/commonplace-social/commonplace/internal/network"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/posts"
	"github.com/commonplace-social/commonplace/internal/store"
)

// Server holds what the federation handlers need.
type Server struct {
	Layout  iri.Layout
	Store   *store.Store
	Orgs    *orgs.Service
	Follows *follows.Service
	Posts   *posts.Service
	// Networks re-shares members' posts and records requests to join; nil
	// in tests that have no networks.
	Networks *network.Service
	Fetcher  *Fetcher
	Blocks   *blocks.Service // nil: nothing is blocked
	Jobs     JobInserter
	Log      *slog.Logger
	// InboxLimit bounds deliveries per remote host; nil means no limit.
	InboxLimit *InboxLimiter
	// ClientAddr resolves a request's sender address (behind a proxy, the
	// forwarded one); nil means the connection's peer.
	ClientAddr func(*http.Request) string
	// Wake tells the applier, here and in other processes, that activities
	// were recorded; nil wakes this process's applier only.
	Wake Waker

	inboxState  // the inbox's group commit and hand-over to the applier
	readerState // the background checks of signed fetches of posts
}

// Register adds the federation routes. Call it before the web routes: the
// actor URL is shared with the HTML profile page, and the ActivityStreams
// route only matches requests that ask for ActivityStreams JSON.
func (s *Server) Register(r *mux.Router) {
	r.HandleFunc("/.well-known/webfinger", s.webFinger).Methods("GET", "HEAD")
	r.HandleFunc("/.well-known/host-meta", s.hostMeta).Methods("GET", "HEAD")
	r.HandleFunc("/.well-known/nodeinfo", s.nodeInfoLinks).Methods("GET", "HEAD")
	r.HandleFunc("/nodeinfo/2.1", s.nodeInfo).Methods("GET", "HEAD")

	as := r.MatcherFunc(wantsActivityJSON).Subrouter()
	as.HandleFunc("/users/{username}", s.actor).Methods("GET", "HEAD")
	as.HandleFunc("/@{username}", s.actor).Methods("GET", "HEAD")
	as.HandleFunc("/users/{username}/posts/{token}", s.post).Methods("GET", "HEAD")
	r.HandleFunc("/users/{username}/posts/{token}/replies", s.replies).Methods("GET", "HEAD")
	r.HandleFunc("/users/{username}/quote_authorizations/{token}", s.quoteAuthorization).Methods("GET", "HEAD")
	r.HandleFunc("/actor", s.instanceActor).Methods("GET", "HEAD")
	r.HandleFunc("/inbox", s.inbox).Methods("POST")
	r.HandleFunc("/actor/inbox", s.inbox).Methods("POST")
	r.HandleFunc("/users/{username}/inbox", s.inbox).Methods("POST")
	r.HandleFunc("/users/{username}/outbox", s.outbox).Methods("GET", "HEAD")
	r.HandleFunc("/users/{username}/followers", s.followers).Methods("GET", "HEAD")
	r.HandleFunc("/users/{username}/following", s.following).Methods("GET", "HEAD")
	r.HandleFunc("/users/{username}/featured", s.featured).Methods("GET", "HEAD")
	r.HandleFunc("/actor/featured", s.featured).Methods("GET", "HEAD")
}
