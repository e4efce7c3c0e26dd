package model

import (
	"time"

	"github.com/uptrace/bun"
)

// QuoteAuthorization is an approval stamp (FEP-044f): the author of one of
// our posts allows one remote post to quote it. Servers showing the quote
// dereference the stamp to check the approval, so it has its own id, built
// from the token.
type QuoteAuthorization struct {
	bun.BaseModel `bun:"table:quote_authorizations"`

	ID         int64     `bun:"id,pk,autoincrement"`
	Token      string    `bun:"token"`
	PostID     int64     `bun:"post_id"`     // the quoted post, ours
	ActorID    int64     `bun:"actor_id"`    // the remote actor who quotes it
	QuotingIRI string    `bun:"quoting_iri"` // the quote post (interactingObject)
	RequestIRI string    `bun:"request_iri"` // the QuoteRequest it answered
	CreatedAt  time.Time `bun:"created_at"`

	Post *Post `bun:"rel:belongs-to,join:post_id=id"`
}

// QuoteRequestRef names a QuoteRequest by its parts, because the Accept or
// Reject that answers it repeats them for servers that match on content.
type QuoteRequestRef struct {
	ID         string // the QuoteRequest activity's id
	Actor      string // who asks to quote
	Object     string // the quoted post, ours
	Instrument string // the quote post
	// Result is the stamp's id on an Accept; empty on a Reject.
	Result string
}
