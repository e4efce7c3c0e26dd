package sanitize

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/commonplace-social/commonplace/internal/htmlcheck"
)

// FuzzHTML: whatever a remote server sends, what we keep runs nothing.
func FuzzHTML(f *testing.F) {
	for _, seed := range []string{
		`<p>Hello <a href="https://m.example/@a" class="u-url mention">@<span>a</span></a></p>`,
		`<script>alert(1)</script><img src=x onerror=alert(1)>`,
		`<a href="javascript:alert(1)">x</a><a href="jav&#x09;ascript:alert(1)">y</a>`,
		`<a href=" data:text/html,<script>alert(1)</script>">z</a>`,
		`<svg><style><img src=x onerror=alert(1)></style></svg>`,
		`<p style="x" onclick="y">p</p><iframe src="https://e.example"></iframe>`,
		"\x00<b>bad\xff utf8</b>",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := HTML(s)
		if err := htmlcheck.Inert(out, "http", "https"); err != nil {
			t.Fatalf("HTML(%q) = %q: %v", s, out, err)
		}
		if !utf8.ValidString(out) || strings.ContainsRune(out, 0) {
			t.Fatalf("HTML(%q) = %q: NUL or invalid UTF-8", s, out)
		}
		plain := PlainText(s)
		if !utf8.ValidString(plain) || strings.ContainsRune(plain, 0) || plain != strings.Join(strings.Fields(plain), " ") {
			t.Fatalf("PlainText(%q) = %q: not clean single-spaced text", s, plain)
		}
	})
}
