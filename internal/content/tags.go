package content

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxTagRunes bounds a tag name. Longer runs of letters after '#' are not
// treated as tags: they are almost always noise, and tags end up in URLs.
const MaxTagRunes = 100

// ErrInvalidTag is wrapped by ParseTags for a name that cannot be a tag.
var ErrInvalidTag = errors.New("a tag starts with a letter and has only letters, digits and underscores")

// isTagRune reports whether r may continue a tag name. Marks are included
// so that tags in scripts such as Devanagari, or typed in decomposed form
// (e + combining acute), are not cut in the middle of a letter.
func isTagRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r) || r == '_'
}

// canPrecedeTag reports whether a '#' after r may start a hashtag. A word
// character before it means "C#" or "issue#2"; '/' means a URL fragment
// that was not linkified; '&' means a character reference like "&#x41;";
// '\' is the author escaping the '#'.
func canPrecedeTag(r rune) bool {
	return !isTagRune(r) && r != '/' && r != '&' && r != '\\' && r != '#'
}

// tagLength returns the byte length of the tag name at the start of s, or 0
// if s does not start with one; a run that is too long counts as no tag but
// its length is still returned in skip, so callers can step over it.
func tagLength(s []byte) (n, skip int) {
	r, size := utf8.DecodeRune(s)
	if !unicode.IsLetter(r) {
		return 0, 0
	}
	runes := 1
	for n = size; n < len(s); n += size {
		r, size = utf8.DecodeRune(s[n:])
		if !isTagRune(r) {
			break
		}
		runes++
	}
	if runes > MaxTagRunes {
		return 0, n
	}
	return n, n
}

// validTag reports whether name, without '#', is a whole tag name.
func validTag(name string) bool {
	n, _ := tagLength([]byte(name))
	return n > 0 && n == len(name)
}

// NormaliseTag folds a tag for lookups and URLs: without a leading '#',
// in Unicode NFC (so "café" typed composed or decomposed is one tag), and
// lower-cased with simple case mapping. Full case folding (ß/ss) and
// Mastodon's ASCII folding are deliberately not done: they would merge
// tags whose authors meant different words.
func NormaliseTag(tag string) string {
	tag = strings.TrimPrefix(strings.TrimSpace(tag), "#")
	return strings.ToLower(norm.NFC.String(tag))
}

// ParseTags reads a tag list as typed in the CLI or a web form, such as
// "HSCLeeds, #TrulySocial tweetmeet": names are separated by commas or
// spaces and may carry one '#'. Duplicates (by NormaliseTag) are dropped,
// keeping the first spelling. The first invalid name is refused with an
// error wrapping ErrInvalidTag.
func ParseTags(list string) ([]string, error) {
	fields := strings.FieldsFunc(list, func(r rune) bool { return r == ',' || unicode.IsSpace(r) })
	var tags []string
	seen := make(map[string]bool, len(fields))
	for _, f := range fields {
		name := norm.NFC.String(strings.TrimPrefix(f, "#"))
		if !validTag(name) {
			return nil, fmt.Errorf("content: tag %q: %w", f, ErrInvalidTag)
		}
		if key := NormaliseTag(name); !seen[key] {
			seen[key] = true
			tags = append(tags, name)
		}
	}
	return tags, nil
}

// dedupeTags keeps the first spelling of each tag, in order.
func dedupeTags(tags []string) []string {
	var out []string
	seen := make(map[string]bool, len(tags))
	for _, t := range tags {
		if key := NormaliseTag(t); !seen[key] {
			seen[key] = true
			out = append(out, t)
		}
	}
	return out
}
