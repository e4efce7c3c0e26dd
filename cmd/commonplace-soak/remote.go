package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/commonplace-social/commonplace/federation/httpsign"
	"github.com/commonplace-social/commonplace/internal/keys"
)

// remote is one account on a small server of its own, on its own loopback
// address: it serves its actor (only to signed GETs, as GoToSocial does),
// takes deliveries on its inboxes and counts them by activity and object.
type remote struct {
	addr    string // ip:port
	base    string // http://ip:port
	actorID string
	keyID   string
	pair    keys.Pair
	signer  *httpsign.Signer

	mu       sync.Mutex
	srv      *http.Server
	byObject map[string]int       // Create deliveries per object id
	firstAt  map[string]time.Time // when each object's Create first arrived
	accepted bool                 // our Follow was accepted
	received int
	refused  int // unsigned requests turned away
}

// newRemote starts a remote on ip, on a port the system picks.
func newRemote(ip string) (*remote, error) {
	pair, err := keys.Generate()
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", ip+":0")
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", ip, err)
	}
	r := &remote{addr: ln.Addr().String(), pair: pair, byObject: map[string]int{}, firstAt: map[string]time.Time{}}
	r.base = "http://" + r.addr
	r.actorID = r.base + "/users/soak"
	r.keyID = r.actorID + "#main-key"
	if r.signer, err = httpsign.NewSigner(r.keyID, pair.PrivatePEM); err != nil {
		ln.Close()
		return nil, err
	}
	r.serve(ln)
	return r, nil
}

func (r *remote) serve(ln net.Listener) {
	srv := &http.Server{Handler: http.HandlerFunc(r.handle), ReadHeaderTimeout: 10 * time.Second}
	r.mu.Lock()
	r.srv = srv
	r.mu.Unlock()
	go func() { _ = srv.Serve(ln) }()
}

// down stops answering: the listener closes, so connections are refused.
func (r *remote) down() {
	r.mu.Lock()
	srv := r.srv
	r.mu.Unlock()
	_ = srv.Close()
}

// up answers again on the same address.
func (r *remote) up() error {
	ln, err := net.Listen("tcp", r.addr)
	if err != nil {
		return fmt.Errorf("listen again on %s: %w", r.addr, err)
	}
	r.serve(ln)
	return nil
}

func (r *remote) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	r.mu.Lock()
	srv := r.srv
	r.mu.Unlock()
	_ = srv.Shutdown(ctx)
}

func (r *remote) handle(w http.ResponseWriter, req *http.Request) {
	// Every request our server makes is signed; an unsigned one is a bug.
	if req.Header.Get("Signature") == "" && req.Header.Get("Signature-Input") == "" {
		r.mu.Lock()
		r.refused++
		r.mu.Unlock()
		http.Error(w, "sign your request", http.StatusUnauthorized)
		return
	}
	switch {
	case req.Method == http.MethodGet && req.URL.Path == "/users/soak":
		w.Header().Set("Content-Type", "application/activity+json")
		_ = json.NewEncoder(w).Encode(r.actorDoc())
	case req.Method == http.MethodPost && (req.URL.Path == "/inbox" || req.URL.Path == "/users/soak/inbox"):
		r.receive(w, req)
	default:
		http.NotFound(w, req)
	}
}

func (r *remote) actorDoc() map[string]any {
	return map[string]any{
		"@context": []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
		"id":       r.actorID, "type": "Person", "preferredUsername": "soak", "name": "Soak " + r.addr,
		"inbox": r.actorID + "/inbox", "outbox": r.actorID + "/outbox",
		"followers": r.actorID + "/followers", "following": r.actorID + "/following",
		"endpoints": map[string]any{"sharedInbox": r.base + "/inbox"},
		"publicKey": map[string]any{"id": r.keyID, "owner": r.actorID, "publicKeyPem": r.pair.PublicPEM},
	}
}

func (r *remote) receive(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(io.LimitReader(req.Body, 1<<20))
	if err != nil {
		http.Error(w, "read", http.StatusBadRequest)
		return
	}
	var act struct {
		Type   string          `json:"type"`
		Object json.RawMessage `json:"object"`
	}
	if err := json.Unmarshal(body, &act); err != nil {
		http.Error(w, "json", http.StatusBadRequest)
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.received++
	switch act.Type {
	case "Accept":
		r.accepted = true
	case "Create":
		var obj struct {
			ID string `json:"id"`
		}
		if json.Unmarshal(act.Object, &obj) == nil && obj.ID != "" {
			if r.byObject[obj.ID] == 0 {
				r.firstAt[obj.ID] = time.Now()
			}
			r.byObject[obj.ID]++
		}
	}
	w.WriteHeader(http.StatusAccepted)
}

// arrived reports how many times the Create of object came, and when first.
func (r *remote) arrived(object string) (int, time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.byObject[object], r.firstAt[object]
}

func (r *remote) isAccepted() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.accepted
}

// send signs an activity as this remote and POSTs it to inbox.
func (r *remote) send(ctx context.Context, c *http.Client, inbox string, activity map[string]any) (int, error) {
	body, err := json.Marshal(activity)
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, inbox, strings.NewReader(string(body)))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/activity+json")
	if err := r.signer.Sign(req, body); err != nil {
		return 0, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

var errNotAccepted = errors.New("follows were not all accepted")
