package model

import (
	"context"

	"github.com/uptrace/bun"
)

// Sender queues an outgoing activity inside the transaction of the change it
// announces. The federation layer implements it; use cases never see JSON
// or HTTP.
type Sender interface {
	SendTx(ctx context.Context, tx bun.Tx, out Outgoing) error
}

// Outgoing is an activity a local actor sends, described in domain terms.
// Use cases build it; the federation layer turns it into ActivityStreams
// JSON and queues its delivery in the same transaction as the change it
// announces, so the two commit or fail together.
type Outgoing struct {
	ID    string // the activity's id, minted by the use case
	Type  string // Follow, Accept, Reject, Undo, Update, Create, Delete
	Actor *Actor // the local sender

	// Exactly one object is set.
	Follow      *FollowRef // Follow, and the Follow that an Accept, Reject or Undo refers to
	ActorObject *Actor     // Update of the sender's own profile
	Post        *Post      // Create, Update or Delete of one of the sender's posts
	// QuoteRequest is the request an Accept or Reject of a quote answers.
	QuoteRequest *QuoteRequestRef
	// Announce is what a network re-shares (Announce), or the re-share it
	// withdraws (Undo).
	Announce *AnnounceRef

	To          []*Actor // remote recipients addressed directly
	ToFollowers bool     // and every accepted follower of the sender
	// Inboxes are further inboxes to deliver to: a network member's edits
	// and deletes also go to the followers of its networks.
	Inboxes []string
}

// FollowRef names a Follow activity by its three parts, because Accept,
// Reject and Undo must repeat it for servers that do not keep Follow ids.
type FollowRef struct {
	ID     string // the Follow activity's id
	Actor  string // the follower's id
	Object string // the followee's id
}

// AnnounceRef is a network's re-share of a post (FEP-1b12).
type AnnounceRef struct {
	ID     string // the Announce's own id; for an Undo, the Announce withdrawn
	Object string // the original post's id
	// Activity, when set, is the member's activity (Update, Delete) that the
	// network announces instead of the bare post.
	Activity *ActivityRef
}

// ActivityRef names another actor's activity about a post.
type ActivityRef struct {
	ID, Type, Actor string
}
