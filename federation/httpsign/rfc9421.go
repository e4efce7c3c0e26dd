package httpsign

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"fmt"
	"net/http"
	"time"
)

// algRSAv15 is the only RFC 9421 algorithm accepted: what Mastodon and
// WordPress sign with, over the same RSA keys actors already publish.
const algRSAv15 = "rsa-v1_5-sha256"

// MessageSignature is an incoming RFC 9421 signature that has passed every
// check that needs no key. Fetch the key named by KeyID, then call Verify.
type MessageSignature struct {
	keyID     string
	base      []byte
	signature []byte
}

// KeyID is the keyid parameter: an actor's key id, as in draft-cavage.
func (m *MessageSignature) KeyID() string { return m.keyID }

// ParseMessageSignature checks everything about an RFC 9421 signed request
// that does not need the sender's key, the same policy ParseRequest applies
// to draft-cavage:
//
//   - exactly one signature: a request with several labels is refused, as
//     Mastodon does, rather than one picked by a rule the sender cannot see;
//   - alg absent or "rsa-v1_5-sha256";
//   - a created parameter within the Date window, and expires, if given,
//     not passed;
//   - @method covered, and the target: @target-uri, or @authority with
//     @path or @request-target (Mastodon covers @target-uri alone);
//   - content-digest covered for anything but GET and HEAD, and a
//     Content-Digest that matches body, which must be the exact bytes read
//     from r.Body.
//
// scheme is the scheme the sender addressed us with ("https" in production),
// used for @scheme and @target-uri. The signature base is built here, once,
// so Verify is cheap and may be called again with a re-fetched key.
func ParseMessageSignature(r *http.Request, body []byte, scheme string, now time.Time) (*MessageSignature, error) {
	input, sigField := r.Header.Values("Signature-Input"), r.Header.Values("Signature")
	if len(input) == 0 || len(sigField) == 0 {
		return nil, fmt.Errorf("%w: an RFC 9421 signature needs both Signature-Input and Signature", ErrNoSignature)
	}
	sigs, err := parseSignatureFields(input, sigField)
	if err != nil {
		return nil, err
	}
	if len(sigs) != 1 {
		return nil, fmt.Errorf("%w: %d signatures; exactly one is accepted", ErrMalformedSignature, len(sigs))
	}
	s := sigs[0]
	if s.keyID == "" {
		return nil, fmt.Errorf("%w: no keyid parameter", ErrMalformedSignature)
	}
	fail := func(err error) (*MessageSignature, error) {
		return nil, fmt.Errorf("signature by %s: %w", s.keyID, err)
	}
	if s.alg != "" && s.alg != algRSAv15 {
		return fail(fmt.Errorf("%w: alg %q (only %s is accepted)", ErrBadAlgorithm, s.alg, algRSAv15))
	}
	if err := checkCreated(s, now); err != nil {
		return fail(err)
	}
	hasBody := r.Method != http.MethodGet && r.Method != http.MethodHead
	if err := checkCoverage(s.components, hasBody); err != nil {
		return fail(err)
	}
	if hasBody || covers(s.components, "content-digest") {
		if err := checkContentDigest(r.Header.Values("Content-Digest"), body); err != nil {
			return fail(err)
		}
	}
	msg, err := newMessage(r, scheme)
	if err != nil {
		return fail(err)
	}
	base, err := signatureBase(msg, s.components, s.params)
	if err != nil {
		return fail(err)
	}
	return &MessageSignature{keyID: s.keyID, base: []byte(base), signature: s.signature}, nil
}

// checkCreated applies the Date window of draft-cavage to created, and
// refuses a signature whose own expiry has passed.
func checkCreated(s labelled, now time.Time) error {
	if !s.hasCreated {
		return ErrBadCreated
	}
	created := time.Unix(s.created, 0)
	if ahead := created.Sub(now); ahead > maxFuture {
		return fmt.Errorf("%w: created is %s in the future", ErrDateOutOfWindow, ahead.Round(time.Second))
	}
	if age := now.Sub(created); age > maxAge {
		return fmt.Errorf("%w: created is %s old", ErrDateOutOfWindow, age.Round(time.Second))
	}
	if s.hasExpires && now.After(time.Unix(s.expires, 0)) {
		return fmt.Errorf("%w: expired %s ago", ErrExpired, now.Sub(time.Unix(s.expires, 0)).Round(time.Second))
	}
	return nil
}

// checkCoverage makes sure the signature binds the method, the target and,
// for a request with a body, the body's digest.
func checkCoverage(cs []component, hasBody bool) error {
	if !covers(cs, "@method") {
		return fmt.Errorf("%w: %q is not covered", ErrMissingSignedHeader, "@method")
	}
	if !covers(cs, "@target-uri") {
		if !covers(cs, "@path") && !covers(cs, "@request-target") {
			return fmt.Errorf("%w: neither %q nor %q is covered", ErrMissingSignedHeader, "@target-uri", "@path")
		}
		if !covers(cs, "@authority") {
			return fmt.Errorf("%w: %q is not covered (nor %q)", ErrMissingSignedHeader, "@authority", "@target-uri")
		}
	}
	if hasBody && !covers(cs, "content-digest") {
		return fmt.Errorf("%w: %q is not covered", ErrMissingSignedHeader, "content-digest")
	}
	return nil
}

func covers(cs []component, name string) bool {
	for _, c := range cs {
		if c.name == name {
			return true
		}
	}
	return false
}

// Verify checks the signature with pub as RSASSA-PKCS1-v1_5 over SHA-256.
// It may be called again (after re-fetching a rotated key) and concurrently.
func (m *MessageSignature) Verify(pub *rsa.PublicKey) error {
	if pub == nil {
		return fmt.Errorf("signature by %s: %w: no public key", m.keyID, ErrBadSignature)
	}
	sum := sha256.Sum256(m.base)
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], m.signature); err != nil {
		return fmt.Errorf("signature by %s: %w: %v", m.keyID, ErrBadSignature, err)
	}
	return nil
}
