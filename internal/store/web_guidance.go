package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
)

// GuidanceTopic is one shelf of the guidance library.
type GuidanceTopic struct {
	Topic string // "" for guidance filed under no topic
	Posts []*model.Post
}

// GuidancePage is one page of the library; a topic may go on over the
// next page.
type GuidancePage struct {
	Topics []GuidanceTopic
	Next   *GuidanceCursor // nil on the last page
}

// GuidanceCursor is the last piece of guidance a page showed.
type GuidanceCursor struct {
	Topic   string
	Revised time.Time // when it last changed: updated, or else published
	ID      int64
}

// The library's order: topics alphabetically whatever their case, the
// guidance filed under no topic last; within a topic, the most recently
// revised first. posts_guidance indexes exactly these expressions, so a
// page is a range of it read in order.
const (
	untopicked = "CASE WHEN ?TableAlias.topic = '' THEN 1 ELSE 0 END"
	topicOrder = untopicked + ", LOWER(?TableAlias.topic), ?TableAlias.topic"
	revised    = "COALESCE(?TableAlias.updated, ?TableAlias.published)"
	newest     = revised + " DESC, ?TableAlias.id DESC"
)

// guidanceColumns are what the library shows of a post: not its content.
var guidanceColumns = []string{"id", "author_id", "local", "token", "iri", "kind", "title", "summary", "url", "topic",
	"in_timeline", "published", "updated", "deleted_at"}

// GuidanceByTopic lists one page of visible guidance: from the start of
// the library, or after a cursor.
func (s *Store) GuidanceByTopic(ctx context.Context, after *GuidanceCursor, limit int) (GuidancePage, error) {
	return s.guidanceByTopic(ctx, nil, after, limit)
}

// guidanceByTopic is GuidanceByTopic, narrowed by a network's members if
// given.
func (s *Store) guidanceByTopic(ctx context.Context, members *onlyMembers, after *GuidanceCursor, limit int) (GuidancePage, error) {
	want := limit + 1 // one more than shown says whether a page follows
	var posts []*model.Post
	if after == nil {
		if err := s.guidance(&posts, members).OrderExpr(topicOrder).OrderExpr(newest).Limit(int64(want)).Scan(ctx); err != nil {
			return GuidancePage{}, fmt.Errorf("guidance library: %w", err)
		}
		return s.guidancePage(ctx, posts, limit)
	}
	// A row-value bound on all five ordering columns would mix ascending
	// and descending ones, which neither database reads as one range; the
	// page is read as up to three ranges instead: the rest of the cursor's
	// topic, the topics after it, and the untopicked guidance.
	flag := untopickedFlag(after.Topic)
	parts := []func(*bun.SelectQuery) *bun.SelectQuery{
		func(q *bun.SelectQuery) *bun.SelectQuery {
			return sameTopic(q, after.Topic).Where("("+revised+", ?TableAlias.id) < (?, ?)", after.Revised, after.ID).OrderExpr(newest)
		},
	}
	if flag == 0 {
		parts = append(parts,
			func(q *bun.SelectQuery) *bun.SelectQuery {
				// The first bound is a range of the index, the second drops
				// the topics before it that differ only in case. The fixed
				// first ordering column is left out of ORDER BY, or SQLite
				// sorts the range instead of reading it in order.
				return q.Where(untopicked+" = 0").
					Where("LOWER(?TableAlias.topic) >= LOWER(?)", after.Topic).
					Where("(LOWER(?TableAlias.topic), ?TableAlias.topic) > (LOWER(?), ?)", after.Topic, after.Topic).
					OrderExpr("LOWER(?TableAlias.topic), ?TableAlias.topic").OrderExpr(newest)
			},
			func(q *bun.SelectQuery) *bun.SelectQuery { return sameTopic(q, "").OrderExpr(newest) })
	}
	for _, part := range parts {
		var more []*model.Post
		if err := part(s.guidance(&more, members)).Limit(int64(want - len(posts))).Scan(ctx); err != nil {
			return GuidancePage{}, fmt.Errorf("guidance library after %q: %w", after.Topic, err)
		}
		if posts = append(posts, more...); len(posts) == want {
			break
		}
	}
	return s.guidancePage(ctx, posts, limit)
}

// guidance selects visible guidance, for the library: all of it, or a
// network's members'.
func (s *Store) guidance(dest *[]*model.Post, members *onlyMembers) *bun.SelectQuery {
	q := s.DB.NewSelect().Model(dest).Column(guidanceColumns...).
		Where("?TableAlias.kind = ?", model.KindGuidance).
		Where("?TableAlias.in_timeline").Where("?TableAlias.deleted_at IS NULL")
	if members != nil {
		q = members.apply(q)
	}
	return q
}

// sameTopic narrows to one topic with an equality on each index column
// that orders topics, so the topic is one range of posts_guidance.
func sameTopic(q *bun.SelectQuery, topic string) *bun.SelectQuery {
	return q.Where(untopicked+" = ?", untopickedFlag(topic)).
		Where("LOWER(?TableAlias.topic) = LOWER(?)", topic).Where("?TableAlias.topic = ?", topic)
}

func untopickedFlag(topic string) int {
	if topic == "" {
		return 1
	}
	return 0
}

// guidancePage groups posts, already in library order, into topics with
// their authors, and keeps the cursor of the last one shown when another
// page follows.
func (s *Store) guidancePage(ctx context.Context, posts []*model.Post, limit int) (GuidancePage, error) {
	var page GuidancePage
	if len(posts) > limit {
		posts = posts[:limit]
		last := posts[limit-1]
		page.Next = &GuidanceCursor{Topic: last.Topic, Revised: revisedAt(last), ID: last.ID}
	}
	for _, p := range posts {
		if n := len(page.Topics); n == 0 || page.Topics[n-1].Topic != p.Topic {
			page.Topics = append(page.Topics, GuidanceTopic{Topic: p.Topic})
		}
		page.Topics[len(page.Topics)-1].Posts = append(page.Topics[len(page.Topics)-1].Posts, p)
	}
	return page, s.attachAuthors(ctx, posts)
}

func revisedAt(p *model.Post) time.Time {
	if !p.Updated.IsZero() {
		return p.Updated
	}
	return p.Published
}
