package metrics

import (
	"net/http/httptest"
	"testing"
)

func TestHandlerAccess(t *testing.T) {
	m := New()
	for _, tc := range []struct {
		name, remote, token, auth string
		want                      int
	}{
		{"loopback v4", "127.0.0.1:5000", "", "", 200},
		{"loopback range", "127.8.0.1:5000", "", "", 200},
		{"loopback v6", "[::1]:5000", "", "", 200},
		{"public", "192.0.2.7:5000", "", "", 403},
		{"public with token", "192.0.2.7:5000", "t", "Bearer t", 200},
		{"loopback without token", "127.0.0.1:5000", "t", "", 403},
		{"wrong token", "192.0.2.7:5000", "t", "Bearer u", 403},
	} {
		r := httptest.NewRequest("GET", "/metrics", nil)
		r.RemoteAddr = tc.remote
		if tc.auth != "" {
			r.Header.Set("Authorization", tc.auth)
		}
		w := httptest.NewRecorder()
		m.Handler(tc.token).ServeHTTP(w, r)
		if w.Code != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, w.Code, tc.want)
		}
	}
}

func TestActivityTypeBounded(t *testing.T) {
	for in, want := range map[string]string{"Follow": "Follow", "": "unknown", "EmojiReact": "other", "follow": "other"} {
		if got := ActivityType(in); got != want {
			t.Errorf("ActivityType(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNilMetricsIsSafe(t *testing.T) {
	var m *Metrics
	m.InboxActivity("Follow", "accepted")
	m.Delivery("delivered")
	m.SignatureFailure("date")
	m.ObserveRequest("/", "GET", 200, 0)
}
