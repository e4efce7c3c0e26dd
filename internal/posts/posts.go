// Package posts holds the publishing use cases: our organisations' meetup
// notes, guidance, events and updates, and what comes back from the
// fediverse (copies of followed organisations' posts, comments, likes and
// boosts).
package posts

import (
	"context"
	"crypto/rand"
	"encoding/hex"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/iri"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// Service runs the publishing use cases.
type Service struct {
	Store  *store.Store
	Layout iri.Layout
	Send   model.Sender
	// Jobs queues the publishing of scheduled posts (see schedule.go).
	Jobs Jobs
	// Media, when set, removes a deleted post's images and their files.
	Media interface {
		RemovePostTx(ctx context.Context, tx bun.Tx, postID int64) error
	}
}

// apTypes is how each kind goes on the wire: long-form kinds as Article or
// Page (Mastodon shows their title, summary and link), short updates as Note.
var apTypes = map[string]string{
	model.KindMeetupNote: "Article",
	model.KindGuidance:   "Page",
	model.KindEvent:      "Event",
	model.KindUpdate:     "Note",
}

// KindOfType guesses the kind of a remote post that did not say, from its
// ActivityStreams type.
func KindOfType(apType string) string {
	for k, t := range apTypes {
		if t == apType {
			return k
		}
	}
	return ""
}

func newToken() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
