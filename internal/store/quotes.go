package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
)

// PutQuoteAuthorization stores a stamp unless the post already has one for
// the same quote post, and returns the stored one either way: a repeated
// QuoteRequest is answered with the stamp it got the first time.
func (s *Store) PutQuoteAuthorization(ctx context.Context, db bun.IDB, q *model.QuoteAuthorization) (*model.QuoteAuthorization, error) {
	if q.CreatedAt.IsZero() {
		q.CreatedAt = time.Now().UTC()
	}
	if _, err := db.NewInsert().Model(q).On("CONFLICT (post_id, quoting_iri) DO NOTHING").Exec(ctx); err != nil {
		return nil, fmt.Errorf("store quote authorization of post %d for %s: %w", q.PostID, q.QuotingIRI, err)
	}
	stored := new(model.QuoteAuthorization)
	err := db.NewSelect().Model(stored).Where("post_id = ?", q.PostID).Where("quoting_iri = ?", q.QuotingIRI).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("load quote authorization of post %d for %s: %w", q.PostID, q.QuotingIRI, notFound(err))
	}
	return stored, nil
}

// QuoteAuthorizationByToken loads a stamp with the quoted post and its
// author, which the stamp's document names.
func (s *Store) QuoteAuthorizationByToken(ctx context.Context, token string) (*model.QuoteAuthorization, error) {
	q := new(model.QuoteAuthorization)
	err := s.DB.NewSelect().Model(q).Relation("Post").Relation("Post.Author").Where("?TableAlias.token = ?", token).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("quote authorization %s: %w", token, notFound(err))
	}
	return q, nil
}
