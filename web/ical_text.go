package web

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
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

// paramText prepares a parameter value such as an organiser's CN. The
// library backslash-escapes quotes, commas, colons, semicolons and
// apostrophes there, which RFC 5545 does not define and calendars show
// literally, so those are replaced before it sees them: an apostrophe
// becomes a typographic one and the separators become spaces.
func paramText(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\'':
			return '’'
		case r == '"':
			return -1
		case r == ',' || r == ';' || r == ':' || r == '\\':
			return ' '
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// maxFileSlug bounds the name a downloaded calendar file gets; titles can
// be long, file names are best kept short.
const maxFileSlug = 60

// calendarFileName is the name an event's .ics file is saved under: its
// title in lower-case ASCII words joined by hyphens ("Café & Cake!"
// becomes "cafe-cake.ics"), or "event.ics" when nothing of it is left.
// Accents are dropped rather than the letters they sit on, and nothing
// that a file system or a header treats specially survives.
func calendarFileName(title string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range norm.NFKD.String(title) {
		r = unicode.ToLower(r)
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
		case unicode.Is(unicode.Mn, r): // an accent, split off its letter
		default:
			hyphen = true
		}
	}
	slug := b.String()
	if len(slug) > maxFileSlug {
		slug = slug[:maxFileSlug]
		if i := strings.LastIndexByte(slug, '-'); i > maxFileSlug/2 {
			slug = slug[:i]
		}
		slug = strings.TrimRight(slug, "-")
	}
	if slug == "" {
		slug = "event"
	}
	return slug + ".ics"
}
