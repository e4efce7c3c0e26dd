package instance

import (
	"os"

	"github.com/commonplace-social/commonplace/internal/media"
)

// openMedia sets up picture storage: an S3-compatible bucket when the
// environment names one, else DATA_DIR/media. With neither (a PostgreSQL
// instance run without a data directory) pictures are turned off and the
// commands that take them say so.
func (c *Core) openMedia() error {
	if c.Config.DataDir == "" && os.Getenv(media.EnvS3Bucket) == "" {
		return nil
	}
	files, err := media.StorageFromEnv(c.Config.DataDir)
	if err != nil {
		return err
	}
	c.Media = &media.Service{Store: c.Store, Files: files, Profiles: c.Orgs, Log: c.Log}
	c.Posts.Media = c.Media
	c.openRemoteMedia(files)
	return nil
}

// mediaFiles is the storage the web server serves /media/ from, or nil.
func (inst *Instance) mediaFiles() media.Storage {
	if inst.Media == nil {
		return nil
	}
	return inst.Media.Files
}
