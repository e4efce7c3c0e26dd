package htmlcheck

import "testing"

func TestInert(t *testing.T) {
	for _, bad := range []string{
		`<SCRIPT>x</SCRIPT>`,
		`<p onclick="x">a</p>`,
		`<a href=" JaVa&#x09;Script:alert(1)">a</a>`,
		"<a href=\"\x01javascript:alert(1)\">a</a>",
		`<a href="data:text/html,x">a</a>`,
		`<img src="https://e.example/x.png">`,
		`<span style="position:fixed">a</span>`,
	} {
		if Inert(bad, "http", "https") == nil {
			t.Errorf("%q passed", bad)
		}
	}
	for _, good := range []string{
		`<p>Hi <a href="https://e.example/" rel="nofollow noopener">e</a> <a href="/tags/x">#x</a></p>`,
		`<pre><code>&lt;script&gt;javascript:alert(1)</code></pre>`,
		`<a href="mailto:a@e.example">mail</a>`,
	} {
		if err := Inert(good, "http", "https", "mailto"); err != nil {
			t.Errorf("%q: %v", good, err)
		}
	}
}
