package instance_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/metrics"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
)

func getMetrics(t *testing.T, url string, hdr map[string]string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("GET", url+"/metrics", nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// A signed Follow and an unsigned POST show up in the counters, with the
// Accept's delivery and the (emptied) delivery and inbox backlogs, for a
// client on loopback.
func TestMetricsCountInboxAndDeliveries(t *testing.T) {
	a := instancetest.Start(t, store.SQLite)
	a.AddOrg(t, orgs.NewOrg{Username: "hscleeds", Name: "HSC Leeds"})
	alice := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "alice"})
	follow := alice.Follow(a.URL + "/users/hscleeds")
	if status, msg := alice.Send(t, a.URL+"/inbox", follow); status != http.StatusAccepted {
		t.Fatalf("follow: %d %s", status, msg)
	}
	resp, err := http.Post(a.URL+"/inbox", "application/activity+json", strings.NewReader(string(mustJSON(t, follow))))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("unsigned POST: %d, want 401", resp.StatusCode)
	}
	instancetest.Eventually(t, wait, "the Accept", func() bool { return len(alice.Received()) == 1 })

	want := []string{
		`commonplace_inbox_activities_total{outcome="accepted",type="Follow"} 1`,
		`commonplace_inbox_activities_total{outcome="refused_401",type="Follow"} 1`,
		`commonplace_inbox_activities_total{outcome="applied",type="Follow"} 1`,
		`commonplace_signature_failures_total{reason="no_signature"} 1`,
		`commonplace_http_requests_total{code="202",method="POST",route="/inbox"} 1`,
		`commonplace_http_requests_total{code="401",method="POST",route="/inbox"} 1`,
		`commonplace_http_request_duration_seconds_count{method="POST",route="/inbox"} 2`,
		`commonplace_deliveries_total{outcome="delivered"} 1`,
		`commonplace_delivery_pending 0`,
		`commonplace_inbox_pending 0`,
	}
	var body string
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("last scrape:\n%s", body)
		}
	})
	instancetest.Eventually(t, wait, "the counters", func() bool {
		_, body = getMetrics(t, a.URL, nil)
		for _, w := range want {
			if !strings.Contains(body, w) {
				return false
			}
		}
		return true
	})
	if status, _ := getMetrics(t, a.URL, map[string]string{"X-Forwarded-For": "203.0.113.9"}); status != http.StatusForbidden {
		t.Errorf("proxied request from loopback: %d, want 403", status)
	}
}

// With a token set, /metrics wants it even from loopback.
func TestMetricsTokenRequired(t *testing.T) {
	t.Setenv(metrics.EnvToken, "s3cret")
	a := instancetest.Start(t, store.SQLite)
	for name, hdr := range map[string]map[string]string{
		"none":  nil,
		"wrong": {"Authorization": "Bearer guess"},
		"basic": {"Authorization": "Basic s3cret"},
	} {
		if status, _ := getMetrics(t, a.URL, hdr); status != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", name, status)
		}
	}
	if status, body := getMetrics(t, a.URL, map[string]string{"Authorization": "Bearer s3cret"}); status != http.StatusOK ||
		!strings.Contains(body, "commonplace_http_requests_total") {
		t.Errorf("right token: %d\n%s", status, body)
	}
}
