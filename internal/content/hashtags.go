package content

import (
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

var kindHashtag = ast.NewNodeKind("Hashtag")

// hashtagNode is a recognised "#Tag" in the body.
type hashtagNode struct {
	ast.BaseInline
	tag string // as written, without '#'
	url string // where it links; "" for no link
}

func (n *hashtagNode) Kind() ast.NodeKind { return kindHashtag }

func (n *hashtagNode) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Tag": n.tag, "URL": n.url}, nil)
}

// hashtagTransformer finds hashtags in the parsed body. Working on the
// tree rather than the source is what keeps code spans, code blocks, link
// labels and URLs (linkified or not) out of it: only text nodes outside
// those are searched.
type hashtagTransformer struct{}

func (hashtagTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	tagURL, _ := pc.Get(tagURLKey).(func(string) string)
	var texts []*ast.Text
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link, *ast.AutoLink, *ast.CodeSpan, *ast.Image:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			if !n.IsRaw() {
				texts = append(texts, n)
			}
		default:
			mergeTexts(n, src)
		}
		return ast.WalkContinue, nil
	})
	for _, t := range texts {
		splitHashtags(t, src, tagURL)
	}
}

// mergeTexts joins adjacent text children that are contiguous in the
// source. The inline parser splits text at would-be emphasis delimiters,
// so "#HSC_Leeds" arrives as "#HSC_" and "Leeds"; joined, the tag is whole.
// Rendering is unchanged, since the joined text is the same source.
func mergeTexts(parent ast.Node, src []byte) {
	for c := parent.FirstChild(); c != nil; c = c.NextSibling() {
		t, ok := c.(*ast.Text)
		if !ok {
			continue
		}
		for {
			next, ok := t.NextSibling().(*ast.Text)
			if !ok || t.SoftLineBreak() || t.HardLineBreak() || t.IsRaw() || next.IsRaw() ||
				t.Segment.Padding != 0 || next.Segment.Padding != 0 || t.Segment.Stop != next.Segment.Start {
				break
			}
			t.Segment = text.NewSegment(t.Segment.Start, next.Segment.Stop)
			t.SetSoftLineBreak(next.SoftLineBreak())
			t.SetHardLineBreak(next.HardLineBreak())
			parent.RemoveChild(parent, next)
		}
	}
}

// splitHashtags replaces the hashtags in t by hashtag nodes, putting the
// text before each in a new text node. t itself keeps the text after the
// last tag, and with it any line break at its end.
func splitHashtags(t *ast.Text, src []byte, tagURL func(string) string) {
	parent := t.Parent()
	seg := t.Segment
	v := seg.Value(src)
	done := 0 // bytes of v already moved into new nodes
	for i := 0; i < len(v); i++ {
		if v[i] != '#' || !canPrecedeTag(runeBefore(src, seg.Start+i)) {
			continue
		}
		n, skip := tagLength(v[i+1:])
		if n == 0 {
			i += skip
			continue
		}
		if i > done {
			parent.InsertBefore(parent, t, ast.NewTextSegment(text.NewSegment(seg.Start+done, seg.Start+i)))
		}
		h := &hashtagNode{tag: string(v[i+1 : i+1+n])}
		if tagURL != nil {
			h.url = tagURL(h.tag)
		}
		parent.InsertBefore(parent, t, h)
		i += n
		done = i + 1
	}
	t.Segment = text.NewSegment(seg.Start+done, seg.Stop)
}

// runeBefore returns the rune that ends src[:at], or a space at the start;
// it looks at the source, not the node, so "C#" split across nodes is seen.
func runeBefore(src []byte, at int) rune {
	if at == 0 {
		return ' '
	}
	r, _ := utf8.DecodeLastRune(src[:at])
	return r
}

// hashtagsOf lists the body's hashtags in order, first spelling kept.
func hashtagsOf(doc ast.Node) []string {
	var tags []string
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*hashtagNode); ok && entering {
			tags = append(tags, h.tag)
		}
		return ast.WalkContinue, nil
	})
	return dedupeTags(tags)
}

// hashtagRenderer writes hashtags the way Mastodon marks them, so that
// other servers' stylesheets and our own treat them alike. A tag whose URL
// goldmark would refuse for a link stays text rather than become a
// half-link once the policy drops its href.
type hashtagRenderer struct{}

func (hashtagRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindHashtag, renderHashtag)
}

func renderHashtag(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	h := n.(*hashtagNode)
	label := util.EscapeHTML([]byte("#" + h.tag))
	if h.url == "" || html.IsDangerousURL([]byte(strings.ToLower(h.url))) {
		_, _ = w.Write(label)
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString(`<a href="`)
	_, _ = w.Write(util.EscapeHTML(util.URLEscape([]byte(h.url), false)))
	_, _ = w.WriteString(`" class="hashtag" rel="tag">`)
	_, _ = w.Write(label)
	_, _ = w.WriteString(`</a>`)
	return ast.WalkContinue, nil
}
