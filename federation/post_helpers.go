package federation

import (
	"strings"
	"time"
	"unicode"

	"github.com/commonplace-social/commonplace/internal/content"
	"github.com/commonplace-social/commonplace/internal/sanitize"
)

func clip(s string, n int) string { return sanitize.Truncate(sanitize.Text(s), n) }

func cleanText(s string) string { return sanitize.Text(s) }

// sanitizeHTML bounds remote HTML before cleaning it, so a huge body cannot
// make the sanitiser the bottleneck.
func sanitizeHTML(s string) string { return sanitize.HTML(sanitize.Truncate(s, 200_000)) }

// plainText is a remote summary as text: Mastodon sends HTML in summary.
func plainText(s string) string { return sanitize.PlainText(s) }

func normaliseTag(s string) string { return content.NormaliseTag(s) }

// oneLine is clip for one-line fields (a venue, an address): line breaks and
// other control characters become single spaces, so no output that writes
// the value on a line of its own (iCalendar) can be split by it.
func oneLine(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	return clip(strings.Join(strings.Fields(s), " "), n)
}

func nowUTC() time.Time { return time.Now().UTC().Truncate(time.Second) }
