package model

import (
	"time"

	"github.com/uptrace/bun"
)

// Media is one picture we serve: an organisation's avatar or header, the
// instance logo, or an image on a post. Its files (the re-encoded original,
// a display size and a thumbnail) are in media storage under
// content-addressed keys; two rows may share keys when the same picture was
// uploaded twice.
type Media struct {
	bun.BaseModel `bun:"table:media"`

	ID       int64  `bun:"id,pk,autoincrement"`
	ActorID  int64  `bun:"actor_id,nullzero"` // avatars and headers
	PostID   int64  `bun:"post_id,nullzero"`  // attachments
	Kind     string `bun:"kind"`              // avatar, header, logo, attachment
	Position int    `bun:"position"`          // order among a post's images

	Alt         string `bun:"alt"` // what the picture shows, for people who cannot see it
	ContentType string `bun:"content_type"`
	Width       int    `bun:"width"`
	Height      int    `bun:"height"`
	Blurhash    string `bun:"blurhash"`

	OriginalKey string `bun:"original_key"`
	DisplayKey  string `bun:"display_key"`
	ThumbKey    string `bun:"thumb_key"`

	CreatedAt time.Time `bun:"created_at"`
}

// Keys are the storage keys of all three versions.
func (m *Media) Keys() []string { return []string{m.OriginalKey, m.DisplayKey, m.ThumbKey} }
