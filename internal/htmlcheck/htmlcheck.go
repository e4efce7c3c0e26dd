// Package htmlcheck states what "inert" means for HTML we store and serve,
// so the sanitiser's and the Markdown renderer's tests and fuzz targets
// hold both to the same rule, read the way a browser would read it.
package htmlcheck

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"golang.org/x/net/html"
)

// active are elements that run script, load content or change how the rest
// of the page is read; none may survive sanitising.
var active = map[string]bool{
	"script": true, "style": true, "iframe": true, "frame": true, "object": true, "embed": true,
	"svg": true, "math": true, "base": true, "meta": true, "link": true, "form": true,
	"input": true, "button": true, "textarea": true, "img": true, "video": true, "audio": true,
	"template": true, "noscript": true,
}

// urlAttrs hold URLs a browser follows.
var urlAttrs = map[string]bool{"href": true, "src": true, "action": true, "formaction": true, "xlink:href": true, "srcset": true}

// Inert returns an error naming the first thing in s that could run script
// or load content: an active element, an event handler or style attribute,
// or a URL whose scheme is not one of schemes (relative URLs are allowed).
func Inert(s string, schemes ...string) error {
	if strings.Contains(strings.ToLower(s), "<script") {
		return errors.New("contains <script")
	}
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			if errors.Is(z.Err(), io.EOF) {
				return nil
			}
			return fmt.Errorf("tokenizing: %w", z.Err())
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			tok := z.Token()
			if active[tok.Data] {
				return fmt.Errorf("element <%s>", tok.Data)
			}
			for _, a := range tok.Attr {
				if err := checkAttr(a, schemes); err != nil {
					return fmt.Errorf("<%s>: %w", tok.Data, err)
				}
			}
		}
	}
}

func checkAttr(a html.Attribute, schemes []string) error {
	name := strings.ToLower(a.Key)
	switch {
	case strings.HasPrefix(name, "on"):
		return fmt.Errorf("event handler %s", name)
	case name == "style":
		return errors.New("style attribute")
	case urlAttrs[name]:
		if s := Scheme(a.Val); s != "" && !slices.Contains(schemes, s) {
			return fmt.Errorf("%s with scheme %q: %q", name, s, a.Val)
		}
	}
	return nil
}

// Scheme returns the lower-cased scheme a browser would see in a URL
// attribute: it strips leading and trailing C0 controls and spaces and
// removes tabs and newlines anywhere, so "jav\tascript:" is javascript.
func Scheme(v string) string {
	v = strings.TrimFunc(v, func(r rune) bool { return r <= ' ' })
	v = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, v)
	colon := strings.IndexByte(v, ':')
	if colon < 0 || strings.ContainsAny(v[:colon], "/?#") {
		return ""
	}
	return strings.ToLower(v[:colon])
}
