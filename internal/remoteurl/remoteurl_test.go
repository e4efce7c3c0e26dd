package remoteurl

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCanonical(t *testing.T) {
	good := map[string]string{
		"https://mastodon.social/users/Bob":           "https://mastodon.social/users/Bob",
		"HTTPS://Mastodon.Social./users/Bob?x=1#k":    "https://mastodon.social/users/Bob?x=1#k",
		"https://evil.example:443/a":                  "https://evil.example/a",
		"http://evil.example:80":                      "http://evil.example",
		"http://127.0.0.1:7000/users/a":               "http://127.0.0.1:7000/users/a",
		"https://[::1]:443/x":                         "https://[::1]/x",
		"https://bücher.example/@a":                   "https://xn--bcher-kva.example/@a",
		"https://example.org/p%20q/%E2%9C%93?a=b&c=d": "https://example.org/p%20q/%E2%9C%93?a=b&c=d",
	}
	for in, want := range good {
		got, err := Canonical(in)
		if err != nil || got != want {
			t.Errorf("Canonical(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	bad := []string{
		"", "javascript:alert(1)", "data:text/html,hi", "mailto:a@b.example", "//evil.example/x", "/relative",
		"https://evil.example/x\r\nX-INJECTED:1", "https://evil.example/a b", "https://evil.example/\t",
		"https://evil.example/\u2028", "https://user:pw@evil.example/", "https://evil..example/",
		"https://evil.example../", "https://evil.example:0/", "https://evil.example:99999/", "https:///x",
		"https://" + strings.Repeat("a", MaxLen) + ".example/",
	}
	for _, in := range bad {
		if got, err := Canonical(in); err == nil {
			t.Errorf("Canonical(%q) = %q, want refused", in, got)
		}
	}
}

func TestSameOrigin(t *testing.T) {
	id := "https://social.example/users/a/statuses/1"
	cases := map[string]string{
		"https://social.example/@a/1":       "https://social.example/@a/1",
		"https://SOCIAL.example./@a/1":      "https://social.example/@a/1",
		"https://social.example:443/@a/1":   "https://social.example/@a/1",
		"https://elsewhere.example/@a/1":    "",
		"http://social.example/@a/1":        "",
		"https://social.example:8443/@a/1":  "",
		"https://sub.social.example/@a/1":   "",
		"javascript:alert(1)":               "",
		"https://social.example/x\r\nEND:X": "",
	}
	for in, want := range cases {
		if got := SameOrigin(in, id); got != want {
			t.Errorf("SameOrigin(%q) = %q, want %q", in, got, want)
		}
	}
	if got := SameOrigin("https://social.example/x", "not a url"); got != "" {
		t.Errorf("SameOrigin against a bad id = %q", got)
	}
}

func TestHost(t *testing.T) {
	for in, want := range map[string]string{
		"evil.example": "evil.example", "EVIL.Example.": "evil.example", "evil.example.:443": "evil.example:443",
		"Bücher.example": "xn--bcher-kva.example", "xn--bcher-kva.example": "xn--bcher-kva.example",
		"127.0.0.1:7000": "127.0.0.1:7000", "[::FFFF:127.0.0.1]": "127.0.0.1",
	} {
		if got, err := Host("", in); err != nil || got != want {
			t.Errorf("Host(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if got, err := Host("https", "evil.example:443"); err != nil || got != "evil.example" {
		t.Errorf("Host(https, evil.example:443) = %q, %v", got, err)
	}
	for _, in := range []string{"", ".", "evil..example", "ev il.example", "evil_x.example", "evil.example:x"} {
		if got, err := Host("", in); err == nil {
			t.Errorf("Host(%q) = %q, want refused", in, got)
		}
	}
}

// unsafeRune's ASCII shortcut answers as the Unicode tables do.
func TestUnsafeRuneASCIIShortcut(t *testing.T) {
	for r := rune(0); r < utf8.RuneSelf; r++ {
		if got, want := unsafeRune(r), unsafeRuneTables(r); got != want {
			t.Errorf("unsafeRune(%U) = %v, tables say %v", r, got, want)
		}
	}
}

func TestURLHostIsTheCanonicalHostOfAnHTTPURL(t *testing.T) {
	for raw, want := range map[string]string{
		"https://EXAMPLE.org./inbox":   "example.org",
		"https://example.org:443/x":    "example.org",
		"http://example.org:8080/x":    "example.org:8080",
		"HTTPS://Bücher.example/inbox": "xn--bcher-kva.example",
	} {
		if got, err := URLHost(raw); err != nil || got != want {
			t.Errorf("URLHost(%q) = %q, %v; want %q", raw, got, err, want)
		}
	}
	for _, raw := range []string{"ftp://example.org/x", "/inbox", "https://", "https://example.org:0/x"} {
		if got, err := URLHost(raw); err == nil {
			t.Errorf("URLHost(%q) = %q, want an error", raw, got)
		}
	}
}
