package httpsign

import (
	"crypto/rsa"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/go-fed/httpsig"
)

// The Date window Mastodon enforces: a signature made more than an hour in
// the future is refused, and one expires 5 minutes after it was made plus an
// hour of grace. Peers sign at send time, so only clock skew and queueing
// eat into it.
const (
	maxFuture = time.Hour
	maxAge    = time.Hour + 5*time.Minute
)

// Request is an incoming request whose signature has passed every check that
// needs no key. Fetch the key named by KeyID, then call Verify.
type Request struct {
	keyID  string
	method string
	header http.Header // private copy, Signature rewritten for httpsig
	// targets are the (request-target) paths to try, wire form first.
	targets []string
}

// KeyID is the keyId the sender named, e.g. ".../users/alice#main-key" from
// Mastodon or ".../users/alice/main-key" from GoToSocial.
func (p *Request) KeyID() string { return p.keyID }

// ParseRequest checks everything about r that does not need the sender's
// key: the Signature header and its algorithm, that (request-target), host,
// date and (for anything but GET and HEAD) digest are signed, that the Date
// is within the window around now, and that the Digest matches body, which
// must be the exact bytes read from r.Body. httpsig checks neither Date nor
// Digest, so skipping this would accept tampered bodies and replays. r is not
// modified.
func ParseRequest(r *http.Request, body []byte, now time.Time) (*Request, error) {
	sigs := r.Header.Values("Signature")
	if len(sigs) == 0 || strings.TrimSpace(sigs[0]) == "" {
		return nil, ErrNoSignature
	}
	if len(sigs) > 1 {
		return nil, fmt.Errorf("%w: %d Signature headers", ErrMalformedSignature, len(sigs))
	}
	params, err := parseParams(sigs[0])
	if err != nil {
		return nil, err
	}
	keyID := params["keyId"]
	if keyID == "" {
		return nil, fmt.Errorf("%w: no keyId", ErrMalformedSignature)
	}
	fail := func(format string, args ...any) (*Request, error) {
		return nil, fmt.Errorf("signature by %s: "+format, append([]any{keyID}, args...)...)
	}
	if _, err := base64.StdEncoding.DecodeString(params["signature"]); err != nil || params["signature"] == "" {
		return fail("%w: signature missing or not base64", ErrMalformedSignature)
	}
	if algo, ok := params["algorithm"]; ok {
		if a := strings.ToLower(algo); a != "rsa-sha256" && a != "hs2019" {
			return fail("%w: %q", ErrBadAlgorithm, algo)
		}
	}

	signed := strings.Fields(strings.ToLower(params["headers"]))
	required := []string{httpsig.RequestTarget, "host", "date"}
	hasBody := r.Method != http.MethodGet && r.Method != http.MethodHead
	if hasBody {
		required = append(required, "digest")
	}
	for _, h := range required {
		if !slices.Contains(signed, h) {
			return fail("%w: %q is not signed", ErrMissingSignedHeader, h)
		}
	}
	if err := checkSignedPresent(r, signed, params); err != nil {
		return fail("%w", err)
	}
	if err := checkCreatedExpires(params, signed, now); err != nil {
		return fail("%w", err)
	}

	if err := checkDate(r.Header.Values("Date"), now); err != nil {
		return fail("%w", err)
	}
	if hasBody || slices.Contains(signed, "digest") {
		if err := checkDigest(r.Header.Values("Digest"), body); err != nil {
			return fail("%w", err)
		}
	}

	return &Request{
		keyID:   keyID,
		method:  r.Method,
		header:  verifierHeader(r, keyID, signed, params),
		targets: requestTargets(r),
	}, nil
}

// checkSignedPresent makes sure every signed header exists, so that a
// verification failure later means a bad signature, not a malformed request.
// Date and Digest are left to checkDate and checkDigest, whose errors say more.
func checkSignedPresent(r *http.Request, signed []string, params map[string]string) error {
	for _, h := range signed {
		switch h {
		case httpsig.RequestTarget, "date", "digest":
		case "(created)", "(expires)":
			if _, ok := params[strings.Trim(h, "()")]; !ok {
				return fmt.Errorf("%w: %s signed but no %s parameter", ErrMalformedSignature, h, strings.Trim(h, "()"))
			}
		case "host":
			if r.Host == "" && r.Header.Get("Host") == "" {
				return fmt.Errorf("%w: signed header \"host\" is absent", ErrMalformedSignature)
			}
		default:
			if strings.HasPrefix(h, "(") || strings.Contains(h, ",") {
				return fmt.Errorf("%w: unknown signed field %q", ErrMalformedSignature, h)
			}
			if len(r.Header.Values(h)) == 0 {
				return fmt.Errorf("%w: signed header %q is absent", ErrMalformedSignature, h)
			}
		}
	}
	return nil
}

// checkDate parses the Date header and applies Mastodon's window.
func checkDate(values []string, now time.Time) error {
	if len(values) != 1 {
		return fmt.Errorf("%w: %d Date headers", ErrBadDate, len(values))
	}
	t, err := http.ParseTime(values[0])
	if err != nil {
		return fmt.Errorf("%w: %q", ErrBadDate, values[0])
	}
	if ahead := t.Sub(now); ahead > maxFuture {
		return fmt.Errorf("%w: Date is %s in the future", ErrDateOutOfWindow, ahead.Round(time.Second))
	}
	if age := now.Sub(t); age > maxAge {
		return fmt.Errorf("%w: Date is %s old", ErrDateOutOfWindow, age.Round(time.Second))
	}
	return nil
}

// verifierHeader copies r's headers for httpsig, which reads Host from the
// header map (and would write r.Host into the caller's map otherwise) and
// prefers no ambiguity between Signature and Authorization. The Signature
// header is rewritten from the parameters already parsed, so both parsers
// see the same thing; signed header values are left exactly as received.
// parseParams and checkCreatedExpires have already refused any value that
// could add or override a parameter here.
func verifierHeader(r *http.Request, keyID string, signed []string, params map[string]string) http.Header {
	h := r.Header.Clone()
	if _, ok := h["Host"]; !ok {
		h["Host"] = []string{r.Host}
	}
	if !slices.Contains(signed, "authorization") {
		h.Del("Authorization")
	}
	sig := fmt.Sprintf(`keyId="%s",headers="%s",signature="%s"`, keyID, strings.Join(signed, " "), params["signature"])
	for _, p := range []string{"created", "expires"} {
		if slices.Contains(signed, "("+p+")") {
			sig += fmt.Sprintf(",%s=%s", p, params[p])
		}
	}
	h.Set("Signature", sig)
	return h
}

// requestTargets lists the paths (request-target) may have been built from:
// the path and query exactly as they came over the wire, then the path alone,
// which Mastodon before 4.3 and older GoToSocial signed and Mastodon still
// accepts.
func requestTargets(r *http.Request) []string {
	target := r.RequestURI
	if !strings.HasPrefix(target, "/") {
		target = r.URL.RequestURI() // absolute-form, or a request built in-process
	}
	targets := []string{target}
	if path, _, ok := strings.Cut(target, "?"); ok {
		targets = append(targets, path)
	}
	return targets
}

// Verify checks the signature with pub. RSA-SHA256 is used whether the
// header said rsa-sha256 or hs2019, as everyone in the fediverse does. Verify
// may be called again (for instance after re-fetching a rotated key) and
// concurrently.
func (p *Request) Verify(pub *rsa.PublicKey) error {
	if pub == nil {
		return fmt.Errorf("signature by %s: %w: no public key", p.keyID, ErrBadSignature)
	}
	var firstErr error
	for _, target := range p.targets {
		// Host is left empty so NewVerifier does not write into p.header.
		req := &http.Request{Method: p.method, URL: &url.URL{Path: target}, Header: p.header}
		v, err := httpsig.NewVerifier(req)
		if err == nil {
			if err = v.Verify(pub, httpsig.RSA_SHA256); err == nil {
				return nil
			}
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return fmt.Errorf("signature by %s: %w: %v", p.keyID, ErrBadSignature, firstErr)
}
