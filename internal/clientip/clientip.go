// Package clientip works out which address a request came from, for login
// limits and logs, trusting X-Forwarded-For only from configured proxies.
package clientip

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Loopback is the proxy trusted when none are configured: nginx on the
// same machine.
var Loopback = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}

// Resolver derives client addresses. The zero value takes the connection's
// peer address and ignores X-Forwarded-For.
type Resolver struct {
	// BehindProxy turns on reading X-Forwarded-For.
	BehindProxy bool
	// Trusted are the proxies whose X-Forwarded-For entries are believed;
	// nil means Loopback. Behind Docker's published ports this is the
	// network's gateway, which every forwarded connection comes from.
	Trusted []netip.Prefix
}

// Addr returns the client's address. Behind a proxy it walks
// X-Forwarded-For from the right, skipping trusted proxies: the first
// address a trusted hop appended that is not itself a proxy is the client.
// Entries left of it are whatever the client sent, so they are never read.
func (c Resolver) Addr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if !c.BehindProxy {
		return host
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !c.trusts(peer) {
		return host
	}
	entries := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(entries) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(entries[i]))
		if err != nil {
			break // a trusted hop would not append garbage: stop at the last trusted one
		}
		peer = a.Unmap()
		if !c.trusts(peer) {
			break
		}
	}
	return peer.String()
}

func (c Resolver) trusts(a netip.Addr) bool {
	trusted := c.Trusted
	if trusted == nil {
		trusted = Loopback
	}
	a = a.Unmap()
	for _, p := range trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// ParsePrefixes reads a comma-separated list of addresses and CIDR
// prefixes, e.g. "127.0.0.1, 172.30.80.1/32". An empty list is nil.
func ParsePrefixes(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q is not an address or CIDR prefix", f)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}
