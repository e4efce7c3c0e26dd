package metrics

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
)

// A scrape shows each series in the Prometheus text format with its labels
// in name order, the request histogram's count, the runtime's series, and
// the gauges taken at scrape time; a gauge whose count fails is left out
// and its error reported, without failing the page.
func TestScrapeShowsCountsAndGauges(t *testing.T) {
	m := New()
	var failed error
	m.Register(
		&BacklogGauge{Name: "commonplace_test_pending", Help: "Test backlog.", Count: func(context.Context) (int, error) { return 7, nil }},
		&BacklogGauge{Name: "commonplace_test_broken", Help: "Fails.", Count: func(context.Context) (int, error) { return 0, errors.New("db down") },
			Error: func(err error) { failed = err }},
	)
	m.InboxActivity("Follow", "accepted")
	m.InboxActivity("Follow", "accepted")
	m.InboxActivity("EmojiReact", "ignored")
	m.SignatureFailure(`odd"reason`)
	m.ObserveRequest("/inbox", "POST", 202, 0.02)
	m.Delivery("delivered")
	m.InboxThrottled("host")

	w := httptest.NewRecorder()
	r := httptest.NewRequest("GET", "/metrics", nil)
	r.RemoteAddr = "127.0.0.1:4000"
	m.Handler("").ServeHTTP(w, r)
	body := w.Body.String()
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain") {
		t.Fatalf("%d %q", w.Code, w.Header().Get("Content-Type"))
	}
	for _, want := range []string{
		`commonplace_inbox_activities_total{outcome="accepted",type="Follow"} 2`,
		`commonplace_inbox_activities_total{outcome="ignored",type="other"} 1`,
		`commonplace_signature_failures_total{reason="odd\"reason"} 1`,
		`commonplace_http_requests_total{code="202",method="POST",route="/inbox"} 1`,
		`commonplace_http_request_duration_seconds_bucket{method="POST",route="/inbox",le="0.025"} 1`,
		`commonplace_http_request_duration_seconds_bucket{method="POST",route="/inbox",le="0.01"} 0`,
		`commonplace_http_request_duration_seconds_count{method="POST",route="/inbox"} 1`,
		`commonplace_deliveries_total{outcome="delivered"} 1`,
		`commonplace_inbox_throttled_total{reason="host"} 1`,
		"# TYPE commonplace_test_pending gauge\ncommonplace_test_pending 7\n",
		"go_goroutines ",
		"process_resident_memory_bytes ",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the scrape lacks %q", want)
		}
	}
	if strings.Contains(body, "commonplace_test_broken") || failed == nil {
		t.Errorf("a failed gauge: reported %v; in the page: %v", failed, strings.Contains(body, "commonplace_test_broken"))
	}
}
