package content

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/commonplace-social/commonplace/internal/htmlcheck"
)

var markdownSeeds = []string{
	"# Notes from the #HSCLeeds Tweet Meet\n\n- cake\n- *tea*\n\n> quote\n\n```go\nx := 1\n```",
	"[x](javascript:alert(1)) [y](JaVaScRiPt:alert(1)) [z](data:text/html,<script>alert(1)</script>)",
	"<script>alert(1)</script> <img src=x onerror=alert(1)> <a href=\"javascript:x\">a</a>",
	"[a](<java\tscript:alert(1)>) ![i](vbscript:msgbox) <javascript:alert(1)>",
	"| a | b |\n|:--|--:|\n| <b>x</b> | [l](/tags/x \"t\") |",
	"write to curry@socialcare.example or see www.leedsdigital.example #Café #C# issue#2",
	"\x00bad \xff utf8 #tag",
}

// FuzzRender: an author's Markdown renders without error to HTML that runs
// nothing and loads nothing, and every hashtag it reports is a valid tag.
func FuzzRender(f *testing.F) {
	for _, s := range markdownSeeds {
		f.Add(s)
	}
	f.Add(writeUp)
	f.Fuzz(func(t *testing.T, md string) {
		r, err := Render(md, tagURL)
		if err != nil {
			t.Fatalf("Render(%q): %v", md, err)
		}
		if err := htmlcheck.Inert(r.HTML, "http", "https", "mailto"); err != nil {
			t.Fatalf("Render(%q).HTML = %q: %v", md, r.HTML, err)
		}
		for _, s := range []string{r.HTML, r.Text} {
			if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
				t.Fatalf("Render(%q) gave NUL or invalid UTF-8: %q", md, s)
			}
		}
		for _, tag := range r.Tags {
			if !validTag(tag) {
				t.Fatalf("Render(%q) reported invalid tag %q", md, tag)
			}
		}
	})
}

// FuzzParseTags: the tags field of the compose form reads back to the same
// list when written out again, as the edit form does.
func FuzzParseTags(f *testing.F) {
	for _, s := range []string{"HSCLeeds, #tweetmeet", "Café cafe\u0301 CAFÉ", "a,,b  c", "#", "1abc", "x_y, 日本"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, list string) {
		tags, err := ParseTags(list)
		if err != nil {
			return
		}
		for _, tag := range tags {
			if !validTag(tag) {
				t.Fatalf("ParseTags(%q) kept invalid tag %q", list, tag)
			}
		}
		again, err := ParseTags(strings.Join(tags, ", "))
		if err != nil || !slices.Equal(again, tags) {
			t.Fatalf("ParseTags(%q) = %q, but written out it reads %q, %v", list, tags, again, err)
		}
	})
}
