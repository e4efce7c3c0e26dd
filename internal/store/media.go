package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
)

// InsertMedia records a picture whose files are already stored.
func (s *Store) InsertMedia(ctx context.Context, db bun.IDB, m *model.Media) error {
	if m.CreatedAt.IsZero() {
		m.CreatedAt = time.Now().UTC()
	}
	if _, err := db.NewInsert().Model(m).Exec(ctx); err != nil {
		return fmt.Errorf("insert media: %w", err)
	}
	return nil
}

// MediaByID loads one picture.
func (s *Store) MediaByID(ctx context.Context, id int64) (*model.Media, error) {
	m := new(model.Media)
	if err := s.DB.NewSelect().Model(m).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return m, nil
}

// PostMedia loads the images of the given posts, each post's in order, in
// one query for a whole page of posts.
func (s *Store) PostMedia(ctx context.Context, postIDs ...int64) (map[int64][]*model.Media, error) {
	out := map[int64][]*model.Media{}
	if len(postIDs) == 0 {
		return out, nil
	}
	var rows []*model.Media
	err := s.DB.NewSelect().Model(&rows).Where("post_id IN (?)", bun.In(postIDs)).
		Order("post_id", "position", "id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("load post media: %w", err)
	}
	for _, m := range rows {
		out[m.PostID] = append(out[m.PostID], m)
	}
	return out, nil
}

// ActorMedia loads an actor's pictures of one kind, newest first.
func (s *Store) ActorMedia(ctx context.Context, actorID int64, kind string) ([]*model.Media, error) {
	var rows []*model.Media
	err := s.DB.NewSelect().Model(&rows).Where("actor_id = ? AND kind = ?", actorID, kind).
		Order("id DESC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("load %s media of actor %d: %w", kind, actorID, err)
	}
	return rows, nil
}

// MediaByKind loads the pictures of a kind no actor or post owns (the
// instance logo), newest first.
func (s *Store) MediaByKind(ctx context.Context, kind string) ([]*model.Media, error) {
	var rows []*model.Media
	err := s.DB.NewSelect().Model(&rows).Where("kind = ? AND actor_id IS NULL AND post_id IS NULL", kind).
		Order("id DESC").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("load %s media: %w", kind, err)
	}
	return rows, nil
}

// DeleteMedia removes the rows with the given ids and returns the storage
// keys that no remaining row names, which the caller may now delete from
// storage once the transaction has committed.
func (s *Store) DeleteMedia(ctx context.Context, db bun.IDB, ids []int64) ([]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []*model.Media
	if err := db.NewSelect().Model(&rows).Where("id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("load media to delete: %w", err)
	}
	if _, err := db.NewDelete().Model((*model.Media)(nil)).Where("id IN (?)", bun.In(ids)).Exec(ctx); err != nil {
		return nil, fmt.Errorf("delete media: %w", err)
	}
	return unusedKeys(ctx, db, rows)
}

// DeletePostMedia removes a post's images and returns the keys no other row
// names, as DeleteMedia does.
func (s *Store) DeletePostMedia(ctx context.Context, db bun.IDB, postID int64) ([]string, error) {
	var ids []int64
	if err := db.NewSelect().Model((*model.Media)(nil)).Column("id").Where("post_id = ?", postID).Scan(ctx, &ids); err != nil {
		return nil, fmt.Errorf("list media of post %d: %w", postID, err)
	}
	return s.DeleteMedia(ctx, db, ids)
}

// unusedKeys returns the keys of the deleted rows that no row still names.
func unusedKeys(ctx context.Context, db bun.IDB, deleted []*model.Media) ([]string, error) {
	seen := map[string]bool{}
	var keys []string
	for _, m := range deleted {
		for _, k := range m.Keys() {
			if k != "" && !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	if len(keys) == 0 {
		return nil, nil
	}
	var used []string
	err := db.NewRaw(`SELECT original_key FROM media WHERE original_key IN (?0)
		UNION SELECT display_key FROM media WHERE display_key IN (?0)
		UNION SELECT thumb_key FROM media WHERE thumb_key IN (?0)`, bun.In(keys)).Scan(ctx, &used)
	if err != nil {
		return nil, fmt.Errorf("find media keys still in use: %w", err)
	}
	inUse := map[string]bool{}
	for _, k := range used {
		inUse[k] = true
	}
	var unused []string
	for _, k := range keys {
		if !inUse[k] {
			unused = append(unused, k)
		}
	}
	return unused, nil
}

// SetActorImage points a local actor's avatar or header at a display key
// ("" to remove it).
func (s *Store) SetActorImage(ctx context.Context, db bun.IDB, a *model.Actor, kind, key string) error {
	column := map[string]string{"avatar": "avatar_key", "header": "header_key"}[kind]
	if column == "" {
		return fmt.Errorf("set actor image: unknown kind %q", kind)
	}
	a.UpdatedAt = time.Now().UTC()
	_, err := db.NewUpdate().Model((*model.Actor)(nil)).
		Set("? = ?", bun.Ident(column), key).Set("updated_at = ?", a.UpdatedAt).
		Where("id = ? AND local", a.ID).Exec(ctx)
	if err != nil {
		return fmt.Errorf("set %s of %s: %w", kind, a.Username, err)
	}
	if kind == "avatar" {
		a.AvatarKey = key
	} else {
		a.HeaderKey = key
	}
	return nil
}
