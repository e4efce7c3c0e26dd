package media

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"regexp"
)

// Storage keeps media files under immutable names. Two implementations: a
// directory under the data directory (the default) and an S3-compatible
// bucket for production.
type Storage interface {
	// Put stores data under key. Keys name their content, so putting a key
	// that already exists changes nothing.
	Put(ctx context.Context, key, contentType string, data []byte) error
	// Open returns the file under key, or an error wrapping ErrNotExist.
	Open(ctx context.Context, key string) (File, error)
	// Delete removes the file under key; a missing file is not an error.
	Delete(ctx context.Context, key string) error
}

// File is a stored file opened for serving: seekable, so http.ServeContent
// can answer range requests, and sized.
type File interface {
	io.ReadSeekCloser
	Size() int64
}

// ErrNotExist is returned (wrapped) by Storage.Open for an unknown key.
var ErrNotExist = errors.New("media file does not exist")

// keyPattern is the only shape of key a Storage accepts: a SHA-256 in hex
// and an extension we write. Checking it keeps a key from a URL from ever
// naming a path outside the media directory.
var keyPattern = regexp.MustCompile(`^[0-9a-f]{64}\.(jpg|png)$`)

// ValidKey reports whether key could have been made by Key.
func ValidKey(key string) bool { return keyPattern.MatchString(key) }

// Key names data by its content, so a name never has to change and can be
// cached forever.
func Key(data []byte, ext string) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:]) + ext
}

// ContentTypeOf gives the content type of a key from its extension.
func ContentTypeOf(key string) string {
	switch {
	case len(key) > 4 && key[len(key)-4:] == ".png":
		return "image/png"
	case len(key) > 4 && key[len(key)-4:] == ".jpg":
		return "image/jpeg"
	}
	return "application/octet-stream"
}

// CacheControl is sent with every media file: names are content hashes, so
// a file under a name never changes and may be cached for a year.
const CacheControl = "public, max-age=31536000, immutable"
