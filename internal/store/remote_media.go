package store

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
)

// ReplaceRemoteMedia makes rows the pictures of one owner (an actor's
// avatar, a post's attachments), given with ActorID or PostID and Kind set.
// A picture already recorded under the same url keeps its cached copy; the
// owner's others are removed. It returns the rows as stored, with ids.
func (s *Store) ReplaceRemoteMedia(ctx context.Context, actorID, postID int64, kind string, rows []*model.RemoteMedia) ([]*model.RemoteMedia, error) {
	if len(rows) == 0 {
		// Most posts carry no pictures: one statement, no transaction.
		q := s.DB.NewDelete().Model((*model.RemoteMedia)(nil)).Where("kind = ?", kind)
		if postID != 0 {
			q = q.Where("post_id = ?", postID)
		} else {
			q = q.Where("actor_id = ?", actorID)
		}
		if _, err := q.Exec(ctx); err != nil {
			return nil, fmt.Errorf("clear remote media: %w", err)
		}
		return rows, nil
	}
	err := s.InTx(ctx, func(tx bun.Tx) error {
		var old []*model.RemoteMedia
		q := tx.NewSelect().Model(&old).Where("kind = ?", kind)
		q = ownerWhere(q, actorID, postID)
		if err := q.Scan(ctx); err != nil {
			return fmt.Errorf("load remote media: %w", err)
		}
		byURL := map[string]*model.RemoteMedia{}
		for _, o := range old {
			byURL[o.URL] = o
		}
		now := time.Now().UTC()
		for _, r := range rows {
			r.ActorID, r.PostID, r.Kind = actorID, postID, kind
			if o, ok := byURL[r.URL]; ok {
				delete(byURL, r.URL)
				r.ID, r.FileKey, r.FileBytes, r.FetchedAt, r.CreatedAt = o.ID, o.FileKey, o.FileBytes, o.FetchedAt, o.CreatedAt
				if _, err := tx.NewUpdate().Model(r).Column("position", "alt", "media_type", "width", "height", "blurhash").
					WherePK().Exec(ctx); err != nil {
					return fmt.Errorf("update remote media: %w", err)
				}
				continue
			}
			r.CreatedAt = now
			if _, err := tx.NewInsert().Model(r).Exec(ctx); err != nil {
				return fmt.Errorf("insert remote media: %w", err)
			}
		}
		for _, o := range byURL {
			if _, err := tx.NewDelete().Model(o).WherePK().Exec(ctx); err != nil {
				return fmt.Errorf("delete remote media: %w", err)
			}
		}
		return nil
	})
	return rows, err
}

func ownerWhere(q *bun.SelectQuery, actorID, postID int64) *bun.SelectQuery {
	if postID != 0 {
		return q.Where("post_id = ?", postID)
	}
	return q.Where("actor_id = ?", actorID)
}

// RemoteMediaByID loads one remote picture.
func (s *Store) RemoteMediaByID(ctx context.Context, id int64) (*model.RemoteMedia, error) {
	m := new(model.RemoteMedia)
	if err := s.DB.NewSelect().Model(m).Where("id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return m, nil
}

// SetRemoteMediaCached records our copy of a remote picture.
func (s *Store) SetRemoteMediaCached(ctx context.Context, m *model.RemoteMedia) error {
	_, err := s.DB.NewUpdate().Model(m).Column("file_key", "file_bytes", "fetched_at", "failure", "width", "height", "blurhash").
		WherePK().Exec(ctx)
	if err != nil {
		return fmt.Errorf("record cached remote media %d: %w", m.ID, err)
	}
	return nil
}

// SetRemoteMediaFailure records why a remote picture could not be cached.
func (s *Store) SetRemoteMediaFailure(ctx context.Context, id int64, why string) error {
	_, err := s.DB.NewUpdate().Model((*model.RemoteMedia)(nil)).Set("failure = ?", why).Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("record remote media failure %d: %w", id, err)
	}
	return nil
}

// RemoteMediaOfPosts loads the images of the given remote posts, in order.
func (s *Store) RemoteMediaOfPosts(ctx context.Context, postIDs ...int64) (map[int64][]*model.RemoteMedia, error) {
	out := map[int64][]*model.RemoteMedia{}
	if len(postIDs) == 0 {
		return out, nil
	}
	var rows []*model.RemoteMedia
	err := s.DB.NewSelect().Model(&rows).Where("post_id IN (?)", bun.In(postIDs)).
		Order("post_id", "position", "id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("load remote post media: %w", err)
	}
	for _, m := range rows {
		out[m.PostID] = append(out[m.PostID], m)
	}
	return out, nil
}

// RemoteAvatars loads the avatars of the given remote actors.
func (s *Store) RemoteAvatars(ctx context.Context, actorIDs ...int64) (map[int64]*model.RemoteMedia, error) {
	out := map[int64]*model.RemoteMedia{}
	if len(actorIDs) == 0 {
		return out, nil
	}
	var rows []*model.RemoteMedia
	err := s.DB.NewSelect().Model(&rows).Where("actor_id IN (?) AND kind = 'avatar'", bun.In(actorIDs)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("load remote avatars: %w", err)
	}
	for _, m := range rows {
		out[m.ActorID] = m
	}
	return out, nil
}

// CachedRemoteMedia lists the remote pictures we hold a copy of, oldest
// fetch first: the order the cache prunes in.
func (s *Store) CachedRemoteMedia(ctx context.Context) ([]*model.RemoteMedia, error) {
	var rows []*model.RemoteMedia
	err := s.DB.NewSelect().Model(&rows).Column("id", "file_key", "file_bytes", "fetched_at").
		Where("file_key <> ''").Order("fetched_at", "id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("list cached remote media: %w", err)
	}
	return rows, nil
}

// UncacheRemoteMedia forgets our copy of a remote picture and reports
// whether its file may go: false when another picture, local or remote,
// still names the same content.
func (s *Store) UncacheRemoteMedia(ctx context.Context, id int64, key string) (unused bool, err error) {
	err = s.InTx(ctx, func(tx bun.Tx) error {
		if _, err := tx.NewUpdate().Model((*model.RemoteMedia)(nil)).Set("file_key = ''").Set("file_bytes = 0").
			Where("id = ?", id).Exec(ctx); err != nil {
			return err
		}
		n, err := tx.NewSelect().Model((*model.RemoteMedia)(nil)).Where("file_key = ?", key).Count(ctx)
		if err != nil {
			return err
		}
		m, err := tx.NewSelect().Model((*model.Media)(nil)).
			Where("original_key = ? OR display_key = ? OR thumb_key = ?", key, key, key).Count(ctx)
		unused = n == 0 && m == 0
		return err
	})
	if err != nil {
		return false, fmt.Errorf("uncache remote media %d: %w", id, err)
	}
	return unused, nil
}
