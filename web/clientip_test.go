package web

import (
	"net/http/httptest"
	"testing"
)

// Behind a local proxy each visitor is counted by the address the proxy
// appended; a spoofed X-Forwarded-For from elsewhere changes nothing.
func TestClientIP(t *testing.T) {
	cases := []struct {
		behindProxy bool
		remote, xff string
		want        string
	}{
		{false, "127.0.0.1:4000", "203.0.113.9", "127.0.0.1"},
		{true, "127.0.0.1:4000", "6.6.6.6, 203.0.113.9", "203.0.113.9"},
		{true, "[::1]:4000", "203.0.113.7", "203.0.113.7"},
		{true, "198.51.100.1:4000", "203.0.113.9", "198.51.100.1"},
		{true, "127.0.0.1:4000", "", "127.0.0.1"},
		{true, "127.0.0.1:4000", "not-an-ip", "127.0.0.1"},
	}
	for _, c := range cases {
		s := &Server{Deps: Deps{BehindProxy: c.behindProxy}}
		r := httptest.NewRequest("POST", "/login", nil)
		r.RemoteAddr = c.remote
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		if got := s.clientIP(r); got != c.want {
			t.Errorf("behindProxy=%v remote=%s xff=%q: %s, want %s", c.behindProxy, c.remote, c.xff, got, c.want)
		}
	}
}
