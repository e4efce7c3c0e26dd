package httpsign

import (
	"fmt"
	"slices"
	"strconv"
	"time"
)

// maxUnixDigits bounds created and expires: twelve digits reach past the
// year 30000, and anything longer is noise or an attempt to overflow.
const maxUnixDigits = 12

// parseUnix reads a created or expires parameter as httpsig will: decimal
// seconds since the epoch. Only ASCII digits are accepted, so no sign, space
// or separator can make the two parsers disagree; zero is refused because
// httpsig treats it as absent.
func parseUnix(name, v string) (int64, error) {
	if v == "" || len(v) > maxUnixDigits {
		return 0, fmt.Errorf("%w: %s has %d digits", ErrMalformedSignature, name, len(v))
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return 0, fmt.Errorf("%w: %s %q is not a number", ErrMalformedSignature, name, v)
		}
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n == 0 {
		return 0, fmt.Errorf("%w: %s %q", ErrMalformedSignature, name, v)
	}
	return n, nil
}

// checkCreatedExpires parses created and expires wherever they appear and,
// when they are signed, holds them to the same window as Date and as
// RFC 9421's created: a signature cannot outlive its own expiry or the Date
// window by naming an old or far-future created.
func checkCreatedExpires(params map[string]string, signed []string, now time.Time) error {
	if v, ok := params["created"]; ok {
		created, err := parseUnix("created", v)
		if err != nil {
			return err
		}
		if slices.Contains(signed, "(created)") {
			t := time.Unix(created, 0)
			if ahead := t.Sub(now); ahead > maxFuture {
				return fmt.Errorf("%w: created is %s in the future", ErrDateOutOfWindow, ahead.Round(time.Second))
			}
			if age := now.Sub(t); age > maxAge {
				return fmt.Errorf("%w: created is %s old", ErrDateOutOfWindow, age.Round(time.Second))
			}
		}
	}
	if v, ok := params["expires"]; ok {
		expires, err := parseUnix("expires", v)
		if err != nil {
			return err
		}
		if t := time.Unix(expires, 0); slices.Contains(signed, "(expires)") && now.After(t) {
			return fmt.Errorf("%w: expired %s ago", ErrExpired, now.Sub(t).Round(time.Second))
		}
	}
	return nil
}
