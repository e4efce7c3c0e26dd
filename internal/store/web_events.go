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
	return s.DB.NewSelect().Model(dest).Relation("Author").Relation("Tags").
		Where("?TableAlias.kind = ?", model.KindEvent).
		Where("?TableAlias.in_timeline").Where("?TableAlias.deleted_at IS NULL")
}

// endOrStart is when an event is over: its end time, or its start when it
// has no end.
const endOrStart = "COALESCE(?TableAlias.end_time, ?TableAlias.start_time)"

// UpcomingEvents lists events that have not yet ended at now, soonest first.
func (s *Store) UpcomingEvents(ctx context.Context, now time.Time, limit int) ([]*model.Post, error) {
	var posts []*model.Post
	err := s.liveEvents(&posts).Where(endOrStart+" > ?", now.UTC()).
		OrderExpr("?TableAlias.start_time ASC, ?TableAlias.id ASC").Limit(int64(limit)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("upcoming events: %w", err)
	}
	return posts, nil
}

// PastEvents lists events that ended by now, most recent start first. The
// cursor's Published holds the start time of the last event seen: the
// archive is ordered by when events happened, not when they were announced.
func (s *Store) PastEvents(ctx context.Context, now time.Time, after *Cursor, limit int) (PostPage, error) {
	var posts []*model.Post
	q := s.liveEvents(&posts).Where(endOrStart+" <= ?", now.UTC()).
		OrderExpr("?TableAlias.start_time DESC, ?TableAlias.id DESC").Limit(int64(limit) + 1)
	if after != nil {
		q = q.Where("(?TableAlias.start_time < ? OR (?TableAlias.start_time = ? AND ?TableAlias.id < ?))",
			after.Published, after.Published, after.ID)
	}
	if err := q.Scan(ctx); err != nil {
		return PostPage{}, fmt.Errorf("past events: %w", err)
	}
	page := PostPage{Posts: posts}
	if len(posts) > limit {
		last := posts[limit-1]
		page.Posts = posts[:limit]
		page.Next = &Cursor{Published: last.StartTime, ID: last.ID}
	}
	return page, nil
}

// EventByID loads one visible event, for its .ics file.
func (s *Store) EventByID(ctx context.Context, id int64) (*model.Post, error) {
	var posts []*model.Post
	if err := s.liveEvents(&posts).Where("?TableAlias.id = ?", id).Limit(1).Scan(ctx); err != nil {
		return nil, fmt.Errorf("event %d: %w", id, err)
	}
	if len(posts) == 0 {
		return nil, fmt.Errorf("event %d: %w", id, ErrNotFound)
	}
	return posts[0], nil
}
