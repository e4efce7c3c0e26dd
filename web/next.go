package web

import (
	"net/url"
	"strings"
)

// defaultNext is where a login lands when next is missing or refused.
const defaultNext = "/compose"

// maxNext bounds next: our own links are short, and a long one is either
// noise or an attempt to hide something past what a reviewer reads.
const maxNext = 2048

// safeNext keeps a post-login redirect on this site. Only a path of our own
// passes: it starts with exactly one '/', and holds no control character or
// backslash, because browsers drop tabs and newlines and read '\' as '/', so
// "/\t/evil.example" and "/\evil.example" both mean //evil.example to them.
//
// Browsers do not percent-decode a Location before finding its host, so
// "/%2F/evil.example" is a path on this site as it stands. It is still
// refused: our router and any proxy in front decode paths, and a decoded
// "//evil.example" must never reach a redirect built from a cleaned path.
// The same checks are applied to every decoded form, which also covers
// "%5C", "%09" and double encoding. Anything refused becomes defaultNext.
func safeNext(next string) string { return safeNextOr(next, defaultNext) }

// safeNextOr is safeNext with another answer for a refused next.
func safeNextOr(next, defaultNext string) string {
	if len(next) > maxNext {
		return defaultNext
	}
	p := next
	for range 3 { // decoding three times unwraps any encoding a peer might undo
		if !sameOriginPath(p) {
			return defaultNext
		}
		decoded, err := url.PathUnescape(p)
		if err != nil {
			return defaultNext
		}
		if decoded == p {
			return next
		}
		p = decoded
	}
	return defaultNext
}

// sameOriginPath reports whether p is a path-absolute reference no browser
// could read as naming another host or scheme.
func sameOriginPath(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") {
		return false
	}
	for i := 0; i < len(p); i++ {
		if c := p[i]; c < 0x20 || c == 0x7f || c == '\\' {
			return false
		}
	}
	return true
}
