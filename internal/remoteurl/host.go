package remoteurl

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/net/idna"
)

// Host returns host[:port] in the one spelling we store and compare:
// lower case, international names in ASCII (punycode), no trailing dot,
// and no port when it is the scheme's default. Without this, a block of
// evil.example is escaped by EVIL.Example or evil.example., which resolve to
// the same server. scheme may be "" for a host with no URL around it.
func Host(scheme, hostport string) (string, error) {
	host, port := hostport, ""
	if h, p, err := net.SplitHostPort(hostport); err == nil {
		host, port = h, p
	} else if strings.HasPrefix(hostport, "[") && strings.HasSuffix(hostport, "]") {
		host = hostport[1 : len(hostport)-1]
	}
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 || port[0] == '0' {
			return "", fmt.Errorf("%w: bad port in %q", ErrInvalid, hostport)
		}
		if defaultPort(scheme) == port {
			port = ""
		}
	}
	name, err := hostName(host)
	if err != nil {
		return "", fmt.Errorf("%w: host %q: %w", ErrInvalid, hostport, err)
	}
	if port == "" {
		if strings.Contains(name, ":") {
			return "[" + name + "]", nil
		}
		return name, nil
	}
	return net.JoinHostPort(name, port), nil
}

// URLHost is the canonical host[:port] (Host) of an absolute http(s) URL,
// such as an inbox: the key of per-host delivery lanes and of a post's
// readers, so that EXAMPLE.org. and example.org:443 count as one server.
func URLHost(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("parse %q: %w", raw, err)
	}
	scheme := strings.ToLower(u.Scheme)
	if (scheme != "https" && scheme != "http") || u.Host == "" {
		return "", fmt.Errorf("%q is not an absolute http(s) URL", raw)
	}
	host, err := Host(scheme, u.Host)
	if err != nil {
		return "", fmt.Errorf("%q: %w", raw, err)
	}
	return host, nil
}

// hostName canonicalises a host without its port.
func hostName(host string) (string, error) {
	if ip, err := netip.ParseAddr(host); err == nil {
		if ip.Zone() != "" {
			return "", fmt.Errorf("an address with a zone")
		}
		return ip.Unmap().String(), nil
	}
	// One trailing dot names the same host (a fully qualified name).
	host = strings.TrimSuffix(host, ".")
	if host == "" || len(host) > 253 {
		return "", fmt.Errorf("empty or too long")
	}
	ascii, err := idna.Lookup.ToASCII(host)
	if err != nil {
		return "", err
	}
	if strings.HasSuffix(ascii, ".") || strings.Contains(ascii, "..") {
		return "", fmt.Errorf("an empty label")
	}
	return ascii, nil
}

// IsIP reports whether a canonical host[:port] is an IP address literal.
func IsIP(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	_, err := netip.ParseAddr(strings.Trim(host, "[]"))
	return err == nil
}

func defaultPort(scheme string) string {
	switch strings.ToLower(scheme) {
	case "https":
		return "443"
	case "http":
		return "80"
	}
	return ""
}
