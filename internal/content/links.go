package content

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// externalRel is set on links that leave the site. This package does not
// know our own host, so every absolute http(s) link counts as external;
// relative links are ours and stay plain. nofollow denies link spam any
// search-ranking value should an account be misused (Mastodon does the
// same); noopener keeps the opened page from reaching back into ours.
// Referrers are kept: partner organisations like to see where visits
// come from.
const externalRel = "nofollow noopener"

// linkTransformer turns images into links and marks external links.
//
// Images become a link to the image with the alt text as its label, so
// nothing the author wrote disappears: Mastodon strips <img> from content
// anyway (media travel as attachments with their own alt text), and
// hot-linked images would tell third parties who reads our pages.
type linkTransformer struct{}

func (linkTransformer) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	var images []*ast.Image
	var links []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Image:
			images = append(images, n)
		case *ast.Link, *ast.AutoLink:
			links = append(links, n)
		}
		return ast.WalkContinue, nil
	})
	for _, img := range images {
		links = append(links, imageToLink(img))
	}
	for _, n := range links {
		var dest []byte
		switch n := n.(type) {
		case *ast.Link:
			dest = n.Destination
		case *ast.AutoLink:
			if n.AutoLinkType != ast.AutoLinkURL {
				continue
			}
			dest = n.URL(reader.Source())
		}
		if isAbsolute(dest) {
			n.SetAttributeString("rel", []byte(externalRel))
		}
	}
}

// imageToLink replaces img with an equivalent link and returns the link.
func imageToLink(img *ast.Image) *ast.Link {
	link := ast.NewLink()
	link.Destination = img.Destination
	link.Title = img.Title
	for c := img.FirstChild(); c != nil; {
		next := c.NextSibling()
		link.AppendChild(link, c)
		c = next
	}
	if !link.HasChildren() {
		label := ast.NewString(img.Destination)
		label.SetRaw(true)
		link.AppendChild(link, label)
	}
	img.Parent().ReplaceChild(img.Parent(), img, link)
	return link
}

// isAbsolute reports whether a link destination names another host.
func isAbsolute(dest []byte) bool {
	d := bytes.ToLower(bytes.TrimSpace(dest))
	return bytes.HasPrefix(d, []byte("http://")) || bytes.HasPrefix(d, []byte("https://")) || bytes.HasPrefix(d, []byte("//"))
}
