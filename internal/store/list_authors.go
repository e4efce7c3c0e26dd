package store

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
)

// attachAuthors loads the authors of listed posts by id, in a query of
// their own rather than a join: joined, Postgres may read the accounts
// table in id order up to the highest author instead of looking up the
// page's few authors.
func (s *Store) attachAuthors(ctx context.Context, posts []*model.Post) error {
	if len(posts) == 0 {
		return nil
	}
	byID := make(map[int64]*model.Actor, len(posts))
	ids := make([]int64, 0, len(posts))
	for _, p := range posts {
		if _, ok := byID[p.AuthorID]; !ok {
			byID[p.AuthorID] = nil
			ids = append(ids, p.AuthorID)
		}
	}
	var authors []*model.Actor
	if err := listAuthor(s.DB.NewSelect().Model(&authors)).Where("id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return fmt.Errorf("load the authors of %d posts: %w", len(posts), err)
	}
	for _, a := range authors {
		byID[a.ID] = a
	}
	for _, p := range posts {
		p.Author = byID[p.AuthorID]
	}
	return nil
}

// listAuthor selects a listed post's author without what no list shows:
// the keys and, for a remote account, the document it was fetched as.
func listAuthor(q *bun.SelectQuery) *bun.SelectQuery {
	return q.ExcludeColumn("public_key_pem", "private_key_pem", "raw")
}
