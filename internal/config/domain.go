package config

import (
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"
)

var hostLabel = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// NormaliseDomain checks a host[:port] and lower-cases it. The domain is
// part of every id and handle this instance hands out, so a typo here would
// be copied across the fediverse: we refuse anything that is not a plain
// host name or IP address with an optional port.
func NormaliseDomain(d string) (string, error) {
	orig := d
	d = strings.ToLower(strings.TrimSpace(d))
	if strings.Contains(d, "://") || strings.ContainsAny(d, "/?#@ ") {
		return "", fmt.Errorf("domain %q is malformed: give only the host name and optional port, e.g. social.example.org or localhost:8080", orig)
	}
	host, port := d, ""
	if h, p, err := net.SplitHostPort(d); err == nil {
		host, port = h, p
	} else if strings.Count(d, ":") == 1 {
		return "", fmt.Errorf("domain %q is malformed: %v", orig, err)
	}
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 {
			return "", fmt.Errorf("domain %q is malformed: port must be a number from 1 to 65535", orig)
		}
	}
	if net.ParseIP(host) == nil {
		if len(host) > 253 || host == "" {
			return "", fmt.Errorf("domain %q is malformed: the host name is empty or too long", orig)
		}
		for _, label := range strings.Split(host, ".") {
			if !hostLabel.MatchString(label) {
				return "", fmt.Errorf("domain %q is malformed: %q is not a valid host name label", orig, label)
			}
		}
	} else if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port != "" {
		return host + ":" + port, nil
	}
	return host, nil
}
