package model

import (
	"time"

	"github.com/uptrace/bun"
)

// Actor types we serve or accept. Mastodon refuses any actor type outside
// this set, so we hold remote actors to the same rule.
const (
	ActorOrganization = "Organization"
	ActorApplication  = "Application"
	ActorPerson       = "Person"
	ActorGroup        = "Group"
	ActorService      = "Service"
)

// Actor is an account that can publish and follow: one of this instance's
// organisations (Local, with a private key) or an account on another server.
// A local actor's IRIs are derived from the instance domain when served, so
// only remote actors store them.
type Actor struct {
	bun.BaseModel `bun:"table:actors"`

	ID       int64  `bun:"id,pk,autoincrement"`
	Local    bool   `bun:"local"`
	Username string `bun:"username"`
	Host     string `bun:"host"`         // remote actors only: host[:port]
	IRI      string `bun:"iri,nullzero"` // remote actors only
	Type     string `bun:"type"`

	Name    string `bun:"name"`
	Summary string `bun:"summary"` // local: plain text; remote: sanitised HTML
	URL     string `bun:"url"`     // local: the organisation's own website; remote: its profile page

	// AvatarKey and HeaderKey are the media storage keys of the display
	// versions of the profile pictures; empty when there are none.
	AvatarKey string `bun:"avatar_key"`
	HeaderKey string `bun:"header_key"`
	// IconURL is a remote actor's avatar as its server published it, read
	// when the actor is stored and kept in remote_media, not in this row.
	IconURL string `bun:"-"`

	Inbox       string `bun:"inbox"`
	Outbox      string `bun:"outbox"`
	Followers   string `bun:"followers"`
	Following   string `bun:"following"`
	SharedInbox string `bun:"shared_inbox"`

	PublicKeyID   string `bun:"public_key_id"` // remote actors only
	PublicKeyPEM  string `bun:"public_key_pem"`
	PrivateKeyPEM string `bun:"private_key_pem"` // local actors only; never served

	ManuallyApprovesFollowers bool `bun:"manually_approves_followers"`
	Discoverable              bool `bun:"discoverable"`

	Raw       string    `bun:"raw"` // remote: the document as fetched
	CreatedAt time.Time `bun:"created_at"`
	UpdatedAt time.Time `bun:"updated_at"`
	FetchedAt time.Time `bun:"fetched_at,nullzero"`
	// KeyFetchedAt is when dereferencing PublicKeyID last confirmed that the
	// key is this actor's (remote actors only); zero if never.
	KeyFetchedAt time.Time `bun:"key_fetched_at,nullzero"`
}

// Handle is the @user@host form people type into Mastodon's search box.
func (a *Actor) Handle(localHost string) string {
	if a.Local {
		return "@" + a.Username + "@" + localHost
	}
	return "@" + a.Username + "@" + a.Host
}
