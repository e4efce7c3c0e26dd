package httpsign

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"fmt"

	"github.com/dunglas/httpsfv"
)

// contentDigests are the RFC 9530 algorithms we check. Others (md5, sha,
// unixsum, ...) are ignored, as RFC 9530 lets a recipient do.
var contentDigests = map[string]func([]byte) []byte{
	"sha-256": func(b []byte) []byte { s := sha256.Sum256(b); return s[:] },
	"sha-512": func(b []byte) []byte { s := sha512.Sum512(b); return s[:] },
}

// checkContentDigest checks Content-Digest field lines (an RFC 8941
// Dictionary of Byte Sequences, e.g. sha-256=:...:) against the exact body.
// At least one sha-256 or sha-512 digest must be offered, and every one
// offered must match: a field that is right for one algorithm and wrong for
// another is not a body we can vouch for.
func checkContentDigest(lines []string, body []byte) error {
	if len(lines) == 0 {
		return ErrNoContentDigest
	}
	d, err := parseDict(lines)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrBadContentDigest, err)
	}
	checked := 0
	for _, algo := range d.Names() {
		sum, ok := contentDigests[algo]
		if !ok {
			continue
		}
		m, _ := d.Get(algo)
		item, isItem := m.(httpsfv.Item)
		got, isBytes := item.Value.([]byte)
		if !isItem || !isBytes {
			return fmt.Errorf("%w: %s is not a Byte Sequence", ErrBadContentDigest, algo)
		}
		want := sum(body)
		if len(got) != len(want) {
			return fmt.Errorf("%w: %s value is %d bytes, want %d", ErrBadContentDigest, algo, len(got), len(want))
		}
		if !bytes.Equal(got, want) {
			return fmt.Errorf("%w (%s)", ErrDigestMismatch, algo)
		}
		checked++
	}
	if checked == 0 {
		return fmt.Errorf("%w: no sha-256 or sha-512 digest offered", ErrBadContentDigest)
	}
	return nil
}
