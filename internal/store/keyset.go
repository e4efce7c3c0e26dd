package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
)

// A list page is read in two steps. First its keys, (time, id), from the
// list's index alone: every column the read needs is in the index, the
// cursor is a row-value bound of the index range, and the order is the
// index's, so the read touches only the page's entries. Postgres judges a
// cursor's selectivity over the whole table, not the list, and with a join
// or a column outside the index in the same statement it was seen to read
// the rest of a list and sort it (past events, threads); an index-only
// read in order is cheaper than that whatever its estimate. Then the
// page's posts are loaded by id.

// keyset names the two columns a list is ordered and paged by. An index on
// exactly these columns, after any equality columns, serves every page.
type keyset struct{ at, id string }

// key is one list entry as the index holds it.
type key struct {
	At time.Time `bun:"at"`
	ID int64     `bun:"id"`
}

func (k key) cursor() *Cursor { return &Cursor{Published: k.At, ID: k.ID} }

// readKeys reads up to limit+1 keys of the list q selects, strictly past
// from (when given), newest first if desc, oldest first otherwise: the one
// beyond the page says whether another follows, without counting.
func readKeys(ctx context.Context, q *bun.SelectQuery, k keyset, desc bool, from *Cursor, limit int) ([]key, error) {
	dir, past := "ASC", ">"
	if desc {
		dir, past = "DESC", "<"
	}
	q = q.ColumnExpr(k.at + " AS at").ColumnExpr(k.id + " AS id").
		OrderExpr(k.at + " " + dir + ", " + k.id + " " + dir).Limit(int64(limit) + 1)
	if from != nil {
		q = q.Where("("+k.at+", "+k.id+") "+past+" (?, ?)", from.Published, from.ID)
	}
	var keys []key
	if err := q.Scan(ctx, &keys); err != nil {
		return nil, fmt.Errorf("read list keys: %w", err)
	}
	return keys, nil
}

// postsByID loads the posts of a page in the keys' order, with their
// authors, and their tags if asked. A post deleted since its key was read
// is left out.
func (s *Store) postsByID(ctx context.Context, keys []key, tags bool) ([]*model.Post, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(keys))
	at := make(map[int64]int, len(keys))
	for i, k := range keys {
		ids[i], at[k.ID] = k.ID, i
	}
	var posts []*model.Post
	q := s.DB.NewSelect().Model(&posts).Where("?TableAlias.id IN (?)", bun.In(ids)).Where("?TableAlias.deleted_at IS NULL")
	if tags {
		q = q.Relation("Tags")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("load %d listed posts: %w", len(ids), err)
	}
	slices.SortFunc(posts, func(a, b *model.Post) int { return at[a.ID] - at[b.ID] })
	return posts, s.attachAuthors(ctx, posts)
}
