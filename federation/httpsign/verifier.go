package httpsign

import (
	"crypto/rsa"
	"net/http"
	"strings"
	"time"
)

// Verifier is an incoming signature, in either format, that has passed every
// check needing no key: fetch the key named by KeyID, then call Verify.
type Verifier interface {
	KeyID() string
	Verify(pub *rsa.PublicKey) error
}

var (
	_ Verifier = (*Request)(nil)
	_ Verifier = (*MessageSignature)(nil)
)

// ParseAny parses whichever signature r carries: RFC 9421 when it has a
// Signature-Input field (Mastodon 4.5+, WordPress), draft-cavage otherwise.
// Both share one policy; see ParseMessageSignature and ParseRequest.
//
// origin is this server's public scheme://host[:port]. Only its scheme is
// used, for @scheme and @target-uri, because behind a TLS-terminating proxy
// the request itself arrives over plain HTTP. An origin without a scheme
// falls back to what r shows.
func ParseAny(r *http.Request, body []byte, origin string, now time.Time) (Verifier, error) {
	if len(r.Header.Values("Signature-Input")) == 0 {
		p, err := ParseRequest(r, body, now)
		if err != nil {
			return nil, err
		}
		return p, nil
	}
	scheme, _, ok := strings.Cut(origin, "://")
	if !ok || scheme == "" {
		scheme = "http"
		if r.TLS != nil {
			scheme = "https"
		}
	}
	m, err := ParseMessageSignature(r, body, scheme, now)
	if err != nil {
		return nil, err
	}
	return m, nil
}
