package content

import (
	"html"
	"regexp"
	"strings"
	"sync"
	"testing"
)

func TestRenderMarkdownFeatures(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
		not      []string
	}{
		{"h1 becomes h2, outline kept", "# Tweet Meet\n\n## Cakes", []string{"<h2>Tweet Meet</h2>", "<h3>Cakes</h3>"}, []string{"<h1"}},
		{"shallowest heading becomes h2", "### Agenda", []string{"<h2>Agenda</h2>"}, nil},
		{"deep headings capped at h4", "# a\n\n#### b\n\n###### c", []string{"<h2>a</h2>", "<h4>b</h4>", "<h4>c</h4>"}, []string{"<h5", "<h6"}},
		{"emphasis and strikethrough", "*soon* **now** ~~never~~", []string{"<em>soon</em>", "<strong>now</strong>", "<del>never</del>"}, nil},
		{"bullet list", "- hospice\n- trust", []string{"<ul>", "<li>hospice</li>", "<li>trust</li>"}, nil},
		{"ordered list keeps its start", "3. curry\n4. festival", []string{`<ol start="3">`, "<li>curry</li>"}, nil},
		{"blockquote", "> one place for notes", []string{"<blockquote>", "<p>one place for notes</p>"}, nil},
		{"fenced code with language", "```go\nfmt.Println(\"hi\")\n```", []string{`<pre><code class="language-go">fmt.Println(`}, nil},
		{"code span", "use `go test`", []string{"<code>go test</code>"}, nil},
		{"table with alignment", "| What | When |\n|:--|--:|\n| Curry | Thursday |", []string{"<table>", "<thead>", `<th align="left">What</th>`, "<tbody>", `<td align="right">Thursday</td>`}, []string{"style="}},
		{"thematic break", "before\n\n---\n\nafter", []string{"<hr"}, nil},
		{"hard line break", "Tech North  \nChapel Allerton", []string{"<br"}, nil},
		{"external link is nofollow", "[Tech North](https://technorth.example/)", []string{`<a href="https://technorth.example/" rel="nofollow noopener">Tech North</a>`}, []string{"target="}},
		{"link title kept", `[guide](https://guide.example/ "Staff guide")`, []string{`title="Staff guide"`}, nil},
		{"relative link stays plain", "[toolkit](/guidance/toolkit)", []string{`<a href="/guidance/toolkit">toolkit</a>`}, []string{"nofollow"}},
		{"bare URL linked", "notes at https://hscleeds.example/notes today", []string{`<a href="https://hscleeds.example/notes" rel="nofollow noopener">https://hscleeds.example/notes</a>`}, nil},
		{"www URL linked", "see www.leedsdigital.example", []string{`<a href="http://www.leedsdigital.example" rel="nofollow noopener">www.leedsdigital.example</a>`}, nil},
		{"angle autolink", "<https://hscleeds.example/>", []string{`<a href="https://hscleeds.example/" rel="nofollow noopener">`}, nil},
		{"email linked", "write to curry@socialcare.example", []string{`<a href="mailto:curry@socialcare.example">curry@socialcare.example</a>`}, nil},
		{"fediverse handle not an email", "follow @gemma@hospice.example", []string{"@gemma@hospice.example"}, []string{"mailto:"}},
		{"ftp not linked", "ftp://files.example/a", []string{"ftp://files.example/a"}, []string{"<a"}},
		{"image becomes link with alt", "![Cakes at the meet](https://img.example/cake.jpg)", []string{`<a href="https://img.example/cake.jpg" rel="nofollow noopener">Cakes at the meet</a>`}, []string{"<img"}},
		{"image without alt shows URL", "![](https://img.example/cake.jpg)", []string{`>https://img.example/cake.jpg</a>`}, []string{"<img"}},
		{"raw HTML shown as typed", "I like <b>cake</b>", []string{"I like &lt;b&gt;cake&lt;/b&gt;"}, []string{"<b>"}},
		{"raw HTML block shown as typed", "<div>\n**still Markdown**\n</div>", []string{"&lt;div&gt;", "<strong>still Markdown</strong>"}, []string{"<div"}},
		{"escapes and entities", `1\. not a list &amp; &copy;`, []string{"1. not a list &amp; ©"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Render(tt.in, tagURL)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.HTML, w) {
					t.Errorf("missing %q in\n%s", w, r.HTML)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(r.HTML, n) {
					t.Errorf("unexpected %q in\n%s", n, r.HTML)
				}
			}
			assertInert(t, tt.in, r.HTML)
		})
	}
}

func TestRenderHostileInputIsInert(t *testing.T) {
	tests := []struct {
		in   string
		gone []string // must not appear at all, even as text
	}{
		{`<script>alert(1)</script>`, []string{"<script"}},
		{"<div>\n<script>alert(1)</script>\n</div>", []string{"<script", "<div"}},
		{`<img src=x onerror=alert(1)>`, []string{"<img"}},
		{`<iframe src="https://evil.example"></iframe>`, []string{"<iframe"}},
		{`<a href="https://ok.example" onclick="alert(1)">x</a>`, []string{"<a href"}},
		{`<a href="javascript:alert(1)">x</a>`, []string{`href="javascript`}},
		{`<svg onload=alert(1)>`, []string{"<svg"}},
		{`<style>p{display:none}</style>`, []string{"<style"}},
		{`<!-- <script>alert(1)</script> -->`, []string{"<script", "<!--"}},
		{`[x](javascript:alert(1))`, []string{"javascript"}},
		{`[x](JaVaScRiPt:alert(1))`, []string{"javascript"}},
		{`[x](&#106;avascript:alert(1))`, []string{"javascript"}},
		{`[x](java%0ascript:alert(1))`, []string{"javascript:"}},
		{`[x](vbscript:msgbox(1))`, []string{"vbscript"}},
		{`[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`, []string{"data:"}},
		{`![x](data:image/png;base64,iVBORw0KGgo=)`, []string{"data:", "<img"}},
		{"[x][evil]\n\n[evil]: javascript:alert(1)", []string{"javascript"}},
		{`<javascript:alert(1)>`, []string{`href="javascript`}},
		{`[x](https://ok.example "t\" onmouseover=\"alert(1)")`, nil},
		{`[<img src=x onerror=alert(1)>](https://ok.example)`, []string{"<img"}},
		{"```html\n<script>alert(1)</script>\n```", []string{"<script"}},
		{`*<script>*alert(1)*</script>*`, []string{"<script"}},
	}
	for _, tt := range tests {
		r, err := Render(tt.in, tagURL)
		if err != nil {
			t.Fatalf("Render(%q): %v", tt.in, err)
		}
		out := strings.ToLower(r.HTML)
		for _, g := range tt.gone {
			if strings.Contains(out, g) {
				t.Errorf("Render(%q) = %q still contains %q", tt.in, r.HTML, g)
			}
		}
		assertInert(t, tt.in, r.HTML)
	}
}

// Everything '<' in the output must open an allowed tag: text is escaped.
var (
	tagRE  = regexp.MustCompile(`<(/?)([a-z0-9]+)((?:\s+[a-z-]+="[^"]*")*)\s*/?>`)
	attrRE = regexp.MustCompile(`([a-z-]+)="([^"]*)"`)
	inert  = map[string]map[string]bool{
		"a": {"href": true, "rel": true, "class": true, "title": true}, "code": {"class": true},
		"ol": {"start": true}, "th": {"align": true}, "td": {"align": true},
	}
	plain = "p br del pre code em strong ul ol li blockquote h2 h3 h4 hr table thead tbody tr th td a"
)

// assertInert checks the output against the policy's allow-list by its
// structure, so a stray handler or scheme cannot hide behind escaping.
func assertInert(t *testing.T, in, out string) {
	t.Helper()
	low := strings.ToLower(out)
	tags := tagRE.FindAllStringSubmatch(low, -1)
	if n := strings.Count(low, "<"); n != len(tags) {
		t.Errorf("Render(%q): %d '<' but %d well-formed tags in %q", in, n, len(tags), out)
	}
	for _, m := range tags {
		name := m[2]
		if !strings.Contains(" "+plain+" ", " "+name+" ") {
			t.Errorf("Render(%q): element <%s> in %q", in, name, out)
		}
		for _, a := range attrRE.FindAllStringSubmatch(m[3], -1) {
			if !inert[name][a[1]] {
				t.Errorf("Render(%q): attribute %s on <%s> in %q", in, a[1], name, out)
			}
			if a[1] == "href" {
				v := html.UnescapeString(a[2])
				if i := strings.IndexAny(v, ":/?#"); i > 0 && v[i] == ':' &&
					!strings.HasPrefix(v, "http:") && !strings.HasPrefix(v, "https:") && !strings.HasPrefix(v, "mailto:") {
					t.Errorf("Render(%q): href %q in %q", in, v, out)
				}
			}
		}
	}
}

func TestRenderStripsNULAndBadUTF8(t *testing.T) {
	r, err := Render("Tweet\x00 Meet #HSC\x00Leeds \xff", tagURL)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{r.HTML, r.Text} {
		if strings.ContainsRune(s, 0) || strings.Contains(s, "\xff") {
			t.Errorf("NUL or bad UTF-8 survived: %q", s)
		}
	}
	if len(r.Tags) != 1 || r.Tags[0] != "HSCLeeds" {
		t.Errorf("Tags = %q, want [HSCLeeds]", r.Tags)
	}
}

func TestRenderText(t *testing.T) {
	in := "# The #HSCLeeds meet\n\nCakes &amp; [coffee](https://x.example/) at\nTech North \\*again\\*.\n\n" +
		"- St Gemma's\n- Volition\n\n| Who | When |\n|---|---|\n| Curry | Thursday |\n\n" +
		"```\nline one\nline two\n```\n\n![the cake table](https://img.example/c.jpg) and `<b>code</b>` <b>raw</b>\n"
	want := "The #HSCLeeds meet\n\nCakes & coffee at\nTech North *again*.\n\nSt Gemma's\nVolition\n\n" +
		"Who\tWhen\nCurry\tThursday\n\nline one\nline two\n\nthe cake table and <b>code</b> <b>raw</b>"
	r, err := Render(in, tagURL)
	if err != nil {
		t.Fatal(err)
	}
	if r.Text != want {
		t.Errorf("Text =\n%q\nwant\n%q", r.Text, want)
	}
}

func TestRenderConcurrently(t *testing.T) {
	first, err := Render(writeUp, tagURL)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			r, err := Render(writeUp, tagURL)
			if err != nil || r.HTML != first.HTML || r.Text != first.Text || strings.Join(r.Tags, ",") != strings.Join(first.Tags, ",") {
				t.Errorf("concurrent Render differs (err %v)", err)
			}
		})
	}
	wg.Wait()
}

func TestRenderWriteUp(t *testing.T) {
	r, err := Render(writeUp, tagURL)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(r.Tags, ","); got != "HSCLeeds,TrulySocial" {
		t.Errorf("Tags = %s", got)
	}
	if !strings.HasPrefix(r.HTML, `<h2>Notes from the August <a href="https://hscleeds.example/tags/hscleeds" class="hashtag" rel="tag">#HSCLeeds</a> Tweet Meet</h2>`) {
		t.Errorf("HTML starts %q", r.HTML[:min(200, len(r.HTML))])
	}
	assertInert(t, "writeUp", r.HTML)
	if s := Summary(r.Text, SummaryMax); !strings.HasPrefix(s, "Notes from the August #HSCLeeds Tweet Meet The third") {
		t.Errorf("summary %q", s)
	}
}

func BenchmarkRender(b *testing.B) {
	b.SetBytes(int64(len(writeUp)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(writeUp, tagURL); err != nil {
			b.Fatal(err)
		}
	}
}
