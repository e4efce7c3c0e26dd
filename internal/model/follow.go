package model

import (
	"time"

	"github.com/uptrace/bun"
)

// Follow states. A follow is pending until the followee accepts it; a
// rejected or undone follow is deleted rather than kept in a third state.
const (
	FollowPending  = "pending"
	FollowAccepted = "accepted"
)

// Follow links a follower to a followee, in either direction across the
// federation: remote accounts following our organisations, and our
// organisations following others.
type Follow struct {
	bun.BaseModel `bun:"table:follows"`

	ID          int64     `bun:"id,pk,autoincrement"`
	FollowerID  int64     `bun:"follower_id"`
	FolloweeID  int64     `bun:"followee_id"`
	ActivityIRI string    `bun:"activity_iri"` // the Follow activity's id, which Accept/Reject/Undo refer to
	State       string    `bun:"state"`
	CreatedAt   time.Time `bun:"created_at"`
	UpdatedAt   time.Time `bun:"updated_at"`

	Follower *Actor `bun:"rel:belongs-to,join:follower_id=id"`
	Followee *Actor `bun:"rel:belongs-to,join:followee_id=id"`
}
