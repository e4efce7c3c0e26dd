package web

import (
	"strings"
	"unicode"
)

// icalText prepares a TEXT value for golang-ical, which escapes "\n" but
// writes a bare "\r" (or any other control character) through, where a
// calendar reader would take it as the end of the line and read what
// follows as a property of its own. Line breaks become "\n", which the
// library escapes; other control characters go.
func icalText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Map(func(r rune) rune {
		if r != '\n' && (unicode.IsControl(r) || r == '\u2028' || r == '\u2029') {
			return -1
		}
		return r
	}, s)
}
