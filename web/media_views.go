package web

import (
	"context"
	"strconv"

	"github.com/commonplace-social/commonplace/internal/media"
	"github.com/commonplace-social/commonplace/internal/model"
)

// imageView is a post's picture as the page shows it: the display version,
// with the thumbnail offered to narrow screens through srcset, its alt text
// and its size, so the page does not jump as images load.
type imageView struct {
	Src, SrcSet, Alt string
	Width, Height    int
	AbsURL           string // for og:image
	ContentType      string
}

// postImages loads a post's images for its page.
func (s *Server) postImages(ctx context.Context, p *model.Post) ([]imageView, error) {
	byPost, err := s.Store.PostMedia(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	var out []imageView
	for _, m := range byPost[p.ID] {
		out = append(out, s.imageViewOf(m))
	}
	return out, nil
}

// imageViewOf is one picture as pages show it.
func (s *Server) imageViewOf(m *model.Media) imageView {
	w, h := media.DisplaySize(m.Kind, m.Width, m.Height)
	tw, _ := media.ThumbSize(m.Kind, m.Width, m.Height)
	return imageView{
		Src:    media.Path(m.DisplayKey),
		SrcSet: media.Path(m.ThumbKey) + " " + strconv.Itoa(tw) + "w, " + media.Path(m.DisplayKey) + " " + strconv.Itoa(w) + "w",
		Alt:    m.Alt, Width: w, Height: h,
		AbsURL: media.URL(s.Layout.Base, m.DisplayKey), ContentType: m.ContentType,
	}
}
