package loadrig

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/commonplace-social/commonplace/federation/httpsign"
	"github.com/commonplace-social/commonplace/internal/keys"
)

// Remote is one account on a small server of its own, on its own loopback
// address: it serves WebFinger, and its actor only to signed GETs (as
// GoToSocial does), and counts what arrives on its inboxes. It checks no
// signatures, so that receiving costs the load side little CPU.
type Remote struct {
	Addr     string // ip:port
	Base     string // http://ip:port
	Username string
	ActorID  string
	KeyID    string
	Key      keys.Pair

	log       *Arrivals // shared by a fleet; may be nil
	keepAlive bool

	signerOnce sync.Once
	signer     *httpsign.Signer
	signerErr  error

	mu       sync.Mutex
	srv      *http.Server
	byObject map[string]*Arrival // Create deliveries per object id
	accepted bool                // a Follow of ours was accepted
	received int                 // inbox POSTs
	gets     int                 // signed GETs of the actor served
	refused  int                 // unsigned requests turned away
}

// Arrival is when the Creates of one object reached one remote.
type Arrival struct {
	N           int
	First, Last time.Time
}

// RemoteConfig describes one remote.
type RemoteConfig struct {
	IP       string // a loopback address of its own, e.g. 127.1.0.1
	Username string
	Key      keys.Pair
	// NoKeepAlive closes each connection after its answer, for fleets too
	// large to hold a connection open per server.
	NoKeepAlive bool
	Arrivals    *Arrivals // where a fleet tallies Creates; optional
}

// NewRemote starts a remote on c.IP, on a port the system picks.
func NewRemote(c RemoteConfig) (*Remote, error) {
	ln, err := net.Listen("tcp", c.IP+":0")
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", c.IP, err)
	}
	r := &Remote{Addr: ln.Addr().String(), Username: c.Username, Key: c.Key, log: c.Arrivals,
		keepAlive: !c.NoKeepAlive, byObject: map[string]*Arrival{}}
	r.Base = "http://" + r.Addr
	r.ActorID = r.Base + "/users/" + c.Username
	r.KeyID = r.ActorID + "#main-key"
	r.serve(ln)
	return r, nil
}

// IP is the loopback address the remote listens and sends from.
func (r *Remote) IP() string {
	host, _, _ := net.SplitHostPort(r.Addr)
	return host
}

func (r *Remote) serve(ln net.Listener) {
	srv := &http.Server{Handler: http.HandlerFunc(r.handle), ReadHeaderTimeout: 10 * time.Second}
	srv.SetKeepAlivesEnabled(r.keepAlive)
	r.mu.Lock()
	r.srv = srv
	r.mu.Unlock()
	go func() { _ = srv.Serve(ln) }()
}

// Down stops answering: the listener closes, so connections are refused.
func (r *Remote) Down() {
	r.mu.Lock()
	srv := r.srv
	r.mu.Unlock()
	_ = srv.Close()
}

// Up answers again on the same address.
func (r *Remote) Up() error {
	ln, err := net.Listen("tcp", r.Addr)
	if err != nil {
		return fmt.Errorf("listen again on %s: %w", r.Addr, err)
	}
	r.serve(ln)
	return nil
}

// Close shuts the server down, waiting up to 2 seconds for requests.
func (r *Remote) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	r.mu.Lock()
	srv := r.srv
	r.mu.Unlock()
	_ = srv.Shutdown(ctx)
}

func (r *Remote) handle(w http.ResponseWriter, req *http.Request) {
	if req.Method == http.MethodGet && req.URL.Path == "/.well-known/webfinger" {
		r.webfinger(w, req)
		return
	}
	// Every other request our server makes is signed; an unsigned one is a bug.
	if req.Header.Get("Signature") == "" && req.Header.Get("Signature-Input") == "" {
		r.mu.Lock()
		r.refused++
		r.mu.Unlock()
		http.Error(w, "sign your request", http.StatusUnauthorized)
		return
	}
	switch {
	case req.Method == http.MethodGet && req.URL.Path == "/users/"+r.Username:
		r.mu.Lock()
		r.gets++
		r.mu.Unlock()
		w.Header().Set("Content-Type", "application/activity+json")
		_ = json.NewEncoder(w).Encode(r.ActorDoc())
	case req.Method == http.MethodPost && (req.URL.Path == "/inbox" || req.URL.Path == "/users/"+r.Username+"/inbox"):
		r.receive(w, req)
	default:
		http.NotFound(w, req)
	}
}

func (r *Remote) webfinger(w http.ResponseWriter, req *http.Request) {
	subject := "acct:" + r.Username + "@" + r.Addr
	if req.URL.Query().Get("resource") != subject && req.URL.Query().Get("resource") != r.ActorID {
		http.NotFound(w, req)
		return
	}
	w.Header().Set("Content-Type", "application/jrd+json")
	_ = json.NewEncoder(w).Encode(map[string]any{"subject": subject,
		"links": []any{map[string]any{"rel": "self", "type": "application/activity+json", "href": r.ActorID}}})
}

// ActorDoc is the actor document the remote serves.
func (r *Remote) ActorDoc() map[string]any {
	return map[string]any{
		"@context": []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
		"id":       r.ActorID, "type": "Person", "preferredUsername": r.Username, "name": r.Username + " at " + r.Addr,
		"inbox": r.ActorID + "/inbox", "outbox": r.ActorID + "/outbox",
		"followers": r.ActorID + "/followers", "following": r.ActorID + "/following",
		"endpoints": map[string]any{"sharedInbox": r.Base + "/inbox"},
		"publicKey": map[string]any{"id": r.KeyID, "owner": r.ActorID, "publicKeyPem": r.Key.PublicPEM},
	}
}
