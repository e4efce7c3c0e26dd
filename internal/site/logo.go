package site

import (
	"context"
	"fmt"
	"io"

	"github.com/commonplace-social/commonplace/internal/media"
	"github.com/commonplace-social/commonplace/internal/model"
)

// Pictures is what the logo needs of the media use cases (media.Service).
type Pictures interface {
	Save(ctx context.Context, owner media.Owner, kind string, r io.Reader, alt string) (*model.Media, error)
	Remove(ctx context.Context, ids ...int64) error
}

// SetLogo processes an uploaded image as the site's logo, points the
// logo setting at its display version, and removes the logos it replaces.
// The alt text pages give it is the site's name, so none is stored.
func (s *Service) SetLogo(ctx context.Context, pics Pictures, r io.Reader) (string, error) {
	m, err := pics.Save(ctx, media.Owner{}, media.KindLogo, r, "")
	if err != nil {
		return "", err
	}
	path := media.Path(m.DisplayKey)
	if err := s.Update(ctx, Changes{LogoURL: &path}); err != nil {
		if rmErr := pics.Remove(ctx, m.ID); rmErr != nil {
			err = fmt.Errorf("%w (and the new picture could not be removed: %v)", err, rmErr)
		}
		return "", err
	}
	return path, s.PruneLogos(ctx, pics)
}

// PruneLogos removes every stored logo the logo setting no longer shows:
// after an upload, the earlier ones; after the admin clears the logo or
// gives an https address instead, all of them.
func (s *Service) PruneLogos(ctx context.Context, pics Pictures) error {
	set, err := s.Stored(ctx)
	if err != nil {
		return err
	}
	logos, err := s.Store.MediaByKind(ctx, media.KindLogo)
	if err != nil {
		return err
	}
	var unused []int64
	for _, m := range logos {
		if media.Path(m.DisplayKey) != set.LogoURL {
			unused = append(unused, m.ID)
		}
	}
	if len(unused) == 0 {
		return nil
	}
	if err := pics.Remove(ctx, unused...); err != nil {
		return fmt.Errorf("remove replaced logos: %w", err)
	}
	return nil
}
