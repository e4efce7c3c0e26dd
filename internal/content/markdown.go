// Package content turns what local authors write into what Commonplace
// stores and federates: Markdown becomes sanitised HTML, plain text and a
// list of hashtags, and Articles and Events get the short plain-text
// summaries that Mastodon shows in place of their body (INTEROP.md §3–4).
//
// Remote HTML is cleaned by internal/sanitize; this package is for content
// written here, which may use a little more structure (headings, tables).
package content

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/commonplace-social/commonplace/internal/sanitize"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Rendered is a Markdown body in the forms the rest of Commonplace needs.
type Rendered struct {
	// HTML is the body as sanitised HTML, safe to store, serve and federate.
	HTML string
	// Tags are the hashtags of the body without '#', in order of first
	// appearance, de-duplicated by NormaliseTag with the first spelling kept.
	Tags []string
	// Text is the body as plain text, for summaries, search and feeds.
	Text string
}

// markdown is built once: goldmark parsers and renderers initialise lazily
// under a sync.Once and are safe for concurrent use.
var markdown = goldmark.New(
	goldmark.WithParser(parserWithoutHTML()),
	goldmark.WithExtensions(
		// Bare URLs become links; other schemes (ftp:, …) stay text
		// rather than become links the policy would then strip.
		extension.NewLinkify(extension.WithLinkifyAllowedProtocols([]string{"http:", "https:"})),
		// An align attribute, not a style attribute, so the policy never
		// has to allow CSS.
		extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)),
		extension.Strikethrough,
	),
	goldmark.WithParserOptions(parser.WithASTTransformers(
		// After the table extension's own transformer (priority 0).
		util.Prioritized(headingTransformer{}, 100),
		util.Prioritized(linkTransformer{}, 200),
		util.Prioritized(hashtagTransformer{}, 300),
	)),
	goldmark.WithRendererOptions(renderer.WithNodeRenderers(
		util.Prioritized(hashtagRenderer{}, 500),
	)),
)

// parserWithoutHTML is goldmark's default parser minus raw HTML (inline and
// block). Authors' HTML is not trusted, and treating it as text means it is
// shown escaped, exactly as typed, instead of vanishing without a trace;
// Markdown and hashtags around it keep working.
func parserWithoutHTML() parser.Parser {
	htmlBlock, rawHTML := parser.NewHTMLBlockParser(), parser.NewRawHTMLParser()
	var blocks, inlines []util.PrioritizedValue
	for _, v := range parser.DefaultBlockParsers() {
		if v.Value != htmlBlock {
			blocks = append(blocks, v)
		}
	}
	for _, v := range parser.DefaultInlineParsers() {
		if v.Value != rawHTML {
			inlines = append(inlines, v)
		}
	}
	return parser.NewParser(
		parser.WithBlockParsers(blocks...),
		parser.WithInlineParsers(inlines...),
		parser.WithParagraphTransformers(parser.DefaultParagraphTransformers()...),
	)
}

// tagURLKey carries Render's tagURL to the hashtag transformer.
var tagURLKey = parser.NewContextKey()

// Render turns an author's Markdown into sanitised HTML, plain text and
// hashtags.
//
// Hashtags in text (not in code, link text or URLs) become
// <a href="tagURL(tag)" class="hashtag" rel="tag">#Tag</a>; tagURL receives
// the tag as written and should return an absolute URL, since the HTML is
// also shown on other servers. With a nil tagURL, or when it returns "",
// hashtags are still collected but stay plain text (useful for previews).
//
// NUL bytes are removed and invalid UTF-8 replaced before parsing, because
// PostgreSQL refuses both in text columns.
func Render(md string, tagURL func(tag string) string) (Rendered, error) {
	src := []byte(sanitize.Text(md))
	pc := parser.NewContext()
	pc.Set(tagURLKey, tagURL)
	doc := markdown.Parser().Parse(text.NewReader(src), parser.WithContext(pc))

	var buf bytes.Buffer
	if err := markdown.Renderer().Render(&buf, src, doc); err != nil {
		return Rendered{}, fmt.Errorf("content: rendering markdown: %w", err)
	}
	plain, err := plainText(doc, src)
	if err != nil {
		return Rendered{}, fmt.Errorf("content: extracting plain text: %w", err)
	}
	return Rendered{
		HTML: strings.TrimSpace(policy.Sanitize(buf.String())),
		Tags: hashtagsOf(doc),
		Text: plain,
	}, nil
}
