package content

import (
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// Heading levels allowed in a body. The page's title is its h1, so the body
// starts at h2; below h4 the levels no longer help readers.
const (
	topHeading    = 2
	bottomHeading = 4
)

// headingTransformer shifts heading levels so the shallowest heading in the
// body becomes h2, keeping the author's relative outline (a "#" section with
// "##" subsections becomes h2 with h3), and caps deeper ones at h4.
type headingTransformer struct{}

func (headingTransformer) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	var headings []*ast.Heading
	shallowest := 7
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering {
			headings = append(headings, h)
			shallowest = min(shallowest, h.Level)
		}
		return ast.WalkContinue, nil
	})
	for _, h := range headings {
		h.Level = max(topHeading, min(bottomHeading, h.Level-shallowest+topHeading))
	}
}
