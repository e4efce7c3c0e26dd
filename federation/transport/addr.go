package transport

import "net/netip"

// addrPolicy decides which resolved addresses federation may connect to.
// IPv4 is a denylist of the special-purpose ranges. IPv6 is an allowlist of
// the global unicast block 2000::/3 less its special-purpose ranges, which
// refuses everything else (::1, ::, fc00::/7, fe80::/10, fec0::/10, ff00::/8,
// 100::/64, 64:ff9b:1::/48) without listing it. IPv4-mapped addresses are
// judged as the IPv4 address they carry, and so are NAT64 (64:ff9b::/96)
// addresses, which IPv6-only hosts with DNS64 see for every IPv4 peer.
type addrPolicy struct {
	blocked4 []netip.Prefix
	global6  netip.Prefix
	blocked6 []netip.Prefix
	nat64    netip.Prefix
}

func newAddrPolicy() *addrPolicy {
	p := netip.MustParsePrefix
	return &addrPolicy{
		blocked4: []netip.Prefix{
			p("0.0.0.0/8"),       // "this network"; 0.0.0.0 reaches localhost on Linux
			p("10.0.0.0/8"),      // private
			p("100.64.0.0/10"),   // carrier-grade NAT
			p("127.0.0.0/8"),     // loopback
			p("169.254.0.0/16"),  // link-local, including cloud metadata services
			p("172.16.0.0/12"),   // private
			p("192.0.0.0/24"),    // IETF protocol assignments
			p("192.0.2.0/24"),    // documentation
			p("192.88.99.0/24"),  // deprecated 6to4 relay anycast
			p("192.168.0.0/16"),  // private
			p("198.18.0.0/15"),   // benchmarking
			p("198.51.100.0/24"), // documentation
			p("203.0.113.0/24"),  // documentation
			p("224.0.0.0/4"),     // multicast
			p("240.0.0.0/4"),     // reserved, and the broadcast address
		},
		global6: p("2000::/3"),
		blocked6: []netip.Prefix{
			p("2001::/23"),     // IETF protocol assignments, including Teredo tunnels
			p("2001:db8::/32"), // documentation
			p("2002::/16"),     // 6to4, which tunnels to an arbitrary IPv4 address
			p("3fff::/20"),     // documentation
		},
		nat64: p("64:ff9b::/96"),
	}
}

// public reports whether ip is a globally routable unicast address.
func (p *addrPolicy) public(ip netip.Addr) bool {
	if !ip.IsValid() {
		return false
	}
	ip = ip.WithZone("").Unmap()
	if ip.Is4() {
		return !inAny(ip, p.blocked4)
	}
	if p.nat64.Contains(ip) {
		b := ip.As16()
		return p.public(netip.AddrFrom4([4]byte(b[12:])))
	}
	return p.global6.Contains(ip) && !inAny(ip, p.blocked6)
}

func inAny(ip netip.Addr, prefixes []netip.Prefix) bool {
	for _, pfx := range prefixes {
		if pfx.Contains(ip) {
			return true
		}
	}
	return false
}
