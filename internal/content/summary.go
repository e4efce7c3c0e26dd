package content

import (
	"strings"
	"unicode"
)

// SummaryMax is the summary length FEP-b2b8 recommends for long-form
// objects; for an Article or Event the summary is all Mastodon shows of
// the body, so it must carry the gist within this.
const SummaryMax = 500

const ellipsis = "…"

// Summary shortens plain text to at most limit runes, ellipsis included:
// whitespace is collapsed to single spaces and, when text must be cut, it
// is cut after the last whole word that fits, so no word is broken (unless
// the first word alone is too long) and "…" follows the word directly,
// without a space or a dangling comma. A limit below 1 gives "".
//
// The result is plain text: escape it before putting it into HTML.
func Summary(text string, limit int) string {
	if limit < 1 {
		return ""
	}
	runes := []rune(strings.Join(strings.Fields(text), " "))
	if len(runes) <= limit {
		return string(runes)
	}
	keep := limit - 1 // room for the ellipsis
	if runes[keep] != ' ' {
		// The cut would fall inside a word: go back to the last space.
		if i := lastSpace(runes[:keep]); i > 0 {
			keep = i
		}
	}
	cut := strings.TrimRightFunc(string(runes[:keep]), func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",;:-–—", r)
	})
	return cut + ellipsis
}

func lastSpace(runes []rune) int {
	for i := len(runes) - 1; i >= 0; i-- {
		if runes[i] == ' ' {
			return i
		}
	}
	return -1
}
