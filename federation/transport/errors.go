package transport

import "errors"

// Sentinel errors; the client wraps them with the method and URL, so compare
// with errors.Is. None of them is worth retrying.
var (
	// ErrPrivateAddress: the target resolved to an address that is not
	// globally routable, which federation must never reach (SSRF).
	ErrPrivateAddress = errors.New("refusing to connect to a non-public address")
	ErrBadURL         = errors.New("unsupported URL")
	ErrRedirect       = errors.New("redirect refused")
	ErrBodyTooLarge   = errors.New("response body too large")
	ErrNotActivity    = errors.New("response is not an ActivityStreams document")
	ErrSigning        = errors.New("cannot sign request")
	// ErrWrongOrigin: a fetched document's id is not on the origin of the
	// URL that served it, after redirects.
	ErrWrongOrigin = errors.New("document id on another origin")
)
