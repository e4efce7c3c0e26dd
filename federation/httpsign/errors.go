package httpsign

import (
	"errors"
	"net/http"
)

// Sentinel errors. ParseRequest and Verify wrap them with detail, so compare
// with errors.Is.
var (
	ErrNoSignature         = errors.New("request has no Signature header")
	ErrMalformedSignature  = errors.New("malformed Signature header")
	ErrBadAlgorithm        = errors.New("unsupported signature algorithm")
	ErrMissingSignedHeader = errors.New("signature does not cover a required header")
	ErrBadDate             = errors.New("missing or malformed Date header")
	ErrDateOutOfWindow     = errors.New("date outside the accepted window")
	ErrNoDigest            = errors.New("missing Digest header")
	ErrBadDigest           = errors.New("malformed Digest header")
	ErrDigestMismatch      = errors.New("digest does not match the body")
	ErrBadSignature        = errors.New("signature verification failed")
)

// RFC 9421 refusals. Each is a kind of one of the errors above, so Status
// and anything else that classifies with errors.Is treat both signature
// formats alike.
var (
	ErrBadCreated       = &kindError{"missing or malformed created parameter", ErrBadDate}
	ErrExpired          = &kindError{"signature has expired", ErrDateOutOfWindow}
	ErrNoContentDigest  = &kindError{"missing Content-Digest header", ErrNoDigest}
	ErrBadContentDigest = &kindError{"malformed Content-Digest header", ErrBadDigest}
)

// kindError is a sentinel with its own message that errors.Is also matches
// against a broader sentinel.
type kindError struct {
	msg  string
	kind error
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.kind }

// Status maps an error from ParseAny, ParseRequest, ParseMessageSignature or
// Verify to the status an inbox or a signed-fetch handler should answer with.
//
// 400 Bad Request when the request itself is broken (unparseable Signature,
// Signature-Input, Date, Digest or Content-Digest headers, a missing created
// parameter, or a body that does not match its digest): sending
// the same bytes again can never succeed, so the sender has a bug to fix.
// 401 Unauthorized when the request is well formed but does not authenticate
// (no signature, an unsupported algorithm, required headers left unsigned, a
// stale or future Date, a signature the key rejects): a fresh signature, or a
// refreshed key on either side, can fix it. Unknown errors also get 401, so
// that anything unexpected fails closed. Status(nil) is 200.
func Status(err error) int {
	switch {
	case err == nil:
		return http.StatusOK
	case errors.Is(err, ErrMalformedSignature),
		errors.Is(err, ErrBadDate),
		errors.Is(err, ErrNoDigest),
		errors.Is(err, ErrBadDigest),
		errors.Is(err, ErrDigestMismatch):
		return http.StatusBadRequest
	default:
		return http.StatusUnauthorized
	}
}
