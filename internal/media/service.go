package media

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// MaxAlt is the longest alt text accepted, Mastodon's limit, so a
// description written here is never cut short over there.
const MaxAlt = 1500

// Service runs the media use cases: saving uploads, and removing pictures
// and their files when what they belong to goes.
type Service struct {
	Store *store.Store
	Files Storage
	// Profiles records an organisation's new avatar or header and tells its
	// followers (orgs.Service); needed only by SetProfileImage.
	Profiles interface {
		SetImage(ctx context.Context, username, kind, key string) (*model.Actor, error)
	}
	Log *slog.Logger
}

// Owner says what a picture belongs to: an actor (avatar, header), a post
// (attachment, at Position among its images), or neither (the logo).
type Owner struct {
	ActorID, PostID int64
	Position        int
}

// Prepare reads, checks and processes an upload and stores its files,
// returning a record not yet saved, for a caller that saves it in its own
// transaction (e.g. with the post it belongs to). Files of a record that is
// then never saved are harmless: their names are their content.
func (s *Service) Prepare(ctx context.Context, owner Owner, kind string, r io.Reader, alt string) (*model.Media, error) {
	if !ValidKind(kind) {
		return nil, fmt.Errorf("media: unknown kind %q", kind)
	}
	alt = strings.TrimSpace(alt)
	if kind == KindAttachment && alt == "" {
		return nil, model.Errorf(model.EInvalid, "describe each image in its alt text: people who use screen readers, or whose images do not load, rely on it")
	}
	if n := utf8.RuneCountInString(alt); n > MaxAlt {
		return nil, model.Errorf(model.EInvalid, "the alt text is %d characters long; keep it to %d", n, MaxAlt)
	}
	data, err := ReadLimited(r)
	if err != nil {
		return nil, err
	}
	p, err := Process(data, kind)
	if err != nil {
		return nil, err
	}
	m := &model.Media{
		ActorID: owner.ActorID, PostID: owner.PostID, Position: owner.Position, Kind: kind,
		Alt: alt, ContentType: p.ContentType, Width: p.Width, Height: p.Height, Blurhash: p.Blurhash,
		OriginalKey: Key(p.Original, p.Ext), DisplayKey: Key(p.Display, p.Ext), ThumbKey: Key(p.Thumb, p.Ext),
	}
	for key, data := range map[string][]byte{m.OriginalKey: p.Original, m.DisplayKey: p.Display, m.ThumbKey: p.Thumb} {
		if err := s.Files.Put(ctx, key, p.ContentType, data); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// Save processes an upload, stores its files and records it.
func (s *Service) Save(ctx context.Context, owner Owner, kind string, r io.Reader, alt string) (*model.Media, error) {
	m, err := s.Prepare(ctx, owner, kind, r, alt)
	if err != nil {
		return nil, err
	}
	if err := s.Store.InsertMedia(ctx, s.Store.DB, m); err != nil {
		return nil, err
	}
	return m, nil
}

// SetProfileImage makes an upload the organisation's avatar or header,
// federates the change, and removes the picture it replaces.
func (s *Service) SetProfileImage(ctx context.Context, org *model.Actor, kind string, r io.Reader) (*model.Actor, error) {
	if kind != KindAvatar && kind != KindHeader {
		return nil, fmt.Errorf("media: %q is not a profile image", kind)
	}
	m, err := s.Save(ctx, Owner{ActorID: org.ID}, kind, r, "")
	if err != nil {
		return nil, err
	}
	updated, err := s.Profiles.SetImage(ctx, org.Username, kind, m.DisplayKey)
	if err != nil {
		return nil, err
	}
	older, err := s.Store.ActorMedia(ctx, org.ID, kind)
	if err != nil {
		return updated, err
	}
	var ids []int64
	for _, o := range older {
		if o.ID != m.ID {
			ids = append(ids, o.ID)
		}
	}
	return updated, s.Remove(ctx, ids...)
}

// RemovePostTx deletes a post's images in tx and, once tx commits, every
// file no other picture uses. The post delete use case calls it, so a
// deleted post's pictures go with it.
func (s *Service) RemovePostTx(ctx context.Context, tx bun.Tx, postID int64) error {
	keys, err := s.Store.DeletePostMedia(ctx, tx, postID)
	if err != nil {
		return err
	}
	s.deleteFilesAfter(ctx, tx, keys)
	return nil
}

// Remove deletes pictures by id and every file no other picture uses.
func (s *Service) Remove(ctx context.Context, ids ...int64) error {
	return s.Store.InTx(ctx, func(tx bun.Tx) error {
		keys, err := s.Store.DeleteMedia(ctx, tx, ids)
		if err != nil {
			return err
		}
		s.deleteFilesAfter(ctx, tx, keys)
		return nil
	})
}

// deleteFilesAfter deletes files once tx has committed (never if it rolls
// back, when the rows naming them are still there). A file that fails to go
// is logged, not fatal: nothing names it any more, so it only wastes space.
func (s *Service) deleteFilesAfter(ctx context.Context, tx bun.Tx, keys []string) {
	ctx = context.WithoutCancel(ctx)
	del := func() {
		for _, k := range keys {
			if err := s.Files.Delete(ctx, k); err != nil {
				s.log().Warn("media file left behind", "key", k, "err", err)
			}
		}
	}
	if len(keys) > 0 && !store.AfterCommit(tx, del) {
		s.log().Warn("media files left behind: transaction not begun by the store", "keys", keys)
	}
}

func (s *Service) log() *slog.Logger {
	if s.Log != nil {
		return s.Log
	}
	return slog.Default()
}

// Path is where a stored file is served on this instance.
func Path(key string) string { return "/media/" + key }

// URL is the absolute address of a stored file for documents sent to other
// servers; base is the instance's base URL.
func URL(base, key string) string { return base + Path(key) }
