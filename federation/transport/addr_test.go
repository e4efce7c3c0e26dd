package transport

import (
	"net/netip"
	"testing"
)

func TestAddrPolicy(t *testing.T) {
	p := newAddrPolicy()
	for addr, want := range map[string]bool{
		// public
		"1.1.1.1":              true,
		"8.8.8.8":              true,
		"100.63.255.255":       true,
		"100.128.0.0":          true,
		"172.32.0.1":           true,
		"2606:4700:4700::1111": true,
		"2a01:4f8::1":          true,
		"::ffff:8.8.8.8":       true,
		"64:ff9b::808:808":     true, // NAT64 of 8.8.8.8
		// IPv4 special purpose
		"0.0.0.0":         false,
		"0.1.2.3":         false,
		"10.1.2.3":        false,
		"100.64.0.1":      false,
		"100.127.255.254": false,
		"127.0.0.1":       false,
		"127.255.255.254": false,
		"169.254.169.254": false,
		"172.16.0.1":      false,
		"172.31.255.255":  false,
		"192.0.0.8":       false,
		"192.0.2.1":       false,
		"192.168.1.1":     false,
		"198.18.0.1":      false,
		"198.51.100.7":    false,
		"203.0.113.9":     false,
		"224.0.0.251":     false,
		"239.255.255.250": false,
		"240.0.0.1":       false,
		"255.255.255.255": false,
		// IPv4 in IPv6 clothing
		"::ffff:127.0.0.1":   false,
		"::ffff:10.0.0.1":    false,
		"::ffff:169.254.1.1": false,
		"::127.0.0.1":        false, // deprecated IPv4-compatible
		"64:ff9b::a00:1":     false, // NAT64 of 10.0.0.1
		"64:ff9b::7f00:1":    false, // NAT64 of 127.0.0.1
		"64:ff9b:1::1":       false,
		// IPv6 special purpose
		"::":             false,
		"::1":            false,
		"fc00::1":        false,
		"fd12:3456::1":   false,
		"fe80::1":        false,
		"fe80::1%eth0":   false,
		"fec0::1":        false,
		"ff02::1":        false,
		"100::1":         false,
		"2001::1":        false, // Teredo
		"2001:db8::1":    false,
		"2002:7f00:1::1": false, // 6to4 of 127.0.0.1
		"3fff::1":        false,
		"4000::1":        false, // outside 2000::/3
	} {
		if got := p.public(netip.MustParseAddr(addr)); got != want {
			t.Errorf("public(%s) = %v, want %v", addr, got, want)
		}
	}
	if p.public(netip.Addr{}) {
		t.Error("zero Addr is public")
	}
}
