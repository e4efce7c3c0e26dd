package config

import (
	"os"
	"strconv"
	"time"
)

// The cache of pictures from other servers (avatars, images on replies):
// copies older than a month, or beyond 1 GB in all (oldest first), are
// dropped and fetched again when next shown.
const (
	EnvRemoteMediaMaxAge   = "COMMONPLACE_REMOTE_MEDIA_MAX_AGE"
	EnvRemoteMediaMaxBytes = "COMMONPLACE_REMOTE_MEDIA_MAX_BYTES"

	DefaultRemoteMediaMaxAge   = 30 * 24 * time.Hour
	DefaultRemoteMediaMaxBytes = 1 << 30
)

func (c *Config) remoteMediaFromEnv() {
	c.RemoteMediaMaxAge = envDuration(EnvRemoteMediaMaxAge, DefaultRemoteMediaMaxAge)
	c.RemoteMediaMaxBytes = DefaultRemoteMediaMaxBytes
	if n, err := strconv.ParseInt(os.Getenv(EnvRemoteMediaMaxBytes), 10, 64); err == nil && n > 0 {
		c.RemoteMediaMaxBytes = n
	}
}
