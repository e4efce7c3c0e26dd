package transport

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// maxRetryAfter caps a peer's Retry-After, so a bogus value cannot park a
// delivery for years (or overflow a Duration).
const maxRetryAfter = 7 * 24 * time.Hour

// StatusError is a non-2xx answer from a peer.
type StatusError struct {
	Code       int
	RetryAfter time.Duration // from Retry-After; zero if absent or unparseable
	Detail     string        // start of the response body, for the logs
}

func (e *StatusError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "status %d %s", e.Code, http.StatusText(e.Code))
	if e.RetryAfter > 0 {
		fmt.Fprintf(&b, ", retry after %s", e.RetryAfter)
	}
	if e.Detail != "" {
		fmt.Fprintf(&b, ": %q", e.Detail)
	}
	return b.String()
}

// Retryable is true for 5xx and 429, which are the peer's temporary trouble;
// any other status (401, 403, 404, 410, 3xx...) will not change by repeating
// the same request.
func (e *StatusError) Retryable() bool {
	return e.Code >= 500 && e.Code <= 599 || e.Code == http.StatusTooManyRequests
}

// Gone is true for 404 and 410: the object or actor no longer exists.
func (e *StatusError) Gone() bool {
	return e.Code == http.StatusNotFound || e.Code == http.StatusGone
}

func newStatusError(resp *http.Response) *StatusError {
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 256))
	drain(resp)
	return &StatusError{
		Code:       resp.StatusCode,
		RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()),
		Detail: strings.Map(func(r rune) rune {
			if unicode.IsControl(r) {
				return ' '
			}
			return r
		}, strings.TrimSpace(string(snippet))),
	}
}

// parseRetryAfter reads Retry-After as delay-seconds or as an HTTP date
// relative to now. Past dates, negative and unparseable values give zero.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs > int64(maxRetryAfter/time.Second) {
			return maxRetryAfter
		}
		d = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	return max(0, min(d, maxRetryAfter))
}

// Retryable reports whether an error from this package is worth another
// attempt later. A *StatusError decides for itself. Refusals made here
// (private address, bad URL or redirect, oversized or non-ActivityStreams
// body, signing failure) are permanent. Anything else is a transport failure
// (refused or reset connection, DNS, TLS, timeout, cancelled attempt) and is
// retryable: peers come back, and the caller's backoff decides when to stop.
func Retryable(err error) bool {
	if err == nil {
		return false
	}
	if se, ok := errors.AsType[*StatusError](err); ok {
		return se.Retryable()
	}
	for _, permanent := range []error{ErrPrivateAddress, ErrBadURL, ErrRedirect, ErrBodyTooLarge, ErrNotActivity, ErrSigning} {
		if errors.Is(err, permanent) {
			return false
		}
	}
	return true
}
