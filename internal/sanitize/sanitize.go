// Package sanitize cleans HTML that arrives from other servers before it is
// stored or shown, to an allow-list close to what Mastodon keeps, so that no
// remote post, reply or profile can run script in our pages or feeds.
package sanitize

import (
	"html"
	"strings"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
)

// policy mirrors Mastodon 4.2+'s kept elements: paragraphs and line breaks,
// links, inline emphasis, code, lists and quotes. Headings are not kept:
// they would break the page's own outline.
var policy = func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "span", "del", "pre", "code", "em", "strong", "b", "i", "u", "ul", "ol", "li", "blockquote")
	p.AllowAttrs("href").OnElements("a")
	p.AllowURLSchemes("http", "https")
	p.RequireParseableURLs(true)
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	// Mastodon marks mentions and hashtags with these classes; keeping them
	// lets our stylesheet show them, and they carry no behaviour.
	p.AllowAttrs("class").Matching(bluemonday.SpaceSeparatedTokens).OnElements("a", "span")
	return p
}()

// HTML returns remote HTML reduced to the allow-list, with NUL bytes and
// invalid UTF-8 removed (PostgreSQL refuses both in text columns).
func HTML(s string) string {
	return policy.Sanitize(Text(s))
}

// Text removes NUL bytes and invalid UTF-8 from plain text.
func Text(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return strings.ReplaceAll(s, "\x00", "")
}

// Truncate cuts s to at most n runes, for bounding remote fields.
func Truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

var stripAll = bluemonday.StrictPolicy()

// blockEnds keeps words of adjacent paragraphs apart once tags are gone.
var blockEnds = strings.NewReplacer("</p>", " </p>", "<br>", " <br>", "<br/>", " <br/>", "<br />", " <br />", "</li>", " </li>")

// PlainText reduces remote HTML to text, for fields shown as plain text
// (summaries, names): tags are removed and entities decoded.
func PlainText(s string) string {
	s = blockEnds.Replace(Text(s))
	return strings.Join(strings.Fields(html.UnescapeString(stripAll.Sanitize(s))), " ")
}
