package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// RecordPostReader notes that the server behind inbox fetched one of our
// posts, unless the post already has max readers: a cap, so no one can
// make a single post's edit fan out without bound. inserted is false when
// the inbox was known or the cap was reached. Two readers recorded at the
// same moment may pass the cap by one each; the cap is a bound, not a
// count anyone relies on.
func (s *Store) RecordPostReader(ctx context.Context, postID int64, inbox string, max int) (inserted bool, err error) {
	res, err := s.DB.NewRaw(`INSERT INTO post_readers (post_id, inbox, created_at)
SELECT ?, ?, ? WHERE (SELECT COUNT(*) FROM post_readers WHERE post_id = ?) < ?
ON CONFLICT (post_id, inbox) DO NOTHING`, postID, inbox, time.Now().UTC(), postID, max).Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("record reader %s of post %d: %w", inbox, postID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("record reader %s of post %d: %w", inbox, postID, err)
	}
	return n > 0, nil
}

// PostReaderInboxes lists the inboxes recorded as readers of a post.
func (s *Store) PostReaderInboxes(ctx context.Context, db bun.IDB, postID int64) ([]string, error) {
	var inboxes []string
	err := db.NewSelect().Column("inbox").Table("post_readers").Where("post_id = ?", postID).Order("inbox").Scan(ctx, &inboxes)
	if err != nil {
		return nil, fmt.Errorf("readers of post %d: %w", postID, err)
	}
	return inboxes, nil
}

// DeletePostReaders forgets a post's readers, once its Delete is on its way
// to them: a tombstone has nothing more to send.
func (s *Store) DeletePostReaders(ctx context.Context, db bun.IDB, postID int64) error {
	if _, err := db.NewDelete().Table("post_readers").Where("post_id = ?", postID).Exec(ctx); err != nil {
		return fmt.Errorf("forget readers of post %d: %w", postID, err)
	}
	return nil
}
