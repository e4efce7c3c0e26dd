// Package remoteurl is the one check for URLs that other servers hand us:
// ids, links and endpoints read from their documents. Everything that later
// becomes a link on our pages, an entry in a feed or calendar, or a place we
// deliver to passes through here once, as it enters, so what we store is
// already safe to write anywhere and compares equal however it was spelt.
package remoteurl

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxLen bounds a remote URL. Nothing a peer legitimately sends comes close,
// and a bound keeps a hostile one from bloating every page that shows it.
const MaxLen = 2048

// ErrInvalid is wrapped by every refusal.
var ErrInvalid = errors.New("not an acceptable remote URL")

// Canonical checks s and returns it with its host canonical (see Host): an
// absolute http or https URL with a host, no user info, no whitespace or
// control characters anywhere, at most MaxLen bytes. Only the scheme and
// host are rewritten; the path, query and fragment stay exactly as sent, so
// an id still matches the document it names.
func Canonical(s string) (string, error) {
	if s == "" || len(s) > MaxLen {
		return "", fmt.Errorf("%w: empty or longer than %d bytes", ErrInvalid, MaxLen)
	}
	if i := strings.IndexFunc(s, unsafeRune); i >= 0 {
		return "", fmt.Errorf("%w: %q holds whitespace or a control character", ErrInvalid, s)
	}
	u, err := url.Parse(s)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	scheme := strings.ToLower(u.Scheme)
	if (scheme != "http" && scheme != "https") || u.Opaque != "" || u.Host == "" {
		return "", fmt.Errorf("%w: %q is not an absolute http(s) URL", ErrInvalid, s)
	}
	if u.User != nil {
		return "", fmt.Errorf("%w: %q carries user info", ErrInvalid, s)
	}
	host, err := Host(scheme, u.Host)
	if err != nil {
		return "", err
	}
	// Everything after the authority, byte for byte as sent.
	after := s[strings.Index(s, "//")+2:]
	rest := ""
	if i := strings.IndexAny(after, "/?#"); i >= 0 {
		rest = after[i:]
	}
	return scheme + "://" + host + rest, nil
}

// Clean is Canonical for optional links: the canonical URL, or "" when s is
// not acceptable, so the caller falls back to something it trusts.
func Clean(s string) string {
	c, err := Canonical(s)
	if err != nil {
		return ""
	}
	return c
}

// SameOrigin is Clean for links a peer only ever publishes on its own
// server (a post's or actor's url, an actor's inbox and collections): "" too
// when s is not on the same scheme, host and port as id. Mastodon drops
// such a url for the same reason: a post must not link readers elsewhere
// under its author's name.
func SameOrigin(s, id string) string {
	c := Clean(s)
	if c == "" || origin(c) != origin(Clean(id)) {
		return ""
	}
	return c
}

// origin is scheme://host of a canonical URL.
func origin(canonical string) string {
	if canonical == "" {
		return "\x00" // never equal to another origin
	}
	after := canonical[strings.Index(canonical, "//")+2:]
	if i := strings.IndexAny(after, "/?#"); i >= 0 {
		after = after[:i]
	}
	return canonical[:strings.Index(canonical, "//")+2] + after
}

// unsafeRune is whitespace or a control character: in a URL each can break a
// header, an iCalendar line or an attribute, and none is needed.
func unsafeRune(r rune) bool {
	if r < utf8.RuneSelf {
		// The same answer for ASCII without the table searches, which were
		// most of canonicalising the URLs of every activity received: the
		// ASCII spaces and controls are all at or below ' ', or DEL.
		return r <= ' ' || r == 0x7f
	}
	return unsafeRuneTables(r)
}

func unsafeRuneTables(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsControl(r) || r == unicode.ReplacementChar ||
		unicode.Is(unicode.Cf, r)
}
