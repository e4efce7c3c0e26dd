package search

import (
	"html"
	"strings"

	"github.com/commonplace-social/commonplace/internal/store"
)

// snippetHTML turns a store snippet, plain text with the matched words
// between store.SnippetStart and store.SnippetEnd, into HTML: every piece
// of the post's text is escaped first, and only then do the markers become
// <mark>, so nothing a post contains is ever read as markup.
func snippetHTML(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	var b strings.Builder
	open := false
	for s != "" {
		marker := store.SnippetStart
		if open {
			marker = store.SnippetEnd
		}
		before, after, found := strings.Cut(s, marker)
		// A stray marker of the other kind is dropped, not trusted.
		before = strings.NewReplacer(store.SnippetStart, "", store.SnippetEnd, "").Replace(before)
		b.WriteString(html.EscapeString(before))
		if !found {
			break
		}
		if open {
			b.WriteString("</mark>")
		} else {
			b.WriteString("<mark>")
		}
		open, s = !open, after
	}
	if open {
		b.WriteString("</mark>")
	}
	return b.String()
}
