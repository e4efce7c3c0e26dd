package content

import (
	"bufio"
	"html"
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	ghtml "github.com/yuin/goldmark/renderer/html"
)

// Separators between pieces of plain text, weakest first; where two meet,
// the stronger one wins, and none is written at the start or the end.
const (
	sepNone = iota
	sepCell
	sepLine
	sepBlock
)

var separators = [...]string{sepNone: "", sepCell: "\t", sepLine: "\n", sepBlock: "\n\n"}

// plainWriter accumulates text through goldmark's own HTML text writer, so
// backslash escapes and character references resolve exactly as in the
// HTML; the result is unescaped back to plain text at the end.
type plainWriter struct {
	sb      strings.Builder
	w       *bufio.Writer
	pending int
	started bool
}

func (p *plainWriter) sep(s int) {
	if p.started {
		p.pending = max(p.pending, s)
	}
}

func (p *plainWriter) begin() {
	_, _ = p.w.WriteString(separators[p.pending])
	p.pending = sepNone
	p.started = true
}

// plainText renders the body as plain text: blocks separated by blank
// lines, list items and table rows by newlines, table cells by tabs; link
// labels without their URLs, hashtags with their '#', code as written.
func plainText(doc ast.Node, src []byte) (string, error) {
	p := &plainWriter{}
	p.w = bufio.NewWriter(&p.sb)
	text := func(b []byte, raw bool) {
		p.begin()
		if raw {
			ghtml.DefaultWriter.RawWrite(p.w, b)
		} else {
			ghtml.DefaultWriter.Write(p.w, b)
		}
	}
	err := ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Paragraph, *ast.Heading, *ast.Blockquote, *ast.ThematicBreak, *east.Table:
			p.sep(sepBlock)
		case *ast.List:
			if _, nested := n.Parent().(*ast.ListItem); nested {
				p.sep(sepLine)
			} else {
				p.sep(sepBlock)
			}
		case *ast.ListItem, *ast.TextBlock, *east.TableHeader, *east.TableRow:
			p.sep(sepLine)
		case *east.TableCell:
			p.sep(sepCell)
		case *ast.CodeBlock, *ast.FencedCodeBlock:
			p.sep(sepBlock)
			lines := n.Lines()
			for i := range lines.Len() {
				seg := lines.At(i)
				line := seg.Value(src)
				if i == lines.Len()-1 {
					line = []byte(strings.TrimRight(string(line), "\n"))
				}
				text(line, true)
			}
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			text(n.Value(src), n.IsRaw())
			if n.SoftLineBreak() || n.HardLineBreak() {
				p.sep(sepLine)
			}
		case *ast.String:
			text(n.Value, n.IsRaw() || n.IsCode())
		case *ast.AutoLink:
			text(n.Label(src), true)
		case *hashtagNode:
			text([]byte("#"+n.tag), true)
		}
		return ast.WalkContinue, nil
	})
	if err != nil {
		return "", err
	}
	if err := p.w.Flush(); err != nil {
		return "", err
	}
	return html.UnescapeString(p.sb.String()), nil
}
