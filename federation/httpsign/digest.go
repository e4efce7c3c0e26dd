package httpsign

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
)

// checkDigest checks Digest header values against the exact body bytes.
// Following Mastodon, the algorithm name is case-insensitive, several
// comma-separated digests may be given and non-SHA-256 ones are ignored, but
// every SHA-256 value must be 32 bytes of standard base64 (hex, the mistake
// in old documentation, is rejected rather than silently mismatched), and at
// least one must match.
func checkDigest(values []string, body []byte) error {
	if len(values) == 0 {
		return ErrNoDigest
	}
	want := sha256.Sum256(body)
	found, matched := false, false
	for _, v := range values {
		for item := range strings.SplitSeq(v, ",") {
			item = strings.TrimSpace(item)
			if item == "" {
				continue
			}
			algo, val, ok := strings.Cut(item, "=")
			if !ok {
				return fmt.Errorf("%w: entry without '='", ErrBadDigest)
			}
			if !strings.EqualFold(strings.TrimSpace(algo), "SHA-256") {
				continue
			}
			found = true
			got, err := base64.StdEncoding.DecodeString(strings.TrimSpace(val))
			if err != nil {
				return fmt.Errorf("%w: SHA-256 value is not base64", ErrBadDigest)
			}
			if len(got) != sha256.Size {
				return fmt.Errorf("%w: SHA-256 value decodes to %d bytes, want %d (hex-encoded?)", ErrBadDigest, len(got), sha256.Size)
			}
			matched = matched || bytes.Equal(got, want[:])
		}
	}
	if !found {
		return fmt.Errorf("%w: no SHA-256 digest offered", ErrBadDigest)
	}
	if !matched {
		return ErrDigestMismatch
	}
	return nil
}
