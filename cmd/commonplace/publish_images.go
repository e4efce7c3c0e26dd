package main

import (
	"context"
	"fmt"
	"os"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance"
	"github.com/commonplace-social/commonplace/internal/media"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/posts"
)

// repeated is a flag that may be given many times, keeping every value.
type repeated []string

func (r *repeated) String() string     { return fmt.Sprint(*r) }
func (r *repeated) Set(v string) error { *r = append(*r, v); return nil }

// imageFlags are publish's --image FILE --alt TEXT pairs.
type imageFlags struct{ files, alts repeated }

func (i *imageFlags) register(f *configFlags) {
	f.Var(&i.files, "image", fmt.Sprintf("an image to attach (JPEG, PNG, WebP or GIF, up to 10 MB); repeat for up to %d, each followed by --alt", posts.MaxImages))
	f.Var(&i.alts, "alt", "alt text for the --image before it: what the picture shows, for people who cannot see it (required)")
}

// prepare processes and stores each image, checking the pairs first so a
// missing alt text is reported before any file is read.
func (i *imageFlags) prepare(ctx context.Context, core *instance.Core) ([]*model.Media, error) {
	if len(i.files) == 0 && len(i.alts) == 0 {
		return nil, nil
	}
	if len(i.files) != len(i.alts) {
		return nil, fmt.Errorf("%w: give each --image FILE its own --alt TEXT describing it (got %d images and %d alt texts); people using screen readers rely on it", errUsage, len(i.files), len(i.alts))
	}
	if len(i.files) > posts.MaxImages {
		return nil, fmt.Errorf("%w: a post can carry at most %d images", errUsage, posts.MaxImages)
	}
	if core.Media == nil {
		return nil, fmt.Errorf("pictures need somewhere to be kept: pass --data-dir, or set %s and the other COMMONPLACE_S3_ variables", media.EnvS3Bucket)
	}
	out := make([]*model.Media, 0, len(i.files))
	for n, path := range i.files {
		m, err := prepareImage(ctx, core, path, i.alts[n])
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

func prepareImage(ctx context.Context, core *instance.Core, path, alt string) (*model.Media, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read the image: %w", err)
	}
	defer f.Close()
	m, err := core.Media.Prepare(ctx, media.Owner{}, media.KindAttachment, f, alt)
	if err != nil {
		return nil, fmt.Errorf("image %s: %w", path, err)
	}
	return m, nil
}
