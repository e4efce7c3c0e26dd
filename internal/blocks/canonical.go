package blocks

import (
	"strings"

	"github.com/commonplace-social/commonplace/internal/config"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/remoteurl"
)

// Blocks are stored and compared in remoteurl's one spelling of a host;
// otherwise a trailing dot, upper case or an international name in
// Unicode would slip past a block written another way.

// canonicalDomain reads a domain an operator typed: canonical, then checked
// as strictly as our own domain is.
func canonicalDomain(host string) (string, error) {
	c, err := remoteurl.Host("", strings.TrimSpace(host))
	if err != nil {
		return "", model.Errorf(model.EInvalid, "domain %q is malformed: %v", host, err)
	}
	h, err := config.NormaliseDomain(c)
	if err != nil {
		return "", model.Errorf(model.EInvalid, "%v", err)
	}
	return h, nil
}

// canonicalHost is host[:port] canonical, or as given (lower case) when it
// is not a usable host, so it can only fail to match.
func canonicalHost(host string) string {
	if c, err := remoteurl.Host("", host); err == nil {
		return c
	}
	return strings.ToLower(host)
}

// canonicalIRI is an id or inbox canonical, or as given when it is not an
// acceptable URL.
func canonicalIRI(s string) string {
	if c, err := remoteurl.Canonical(s); err == nil {
		return c
	}
	return s
}
