package model

import (
	"time"

	"github.com/uptrace/bun"
)

// Kinds of post. The first four are what organisations publish; a comment
// is a reply from the fediverse to one of them.
const (
	KindMeetupNote = "meetup_note"
	KindGuidance   = "guidance"
	KindEvent      = "event"
	KindUpdate     = "update"
	KindComment    = "comment"
)

// PublishedKinds are the kinds an organisation can publish, in the order
// people see them offered.
var PublishedKinds = []string{KindMeetupNote, KindGuidance, KindEvent, KindUpdate}

// Post is anything with content: one of our organisations' posts, a copy of
// a post from an organisation we follow, or a comment on either.
type Post struct {
	bun.BaseModel `bun:"table:posts"`

	ID       int64  `bun:"id,pk,autoincrement"`
	AuthorID int64  `bun:"author_id"`
	Local    bool   `bun:"local"`
	Token    string `bun:"token,nullzero"` // local posts: the unguessable part of the id
	IRI      string `bun:"iri,nullzero"`   // remote posts: their id
	Kind     string `bun:"kind"`
	APType   string `bun:"ap_type"` // Article, Page, Event, Note

	Title       string `bun:"title"`
	Summary     string `bun:"summary"` // plain text
	ContentHTML string `bun:"content_html"`
	Source      string `bun:"source"` // Markdown, for local posts and Commonplace peers
	URL         string `bun:"url"`
	Topic       string `bun:"topic"`
	Tags        []Tag  `bun:"rel:has-many,join:id=post_id"`

	InReplyTo    string `bun:"in_reply_to"`
	ThreadRootID int64  `bun:"thread_root_id,nullzero"`

	Event

	InTimeline    bool `bun:"in_timeline"`
	LikeCount     int  `bun:"like_count"`
	AnnounceCount int  `bun:"announce_count"`
	ReplyCount    int  `bun:"reply_count"`

	Raw       string    `bun:"raw"`
	Published time.Time `bun:"published"`
	Updated   time.Time `bun:"updated,nullzero"`
	DeletedAt time.Time `bun:"deleted_at,nullzero"`
	CreatedAt time.Time `bun:"created_at"`

	Author *Actor `bun:"rel:belongs-to,join:author_id=id"`
	// Media are the post's images in order; loaded only where documents
	// and pages need them (store.PostMedia).
	Media []*Media `bun:"rel:has-many,join:id=post_id"`
}

// Event holds what only events have. Times are instants; TimeZone is the
// IANA zone they are shown in, kept apart because databases return UTC.
type Event struct {
	StartTime  time.Time `bun:"start_time,nullzero"`
	EndTime    time.Time `bun:"end_time,nullzero"`
	TimeZone   string    `bun:"timezone"`
	Venue      string    `bun:"venue"`
	Address    string    `bun:"address"`
	OnlineURL  string    `bun:"online_url"`
	BookingURL string    `bun:"booking_url"`
}

// Deleted reports whether the post was deleted and is now a tombstone.
func (p *Post) Deleted() bool { return !p.DeletedAt.IsZero() }

// Tag is a hashtag on a post: Tag is the folded form for lookups, Name the
// spelling the author used.
type Tag struct {
	bun.BaseModel `bun:"table:post_tags"`

	PostID int64  `bun:"post_id,pk"`
	Tag    string `bun:"tag,pk"`
	Name   string `bun:"name"`
}

// Interaction types.
const (
	InteractionLike     = "like"
	InteractionAnnounce = "announce"
)

// Interaction is a like or a boost of a post by some actor.
type Interaction struct {
	bun.BaseModel `bun:"table:interactions"`

	ID          int64     `bun:"id,pk,autoincrement"`
	PostID      int64     `bun:"post_id"`
	ActorID     int64     `bun:"actor_id"`
	Type        string    `bun:"type"`
	ActivityIRI string    `bun:"activity_iri"`
	CreatedAt   time.Time `bun:"created_at"`
}
