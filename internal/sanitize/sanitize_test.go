package sanitize

import (
	"strings"
	"testing"
)

func TestHTMLRemovesEverythingActive(t *testing.T) {
	hostile := []string{
		`<script>alert(1)</script>`,
		`<a href="javascript:alert(1)">x</a>`,
		`<a href="JaVaScRiPt:alert(1)">x</a>`,
		`<p onclick="alert(1)">x</p>`,
		`<img src=x onerror=alert(1)>`,
		`<iframe src="https://evil.example"></iframe>`,
		`<style>body{display:none}</style>`,
		`<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>`,
		`<svg onload=alert(1)>`,
		`<p style="background:url(javascript:alert(1))">x</p>`,
		`<form action="https://evil.example"><input name=a></form>`,
	}
	for _, in := range hostile {
		out := strings.ToLower(HTML(in))
		for _, bad := range []string{"<script", "javascript:", "onclick", "onerror", "onload", "<iframe", "<style", "data:", "<svg", "style=", "<form", "<input", "<img"} {
			if strings.Contains(out, bad) {
				t.Errorf("HTML(%q) = %q still contains %q", in, out, bad)
			}
		}
	}
}

func TestHTMLKeepsWhatMastodonSends(t *testing.T) {
	in := `<p>Hello <span class="h-card"><a href="https://b.example/users/org" class="u-url mention">@<span>org</span></a></span> <a href="https://m.example/tags/hscleeds" class="mention hashtag" rel="tag">#<span>HSCLeeds</span></a><br>see <em>you</em> there</p>`
	out := HTML(in)
	for _, want := range []string{`<p>`, `<br>`, `<em>you</em>`, `href="https://b.example/users/org"`, `class="u-url mention"`, `rel="nofollow noreferrer noopener"`} {
		if !strings.Contains(out, want) {
			t.Errorf("lost %q: %s", want, out)
		}
	}
}

func TestTextStripsNULAndBadUTF8(t *testing.T) {
	if got := Text("a\x00b\xffc"); got != "ab\uFFFDc" {
		t.Errorf("Text = %q", got)
	}
	if got := Truncate("héllo", 2); got != "hé" {
		t.Errorf("Truncate = %q", got)
	}
}
