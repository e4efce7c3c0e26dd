package instancetest

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/federation/httpsign"
	"github.com/commonplace-social/commonplace/internal/keys"
)

// Remote is a small stand-in for an account on another fediverse server,
// built from the shapes Mastodon and GoToSocial send (INTEROP.md): it serves
// a Person actor with a real key, answers WebFinger, signs what it sends, and
// records every delivery to its inbox after checking the signature.
type Remote struct {
	Server   *httptest.Server
	Username string
	ActorID  string
	KeyID    string
	Inbox    string

	keys   keys.Pair
	signer *httpsign.Signer
	// PathKey serves the key as a separate document at /users/NAME/main-key
	// whose owner is the actor, as GoToSocial does, instead of actor#main-key.
	pathKey bool

	mu         sync.Mutex
	received   []Delivery
	failStatus int // answer inbox POSTs with this status while > 0
	failCount  int // ...this many more times
	attempts   int // inbox POSTs seen, failed or not
	delay      time.Duration
	strict     *strictFollows       // nil unless RemoteOptions.StrictFollows
	gone       int                  // answer GETs of the actor and its key with this status while > 0
	signers    map[string]bool      // keyIds whose signed GETs were checked (remote_signed_get.go)
	tamper     func(map[string]any) // changes the served actor document (remote_claim.go)

	// files are the pictures the remote serves (remote_media.go).
	files map[string]servedFile
}

// Delivery is one verified POST to the remote's inbox.
type Delivery struct {
	Activity map[string]any
	KeyID    string
}

// RemoteOptions shape the stand-in.
type RemoteOptions struct {
	Username string
	PathKey  bool
	// StrictFollows drops Creates from accounts not followed yet, as
	// Mastodon does (see strictFollows).
	StrictFollows bool
}

// NewRemote starts a remote actor on its own loopback server.
func NewRemote(t testing.TB, opts RemoteOptions) *Remote {
	t.Helper()
	if opts.Username == "" {
		opts.Username = "alice"
	}
	pair, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	r := &Remote{Username: opts.Username, keys: pair, pathKey: opts.PathKey}
	if opts.StrictFollows {
		r.strict = &strictFollows{}
	}
	r.Server = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.Server.Close)
	r.ActorID = r.Server.URL + "/users/" + r.Username
	r.KeyID = r.ActorID + "#main-key"
	if opts.PathKey {
		r.KeyID = r.ActorID + "/main-key"
	}
	r.Inbox = r.ActorID + "/inbox"
	if r.signer, err = httpsign.NewSigner(r.KeyID, pair.PrivatePEM); err != nil {
		t.Fatal(err)
	}
	return r
}

// Handle is @user@host:port.
func (r *Remote) Handle() string {
	return "@" + r.Username + "@" + strings.TrimPrefix(r.Server.URL, "http://")
}

// RotateKey replaces the remote's key pair, as an admin rotating keys would.
func (r *Remote) RotateKey(t testing.TB) {
	t.Helper()
	pair, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	s, err := httpsign.NewSigner(r.KeyID, pair.PrivatePEM)
	if err != nil {
		t.Fatal(err)
	}
	r.mu.Lock()
	r.keys, r.signer = pair, s
	r.mu.Unlock()
}

// FailNext makes the next n inbox POSTs answer status, like a server that is
// down or overloaded.
func (r *Remote) FailNext(n, status int) {
	r.mu.Lock()
	r.failCount, r.failStatus = n, status
	r.mu.Unlock()
}

// SetDelay makes the inbox take d to answer, like a slow server. A sender
// that hangs up before then has delivered nothing.
func (r *Remote) SetDelay(d time.Duration) {
	r.mu.Lock()
	r.delay = d
	r.mu.Unlock()
}

// Attempts counts every POST to the inbox, including refused ones.
func (r *Remote) Attempts() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.attempts
}

// Received returns the verified deliveries so far.
func (r *Remote) Received() []Delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Delivery(nil), r.received...)
}

func (r *Remote) actorDoc() map[string]any {
	r.mu.Lock()
	pem := r.keys.PublicPEM
	r.mu.Unlock()
	return map[string]any{
		"@context":          []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"},
		"id":                r.ActorID,
		"type":              "Person",
		"preferredUsername": r.Username,
		"name":              strings.ToUpper(r.Username[:1]) + r.Username[1:],
		"summary":           `<p>Test account <script>alert(1)</script></p>`,
		"url":               r.Server.URL + "/@" + r.Username,
		"inbox":             r.Inbox,
		"outbox":            r.ActorID + "/outbox",
		"followers":         r.ActorID + "/followers",
		"following":         r.ActorID + "/following",
		"publicKey":         map[string]any{"id": r.KeyID, "owner": r.ActorID, "publicKeyPem": pem},
	}
}

func (r *Remote) serve(w http.ResponseWriter, req *http.Request) {
	if r.goneFor(w, req) {
		return
	}
	switch {
	case req.URL.Path == "/.well-known/webfinger":
		want := "acct:" + r.Username + "@" + strings.TrimPrefix(r.Server.URL, "http://")
		if req.URL.Query().Get("resource") != want {
			http.NotFound(w, req)
			return
		}
		w.Header().Set("Content-Type", "application/jrd+json")
		_ = json.NewEncoder(w).Encode(map[string]any{"subject": want,
			"links": []any{map[string]any{"rel": "self", "type": "application/activity+json", "href": r.ActorID}}})
	case req.URL.Path == "/users/"+r.Username && req.Method == http.MethodGet:
		if r.signedGET(w, req) {
			r.writeAS(w, r.ServedActorDoc())
		}
	case r.pathKey && req.URL.Path == "/users/"+r.Username+"/main-key":
		if !r.signedGET(w, req) {
			return
		}
		doc := r.actorDoc()
		// GoToSocial's stub: the actor's id and the key, nothing else.
		r.writeAS(w, map[string]any{"@context": doc["@context"], "id": r.ActorID, "type": "Person",
			"preferredUsername": r.Username, "publicKey": doc["publicKey"]})
	case req.URL.Path == "/users/"+r.Username+"/inbox" && req.Method == http.MethodPost:
		r.receive(w, req)
	default:
		if !r.serveFile(w, req) {
			http.NotFound(w, req)
		}
	}
}

func (r *Remote) writeAS(w http.ResponseWriter, doc map[string]any) {
	w.Header().Set("Content-Type", "application/activity+json")
	_ = json.NewEncoder(w).Encode(doc)
}

// receive accepts a delivery only if it is signed. The key is looked up
// from the signature's keyId with a plain GET, as a real server would.
func (r *Remote) receive(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	r.attempts++
	if r.failCount > 0 {
		r.failCount--
		status := r.failStatus
		r.mu.Unlock()
		http.Error(w, "temporarily unavailable", status)
		return
	}
	delay := r.delay
	r.mu.Unlock()
	if !activityJSON(req.Header.Get("Content-Type")) {
		http.Error(w, "an inbox takes ActivityStreams JSON", http.StatusNotAcceptable)
		return
	}
	body, _ := io.ReadAll(req.Body)
	select {
	case <-time.After(delay):
	case <-req.Context().Done():
		return
	}
	sig, err := httpsign.ParseRequest(req, body, time.Now())
	if err != nil {
		http.Error(w, err.Error(), httpsign.Status(err))
		return
	}
	pub, err := fetchKey(req.Context(), sig.KeyID())
	if err == nil {
		err = sig.Verify(pub)
	}
	if err != nil {
		http.Error(w, "signature: "+err.Error(), http.StatusUnauthorized)
		return
	}
	var act map[string]any
	if err := json.Unmarshal(body, &act); err != nil {
		http.Error(w, "bad json", http.StatusBadRequest)
		return
	}
	r.mu.Lock()
	if r.strict == nil || r.strict.admit(act) {
		r.received = append(r.received, Delivery{Activity: act, KeyID: sig.KeyID()})
	}
	r.mu.Unlock()
	w.WriteHeader(http.StatusAccepted)
}

// Send signs an activity as this remote actor and POSTs it to an inbox,
// returning the status and response body.
func (r *Remote) Send(t testing.TB, inbox string, activity map[string]any) (int, string) {
	t.Helper()
	body, err := json.Marshal(activity)
	if err != nil {
		t.Fatal(err)
	}
	return r.SendRaw(t, inbox, body, nil)
}

// Signed returns a signed POST of body to inbox, ready to send.
func (r *Remote) Signed(t testing.TB, inbox string, body []byte) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, inbox, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/activity+json")
	r.sign(t, req, body)
	return req
}

// sign signs req with the remote's current key; body is nil for a GET.
func (r *Remote) sign(t testing.TB, req *http.Request, body []byte) {
	t.Helper()
	r.mu.Lock()
	s := r.signer
	r.mu.Unlock()
	if err := s.Sign(req, body); err != nil {
		t.Fatal(err)
	}
}

// SendRaw signs body and POSTs it; tamper, when set, may change the signed
// request before it goes out (to forge, corrupt or age it).
func (r *Remote) SendRaw(t testing.TB, inbox string, body []byte, tamper func(*http.Request)) (int, string) {
	t.Helper()
	return post(t, r.Signed(t, inbox, body), tamper)
}

// post sends a signed request, after tamper (if set) has had its way with
// it, and returns the status and response body.
func post(t testing.TB, req *http.Request, tamper func(*http.Request)) (int, string) {
	t.Helper()
	if tamper != nil {
		tamper(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", req.URL, err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(msg)
}

// Follow is a Follow of object by this remote, shaped as Mastodon sends it.
func (r *Remote) Follow(object string) map[string]any {
	return map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": r.NewID("follows"),
		"type": "Follow", "actor": r.ActorID, "object": object}
}

// NewID mints an activity id on the remote's server.
func (r *Remote) NewID(kind string) string {
	return fmt.Sprintf("%s/%s/%d", r.ActorID, kind, time.Now().UnixNano())
}

func fetchKey(ctx context.Context, keyID string) (*rsa.PublicKey, error) {
	docURL, _, _ := strings.Cut(keyID, "#")
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, docURL, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/activity+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var doc struct {
		PublicKey struct {
			ID  string `json:"id"`
			PEM string `json:"publicKeyPem"`
		} `json:"publicKey"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		return nil, fmt.Errorf("key document %s: %w", docURL, err)
	}
	if doc.PublicKey.ID != keyID {
		return nil, fmt.Errorf("key document %s does not hold %s", docURL, keyID)
	}
	return keys.ParsePublic(doc.PublicKey.PEM)
}
