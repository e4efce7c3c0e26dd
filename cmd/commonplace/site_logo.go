package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/commonplace-social/commonplace/internal/config"
	"github.com/commonplace-social/commonplace/internal/media"
	"github.com/commonplace-social/commonplace/internal/site"
)

// splitLogo tells apart the two things --logo takes: an address (https://…,
// a path on the site such as /media/…, or "" for no logo), which is stored
// as given, and a local image file, which is uploaded. A name that is
// neither an address nor an existing file is left as an address, so the
// site's check explains what is accepted.
func splitLogo(v string) (file string, address *string) {
	if v == "" || strings.Contains(v, "://") || strings.HasPrefix(v, "/media/") {
		return "", &v
	}
	if _, err := os.Stat(v); err == nil {
		return v, nil
	}
	return "", &v
}

// setLogo uploads a logo file, or, when the logo was set to an address or
// cleared, removes the stored logo pictures the site no longer shows.
func setLogo(ctx context.Context, cfg config.Config, svc *site.Service, c site.Changes, file string) error {
	if file == "" && c.LogoURL == nil {
		return nil
	}
	if cfg.DataDir == "" && os.Getenv(media.EnvS3Bucket) == "" {
		if file == "" {
			return nil // no picture store, so no stored logo to remove
		}
		return fmt.Errorf("pictures need somewhere to be kept: pass --data-dir, or set %s and the other COMMONPLACE_S3_ variables", media.EnvS3Bucket)
	}
	files, err := media.StorageFromEnv(cfg.DataDir)
	if err != nil {
		return err
	}
	pics := &media.Service{Store: svc.Store, Files: files}
	if file == "" {
		return svc.PruneLogos(ctx, pics)
	}
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("cannot read the logo: %w", err)
	}
	defer f.Close()
	if _, err := svc.SetLogo(ctx, pics, f); err != nil {
		return fmt.Errorf("logo %s: %w", file, err)
	}
	return nil
}
