package model

import (
	"time"

	"github.com/uptrace/bun"
)

// RemoteMedia is a picture another server published: a remote actor's
// avatar or an image on a remote post. URL is where the sender keeps it;
// pages never point there, only at our re-encoded copy under FileKey, which
// the media cache fills on first need and empties when it prunes.
type RemoteMedia struct {
	bun.BaseModel `bun:"table:remote_media"`

	ID       int64  `bun:"id,pk,autoincrement"`
	ActorID  int64  `bun:"actor_id,nullzero"` // avatars
	PostID   int64  `bun:"post_id,nullzero"`  // attachments
	Kind     string `bun:"kind"`              // avatar or attachment
	Position int    `bun:"position"`

	URL       string `bun:"url"`
	Alt       string `bun:"alt"`
	MediaType string `bun:"media_type"` // as the sender declared it
	Width     int    `bun:"width"`
	Height    int    `bun:"height"`
	Blurhash  string `bun:"blurhash"`

	FileKey   string    `bun:"file_key"`   // display version of our copy; "" when not cached
	FileBytes int64     `bun:"file_bytes"` // its size, for pruning by total size
	FetchedAt time.Time `bun:"fetched_at,nullzero"`
	Failure   string    `bun:"failure"` // why the last fetch failed, for the log and admins

	CreatedAt time.Time `bun:"created_at"`
}
