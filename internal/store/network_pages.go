package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
)

// The network's page lists what its accepted members publish: the same
// lists as the instance's own pages (timeline, upcoming events, guidance
// library), narrowed to the members' posts. A post is one row whoever
// brought it here, its organisation or a network's Announce (an Announce
// is recorded as an interaction, never as a post), so each shows once.

// onlyMembers narrows a list of posts (aliased "post") to those by a
// network's accepted members, looking each listed post's author up in
// network_members' unique (network_id, member_id) index: the list is
// still read from its own index, in its order.
type onlyMembers int64

func (n onlyMembers) apply(q *bun.SelectQuery) *bun.SelectQuery {
	return q.Where("EXISTS (SELECT 1 FROM network_members AS nm WHERE nm.network_id = ? AND nm.member_id = post.author_id AND nm.state = ?)",
		int64(n), model.NetworkStateMember)
}

// NetworkTimeline lists the public posts of a network's members, local and
// remote, newest first, paged like the combined timeline (kind "" for all).
//
// A network's members write most of what an instance shows, so the page is
// the combined timeline's index read in order, each entry's author looked
// up in the membership index, until the page is full. Given the members'
// ids as a list instead, both databases read every member post through
// posts_author and sort them all for each page.
func (s *Store) NetworkTimeline(ctx context.Context, networkID int64, kind string, after *Cursor, limit int) (PostPage, error) {
	index := "posts_timeline"
	if kind != "" {
		index = "posts_timeline_kind"
	}
	q := onlyMembers(networkID).apply(s.DB.NewSelect().TableExpr(s.postsFrom(index)).
		Where("post.in_timeline").Where("post.deleted_at IS NULL"))
	if kind != "" {
		q = q.Where("post.kind = ?", kind)
	}
	page, err := s.postPage(ctx, q, byPublished, after, limit)
	if err != nil {
		return PostPage{}, fmt.Errorf("timeline of network %d: %w", networkID, err)
	}
	return page, nil
}

// NetworkUpcomingEvents is UpcomingEventsPage for a network's members.
func (s *Store) NetworkUpcomingEvents(ctx context.Context, networkID int64, now time.Time, after *Cursor, limit int) (PostPage, error) {
	members := onlyMembers(networkID)
	page, err := s.upcomingEvents(ctx, &members, now, after, limit)
	if err != nil {
		return PostPage{}, fmt.Errorf("network %d: %w", networkID, err)
	}
	return page, nil
}

// NetworkGuidanceByTopic is GuidanceByTopic for a network's members.
func (s *Store) NetworkGuidanceByTopic(ctx context.Context, networkID int64, after *GuidanceCursor, limit int) (GuidancePage, error) {
	members := onlyMembers(networkID)
	page, err := s.guidanceByTopic(ctx, &members, after, limit)
	if err != nil {
		return GuidancePage{}, fmt.Errorf("network %d: %w", networkID, err)
	}
	return page, nil
}
