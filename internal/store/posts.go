package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
	"modernc.org/sqlite"

	"github.com/commonplace-social/commonplace/internal/model"
)

// ErrPostExists is returned (wrapped) by InsertPost when a post with the
// same IRI is already stored: two paths (the inbox applier and a backfill
// or a fetch) can each look a remote post up, miss, and insert it.
var ErrPostExists = errors.New("a post with this IRI is already stored")

// InsertPost stores a post with its tags and fills in its ID. A remote post
// whose IRI is already stored changes nothing and returns ErrPostExists:
// the insert skips the conflicting row rather than failing, so neither
// database reports (nor logs) a constraint error and a transaction around
// it stays usable.
func (s *Store) InsertPost(ctx context.Context, db bun.IDB, p *model.Post) error {
	if p.CreatedAt.IsZero() {
		p.CreatedAt = time.Now().UTC()
	}
	var inserted bool
	err := retrySnapshot(db, func() (err error) { inserted, err = s.insertPostRow(ctx, db, p); return err })
	if err != nil {
		return fmt.Errorf("insert post: %w", err)
	}
	if !inserted {
		return fmt.Errorf("insert post %s: %w", p.IRI, ErrPostExists)
	}
	return retrySnapshot(db, func() error { return s.insertTags(ctx, db, p) }) // a new row has none to clear
}

// retrySnapshot runs write, one statement outside a transaction, again
// when SQLite refused it with SQLITE_BUSY_SNAPSHOT (517): such a statement
// starts as a reader and fails at once, without busy_timeout's wait, if
// another connection wrote before it could upgrade. A refused statement
// changed nothing, so running it again is safe.
func retrySnapshot(db bun.IDB, write func() error) error {
	if _, ok := db.(*bun.DB); !ok {
		return write()
	}
	for tries := 1; ; tries++ {
		err := write()
		var se *sqlite.Error
		if tries < 10 && errors.As(err, &se) && se.Code() == sqliteBusySnapshot {
			continue
		}
		return err
	}
}

// sqliteBusySnapshot is SQLITE_BUSY_SNAPSHOT, SQLITE_BUSY | 2<<8.
const sqliteBusySnapshot = 517

const postConflict = "CONFLICT (iri) WHERE iri IS NOT NULL DO NOTHING"

// insertPostRow inserts the post's row and fills in its ID, or reports
// that a post with its IRI is already stored. On PostgreSQL the insert is
// a prepared statement (see preparedOn): the inbox applier runs it for
// every post received.
func (s *Store) insertPostRow(ctx context.Context, db bun.IDB, p *model.Post) (bool, error) {
	q, ok := s.preparedOn(db)
	if !ok {
		res, err := db.NewInsert().Model(p).On(postConflict).Returning("id").Exec(ctx)
		if err != nil {
			return false, err
		}
		n, err := res.RowsAffected()
		return err != nil || n > 0, nil
	}
	st := &s.statements
	st.postInsertOnce.Do(func() {
		st.postInsert, st.postInsertErr = newModelInsert(s.DB, (*model.Post)(nil), "ON "+postConflict+" RETURNING id")
	})
	if st.postInsertErr != nil {
		return false, st.postInsertErr
	}
	if d, ok := db.(*bun.DB); ok && d == s.later && p.IRI != "" {
		return s.insertGrouped(ctx, q, p) // the inbox applier's runners
	}
	err := q.QueryRowContext(ctx, st.postInsert.sql, cached(st.postInsert.args(p))...).Scan(&p.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// UpdatePost saves a post's content and event fields and replaces its tags.
// The stored publication time is read back, for the tags' copy of it.
func (s *Store) UpdatePost(ctx context.Context, db bun.IDB, p *model.Post) error {
	_, err := db.NewUpdate().Model(p).
		Column("kind", "ap_type", "title", "summary", "content_html", "source", "url", "topic", "in_reply_to",
			"start_time", "end_time", "timezone", "venue", "address", "online_url", "booking_url", "raw", "updated", "in_timeline").
		WherePK().Returning("published").Exec(ctx)
	if err != nil {
		return fmt.Errorf("update post %d: %w", p.ID, err)
	}
	return s.replaceTags(ctx, db, p)
}

func (s *Store) replaceTags(ctx context.Context, db bun.IDB, p *model.Post) error {
	if _, err := db.NewDelete().Model((*model.Tag)(nil)).Where("post_id = ?", p.ID).Exec(ctx); err != nil {
		return fmt.Errorf("clear tags of post %d: %w", p.ID, err)
	}
	return s.insertTags(ctx, db, p)
}

func (s *Store) insertTags(ctx context.Context, db bun.IDB, p *model.Post) error {
	rows := appendTagRows(nil, p)
	if len(rows) == 0 {
		return nil
	}
	if _, err := db.NewInsert().Model(&rows).Exec(ctx); err != nil {
		return fmt.Errorf("tag post %d: %w", p.ID, err)
	}
	return nil
}

// MarkPostDeleted turns a post into a tombstone: its content goes, its id
// stays, so that fetches of it answer 410 and later copies are refused.
func (s *Store) MarkPostDeleted(ctx context.Context, db bun.IDB, p *model.Post) error {
	_, err := s.markDeleted(ctx, db, p)
	return err
}

// markDeleted reports whether this call made the tombstone: of two
// concurrent deletes, the second waits for the first's row lock and then
// finds deleted_at set, so what depends on the change happens once.
func (s *Store) markDeleted(ctx context.Context, db bun.IDB, p *model.Post) (bool, error) {
	p.DeletedAt = time.Now().UTC()
	p.Title, p.Summary, p.ContentHTML, p.Source, p.Raw, p.InTimeline = "", "", "", "", "", false
	res, err := db.NewUpdate().Model(p).
		Column("deleted_at", "title", "summary", "content_html", "source", "raw", "in_timeline").
		WherePK().Where("deleted_at IS NULL").Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("delete post %d: %w", p.ID, err)
	}
	if _, err = db.NewDelete().Model((*model.Tag)(nil)).Where("post_id = ?", p.ID).Exec(ctx); err != nil {
		return false, fmt.Errorf("clear tags of deleted post %d: %w", p.ID, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (s *Store) postWhere(ctx context.Context, column string, value any) (*model.Post, error) {
	p := new(model.Post)
	err := s.DB.NewSelect().Model(p).Relation("Author").Relation("Tags").
		Where("?TableAlias.? = ?", bunIdent(column), value).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("post %s=%v: %w", column, value, notFound(err))
	}
	return p, nil
}

// PostByID loads a post with its author and tags.
func (s *Store) PostByID(ctx context.Context, id int64) (*model.Post, error) {
	return s.postWhere(ctx, "id", id)
}

// PostByToken loads a local post by the token in its id.
func (s *Store) PostByToken(ctx context.Context, token string) (*model.Post, error) {
	return s.postWhere(ctx, "token", token)
}

// PostByIRI loads a remote post by its id.
func (s *Store) PostByIRI(ctx context.Context, iri string) (*model.Post, error) {
	return s.postWhere(ctx, "iri", iri)
}

// PostOwner is what deciding about a received post needs of a stored one.
type PostOwner struct {
	ID        int64     `bun:"id"`
	AuthorID  int64     `bun:"author_id"`
	DeletedAt time.Time `bun:"deleted_at,nullzero"`
}

// PostOwnerByIRI reads a remote post's id, author and deletion time, and
// nothing else: receiving a post asks only whether it is already stored,
// by whom, and whether deleted, and most often it is not stored at all.
func (s *Store) PostOwnerByIRI(ctx context.Context, iri string) (*PostOwner, error) {
	o := new(PostOwner)
	err := s.DB.NewSelect().Table("posts").Column("id", "author_id", "deleted_at").Where("iri = ?", iri).Limit(1).Scan(ctx, o)
	if err != nil {
		return nil, fmt.Errorf("post iri=%s: %w", iri, notFound(err))
	}
	return o, nil
}

// IsFollowedLocally reports whether any of our organisations follows the
// actor with an accepted follow: only then do its posts enter the timeline.
// Under WithLookupMemo the answer is remembered.
func (s *Store) IsFollowedLocally(ctx context.Context, actorID int64) (bool, error) {
	return memoized(ctx, memoFollowed, actorID, func() (bool, error) {
		q, ok := s.preparedOn(s.DB)
		if !ok {
			return s.DB.NewSelect().Model((*model.Follow)(nil)).
				Where("followee_id = ?", actorID).Where("state = ?", model.FollowAccepted).Exists(ctx)
		}
		query := s.statements.followed.get(func() string {
			return "SELECT EXISTS (SELECT 1 FROM follows WHERE followee_id = $1 AND state = $2)"
		})
		var followed bool
		err := q.QueryRowContext(ctx, query, cached([]any{actorID, model.FollowAccepted})...).Scan(&followed)
		return followed, err
	})
}
