package content

import (
	"regexp"

	"github.com/microcosm-cc/bluemonday"
)

// policy is the last word on what local HTML may contain, whatever the
// Markdown renderer produced. It allows exactly what the renderer emits:
// internal/sanitize's remote list (what Mastodon keeps) less span/b/i/u,
// which Markdown never produces, plus the structure our own pages show:
// h2–h4 (the page title is the h1), hr and tables. Other differences:
//
//   - rel is not forced by bluemonday but allowed only with the two values
//     the renderer writes: "tag" on hashtags and "nofollow noopener" on
//     absolute links (see externalRel). Forcing nofollow would also mark our
//     own absolute hashtag links.
//   - No target="_blank": readers decide where a link opens.
//   - Relative links are kept (they point into our own site) and mailto:
//     too (events give contact addresses); everything else but http(s)
//     goes, so javascript:, data: and vbscript: never survive.
//   - class only as the renderer writes it: "hashtag" on links and
//     "language-x" on code, for highlighting; no style attributes at all.
var policy = func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "del", "pre", "code", "em", "strong", "ul", "ol", "li", "blockquote",
		"h2", "h3", "h4", "hr", "table", "thead", "tbody", "tr", "th", "td")
	p.AllowAttrs("href").OnElements("a")
	p.AllowURLSchemes("http", "https", "mailto")
	p.AllowRelativeURLs(true)
	p.RequireParseableURLs(true)
	p.AllowAttrs("rel").Matching(regexp.MustCompile(`^(tag|nofollow noopener)$`)).OnElements("a")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^hashtag$`)).OnElements("a")
	p.AllowAttrs("title").OnElements("a")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^language-[\w.+#-]{1,32}$`)).OnElements("code")
	p.AllowAttrs("start").Matching(bluemonday.Integer).OnElements("ol")
	p.AllowAttrs("align").Matching(regexp.MustCompile(`^(left|center|right)$`)).OnElements("th", "td")
	return p
}()
