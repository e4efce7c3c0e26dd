package model

import (
	"time"

	"github.com/uptrace/bun"
)

// Network membership states. A member's public posts are re-shared by the
// network; a request is an organisation that followed the network and waits
// for an admin to approve it.
const (
	NetworkStateMember    = "member"
	NetworkStateRequested = "requested"
)

// NetworkMember links a network (a local Group actor) to an organisation,
// local or remote.
type NetworkMember struct {
	bun.BaseModel `bun:"table:network_members"`

	ID        int64     `bun:"id,pk,autoincrement"`
	NetworkID int64     `bun:"network_id"`
	MemberID  int64     `bun:"member_id"`
	State     string    `bun:"state"`
	CreatedAt time.Time `bun:"created_at"`
	UpdatedAt time.Time `bun:"updated_at"`

	Member *Actor `bun:"rel:belongs-to,join:member_id=id"`
}

// NetworkAnnounce records a network's re-share of one post.
type NetworkAnnounce struct {
	bun.BaseModel `bun:"table:network_announces"`

	ID          int64     `bun:"id,pk,autoincrement"`
	NetworkID   int64     `bun:"network_id"`
	ObjectIRI   string    `bun:"object_iri"`
	ActivityIRI string    `bun:"activity_iri"`
	CreatedAt   time.Time `bun:"created_at"`
	UndoneAt    time.Time `bun:"undone_at,nullzero"`
}
