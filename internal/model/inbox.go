package model

import (
	"time"

	"github.com/uptrace/bun"
)

// InboxActivity is an activity another server delivered to us, recorded once
// its signature checked out and before it is applied.
type InboxActivity struct {
	bun.BaseModel `bun:"table:inbox_activities"`

	ID          int64     `bun:"id,pk,autoincrement"`
	ActivityIRI string    `bun:"activity_iri"`
	Type        string    `bun:"type"`
	ActorIRI    string    `bun:"actor_iri"`
	Raw         string    `bun:"raw"`
	ReceivedAt  time.Time `bun:"received_at"`
	ProcessedAt time.Time `bun:"processed_at,nullzero"`
	Outcome     string    `bun:"outcome"` // applied, ignored, or why it was dropped
}
