package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// RecordPostReader notes that the server at host fetched one of our posts,
// signed by an actor whose inbox is given: a server already known keeps
// one row, with this latest inbox (its earlier signer may since have gone).
// A new server is not recorded once the post has max readers: a cap, so no
// one can make a single post's edit fan out without bound. recorded is
// false when nothing changed. Two servers recorded at the same moment may
// pass the cap by one each; it is a bound, not a count anyone relies on.
func (s *Store) RecordPostReader(ctx context.Context, postID int64, host, inbox string, max int) (recorded bool, err error) {
	res, err := s.DB.NewRaw(`INSERT INTO post_readers (post_id, host, inbox, created_at)
SELECT ?, ?, ?, ? WHERE (SELECT COUNT(*) FROM post_readers WHERE post_id = ?) < ?
ON CONFLICT (post_id, host) DO UPDATE SET inbox = excluded.inbox WHERE post_readers.inbox <> excluded.inbox`,
		postID, host, inbox, time.Now().UTC(), postID, max).Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("record reader %s of post %d: %w", inbox, postID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("record reader %s of post %d: %w", inbox, postID, err)
	}
	return n > 0, nil
}

// PostReaderInboxes lists the inboxes of a post's readers.
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
