package web

import (
	"net/http/httptest"
	"net/netip"
	"testing"
)

// Behind a trusted proxy each visitor is counted by the address the proxy
// appended; a spoofed X-Forwarded-For from elsewhere changes nothing.
func TestClientIP(t *testing.T) {
	docker := []netip.Prefix{netip.MustParsePrefix("172.30.80.1/32")}
	cases := []struct {
		behindProxy bool
		trusted     []netip.Prefix
		remote, xff string
		want        string
	}{
		{false, nil, "127.0.0.1:4000", "203.0.113.9", "127.0.0.1"},
		{true, nil, "127.0.0.1:4000", "6.6.6.6, 203.0.113.9", "203.0.113.9"},
		{true, nil, "[::1]:4000", "203.0.113.7", "203.0.113.7"},
		{true, nil, "198.51.100.1:4000", "203.0.113.9", "198.51.100.1"},
		{true, nil, "127.0.0.1:4000", "", "127.0.0.1"},
		{true, nil, "127.0.0.1:4000", "not-an-ip", "127.0.0.1"},
		// Compose: nginx on the host reaches the container through Docker's
		// gateway, so that is the proxy address to trust.
		{true, docker, "172.30.80.1:5000", "6.6.6.6, 203.0.113.9", "203.0.113.9"},
		{true, docker, "172.30.80.7:5000", "203.0.113.9", "172.30.80.7"},
		{true, nil, "172.30.80.1:5000", "203.0.113.9", "172.30.80.1"},
		// Two trusted hops: the client is the first untrusted one from the right.
		{true, append(docker, netip.MustParsePrefix("127.0.0.0/8")), "172.30.80.1:5000", "6.6.6.6, 203.0.113.9, 127.0.0.1", "203.0.113.9"},
	}
	for _, c := range cases {
		s := &Server{Deps: Deps{BehindProxy: c.behindProxy, TrustedProxies: c.trusted}}
		r := httptest.NewRequest("POST", "/login", nil)
		r.RemoteAddr = c.remote
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		if got := s.clientIP(r); got != c.want {
			t.Errorf("behindProxy=%v trusted=%v remote=%s xff=%q: %s, want %s", c.behindProxy, c.trusted, c.remote, c.xff, got, c.want)
		}
	}
}
