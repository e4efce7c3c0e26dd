package httpsign

import (
	"crypto/rsa"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"runtime"
	"time"

	"github.com/go-fed/httpsig"

	"github.com/commonplace-social/commonplace/internal/keys"
)

// signing bounds the RSA signatures made at once to the number of CPUs, in
// the order they were asked for. Signing is pure CPU, so more at once only
// makes each take longer: a fan-out's first delivery would leave only
// when hundreds of signatures were nearly done.
var signing = make(chan struct{}, runtime.GOMAXPROCS(0))

// Signer signs outgoing requests as one actor key. It is safe for concurrent
// use: the parsed key is shared read-only and every Sign call builds its own
// httpsig signer, because those keep hash state between calls.
type Signer struct {
	keyID string
	key   *rsa.PrivateKey
	now   func() time.Time // replaced in tests to move the clock
}

// NewSigner parses the private key once, since parsing costs about as much
// as a signature and a signer is reused for many deliveries.
func NewSigner(keyID string, privateKeyPEM string) (*Signer, error) {
	if keyID == "" {
		return nil, errors.New("new signer: empty key id")
	}
	key, err := keys.ParsePrivate(privateKeyPEM)
	if err != nil {
		return nil, fmt.Errorf("new signer for %s: %w", keyID, err)
	}
	return &Signer{keyID: keyID, key: key, now: time.Now}, nil
}

// KeyID is the keyId this signer puts in its signatures.
func (s *Signer) KeyID() string { return s.keyID }

// Sign (re)signs req for sending now. Old Signature, Digest and Date headers
// are dropped first, so a retried request gets a fresh Date and signature
// instead of failing in httpsig (which refuses to add a second Digest).
// Host is set, in the header and in req.Host, to req.URL.Host so that what is
// signed is what goes on the wire.
//
// A non-nil body (POST) adds Digest: SHA-256=... and signs
// "(request-target) host date digest"; a nil body (GET) signs
// "(request-target) host date". The algorithm is RSA-SHA256, which httpsig
// labels algorithm="hs2019".
func (s *Signer) Sign(req *http.Request, body []byte) error {
	if req.URL == nil || req.URL.Host == "" {
		return fmt.Errorf("sign request as %s: URL has no host", s.keyID)
	}
	if req.Header == nil {
		req.Header = make(http.Header)
	}
	for _, h := range []string{"Signature", "Digest", "Date"} {
		req.Header.Del(h)
	}
	req.Host = req.URL.Host
	req.Header.Set("Host", req.URL.Host)
	req.Header.Set("Date", s.now().UTC().Format(http.TimeFormat))

	headers := []string{httpsig.RequestTarget, "host", "date"}
	if body != nil {
		headers = append(headers, "digest")
	}
	hs, algo, err := httpsig.NewSigner([]httpsig.Algorithm{httpsig.RSA_SHA256}, httpsig.DigestSha256, headers, httpsig.Signature, 0)
	if err != nil {
		return fmt.Errorf("sign %s %s: %w", req.Method, req.URL.Redacted(), err)
	}
	if algo != httpsig.RSA_SHA256 {
		// NewSigner silently falls back to its default algorithm.
		return fmt.Errorf("sign %s %s: httpsig chose %s, not RSA-SHA256", req.Method, req.URL.Redacted(), algo)
	}
	// httpsig builds (request-target) from URL.Path, which is decoded. Peers
	// verify against the path as sent, so hand it the escaped wire form. The
	// view shares req.Header, so Digest and Signature land on req.
	view := &http.Request{Method: req.Method, URL: &url.URL{Path: req.URL.RequestURI()}, Header: req.Header}
	signing <- struct{}{}
	err = hs.SignRequest(s.key, s.keyID, view, body)
	<-signing
	if err != nil {
		return fmt.Errorf("sign %s %s: %w", req.Method, req.URL.Redacted(), err)
	}
	return nil
}
