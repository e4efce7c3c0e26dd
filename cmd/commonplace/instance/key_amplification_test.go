package instance_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/federation/httpsign"
	"github.com/commonplace-social/commonplace/internal/keys"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
)

// hangingKeys is a key server that never answers, counting what it is asked.
type hangingKeys struct {
	*httptest.Server
	requests, inFlight, peak atomic.Int64
}

func newHangingKeys(t *testing.T) *hangingKeys {
	h := &hangingKeys{}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.requests.Add(1)
		n := h.inFlight.Add(1)
		defer h.inFlight.Add(-1)
		for p := h.peak.Load(); n > p && !h.peak.CompareAndSwap(p, n); p = h.peak.Load() {
		}
		select {
		case <-time.After(30 * time.Second):
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(h.Close)
	return h
}

// Deliveries naming keys on a server that hangs are refused within the
// inbox's time box, cost that server at most the per-host number of
// concurrent fetches, and once it has failed, cost it nothing more for a
// while.
func TestUnknownKeysCannotAmplify(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) { testUnknownKeysCannotAmplify(t, d) })
	}
}

func testUnknownKeysCannotAmplify(t *testing.T, d store.Dialect) {
	a := instancetest.Start(t, d)
	a.AddOrg(t, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's Hospice"})
	hang := newHangingKeys(t)
	pair, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Timeout: 20 * time.Second}
	wave := func(n, from int) {
		t.Helper()
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				actor := fmt.Sprintf("%s/users/u%d", hang.URL, from+i)
				status, took, err := postSigned(client, actor+"#main-key", pair.PrivatePEM, a.URL+"/inbox",
					mustJSON(t, map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": actor + "/follow",
						"type": "Follow", "actor": actor, "object": a.URL + "/users/stgemmas"}))
				switch {
				case err != nil:
					t.Errorf("delivery %d: %v after %s", from+i, err, took)
				case status != http.StatusUnauthorized:
					t.Errorf("delivery %d: status %d, want 401", from+i, status)
				case took > 8*time.Second:
					t.Errorf("delivery %d took %s, beyond the time box", from+i, took)
				}
			})
		}
		wg.Wait()
	}

	wave(20, 0)
	if p := hang.peak.Load(); p > 2 {
		t.Errorf("the key server saw %d concurrent fetches, want at most 2", p)
	}
	seen := hang.requests.Load()
	if seen == 0 {
		t.Fatal("the key server was never asked; the test proves nothing")
	}
	wave(20, 0)  // the same keys again
	wave(5, 100) // other keys on the same silent host
	if n := hang.requests.Load(); n != seen {
		t.Errorf("repeats within the failure window made %d new fetches, want none", n-seen)
	}
}

// postSigned POSTs body signed under keyID and reports the status and how
// long the answer took.
func postSigned(c *http.Client, keyID, privatePEM, inbox string, body []byte) (int, time.Duration, error) {
	signer, err := httpsign.NewSigner(keyID, privatePEM)
	if err != nil {
		return 0, 0, err
	}
	req, err := http.NewRequest(http.MethodPost, inbox, bytes.NewReader(body))
	if err != nil {
		return 0, 0, err
	}
	req.Header.Set("Content-Type", "application/activity+json")
	if err := signer.Sign(req, body); err != nil {
		return 0, 0, err
	}
	start := time.Now()
	resp, err := c.Do(req)
	took := time.Since(start)
	if err != nil {
		return 0, took, err
	}
	resp.Body.Close()
	return resp.StatusCode, took, nil
}
