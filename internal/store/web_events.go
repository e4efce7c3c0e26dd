package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
)

// liveEvents selects the events people can see on the web: those in the
// combined timeline that are not deleted.
func (s *Store) liveEvents(dest *[]*model.Post) *bun.SelectQuery {
	return s.DB.NewSelect().Model(dest).Relation("Tags").
		Where("?TableAlias.kind = ?", model.KindEvent).
		Where("?TableAlias.in_timeline").Where("?TableAlias.deleted_at IS NULL")
}

// UpcomingEvents lists events that have not yet ended at now, soonest first.
// The few not over are found in posts_events_end by when they end, which
// also holds their keys, so only the keys are sorted before the page's
// events are loaded.
func (s *Store) UpcomingEvents(ctx context.Context, now time.Time, limit int) ([]*model.Post, error) {
	page, err := s.UpcomingEventsPage(ctx, now, nil, limit)
	return page.Posts, err
}

// UpcomingEventsPage is UpcomingEvents a page at a time: the events that
// start after the cursor (the start time and id of the last one seen),
// soonest first.
func (s *Store) UpcomingEventsPage(ctx context.Context, now time.Time, after *Cursor, limit int) (PostPage, error) {
	return s.upcomingEvents(ctx, nil, now, after, limit)
}

// upcomingEvents is UpcomingEventsPage, narrowed by a network's members
// if given.
func (s *Store) upcomingEvents(ctx context.Context, members *onlyMembers, now time.Time, after *Cursor, limit int) (PostPage, error) {
	q := s.DB.NewSelect().TableExpr(s.postsFrom("posts_events_end")).
		Where("post.kind = ?", model.KindEvent).Where("post.in_timeline").Where("post.deleted_at IS NULL").
		Where("COALESCE(post.end_time, post.start_time) > ?", now.UTC())
	if members != nil {
		q = members.apply(q)
	}
	page, err := s.postPageIn(ctx, q, byStart, false, after, limit)
	if err != nil {
		return PostPage{}, fmt.Errorf("upcoming events: %w", err)
	}
	return page, nil
}

// PastEvents lists events that ended by now, most recent start first. The
// cursor's Published holds the start time of the last event seen: the
// archive is ordered by when events happened, not when they were announced.
// posts_events holds the end times too, so the keys are read from it alone.
func (s *Store) PastEvents(ctx context.Context, now time.Time, after *Cursor, limit int) (PostPage, error) {
	q := s.DB.NewSelect().TableExpr(s.postsFrom("posts_events")).
		Where("post.kind = ?", model.KindEvent).Where("post.in_timeline").Where("post.deleted_at IS NULL").
		Where("COALESCE(post.end_time, post.start_time) <= ?", now.UTC())
	return s.postPage(ctx, q, byStart, after, limit)
}

// byStart pages events by when they start.
var byStart = keyset{at: "post.start_time", id: "post.id"}

// EventByID loads one visible event, for its .ics file.
func (s *Store) EventByID(ctx context.Context, id int64) (*model.Post, error) {
	var posts []*model.Post
	if err := s.liveEvents(&posts).Relation("Author", listAuthor).Where("?TableAlias.id = ?", id).Limit(1).Scan(ctx); err != nil {
		return nil, fmt.Errorf("event %d: %w", id, err)
	}
	if len(posts) == 0 {
		return nil, fmt.Errorf("event %d: %w", id, ErrNotFound)
	}
	return posts[0], nil
}
