package instance_test

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/config"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// A host that sends more than its burst is answered 429 with Retry-After,
// before its request is read, and counted; another host is unaffected.
func TestInboxThrottlesPerHost(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			// One request per 100 s after a burst of 3: nothing refills
			// during the test.
			a := instancetest.StartConfigured(t, d, instancetest.FastTuning, func(c *config.Config) {
				c.InboxRate, c.InboxBurst = 0.01, 3
			})
			alice := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "alice"})
			bob := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "bob"})
			like := func(from *instancetest.Remote, i int) []byte {
				return mustJSON(t, map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
					"id": fmt.Sprintf("%s/likes/%d", from.ActorID, i), "type": "Like", "actor": from.ActorID,
					"object": a.URL + "/users/nobody/posts/1"})
			}
			for i := range 3 {
				if status, msg := alice.SendRaw(t, a.URL+"/inbox", like(alice, i), nil); status != http.StatusAccepted {
					t.Fatalf("alice's delivery %d: %d %s", i, status, msg)
				}
			}
			resp, err := http.DefaultClient.Do(alice.Signed(t, a.URL+"/inbox", like(alice, 3)))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusTooManyRequests {
				t.Fatalf("alice's fourth delivery: %d, want 429", resp.StatusCode)
			}
			if secs, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || secs < 1 || secs > 100 {
				t.Errorf("Retry-After = %q, want 1 to 100 seconds", resp.Header.Get("Retry-After"))
			}
			if status, msg := bob.SendRaw(t, a.URL+"/inbox", like(bob, 0), nil); status != http.StatusAccepted {
				t.Errorf("bob, on another host: %d %s", status, msg)
			}
			status, body := getMetrics(t, a.URL, nil)
			if status != http.StatusOK || !strings.Contains(body, `commonplace_inbox_throttled_total{reason="host"} 1`) {
				t.Errorf("metrics (%d) do not count one throttled delivery:\n%s", status, grepLines(body, "throttled"))
			}
		})
	}
}

func grepLines(s, substr string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, substr) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
