package media_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"testing"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/iri"
	"github.com/commonplace-social/commonplace/internal/media"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/posts"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// sent records what the use cases federate, in place of the outbox.
type sent struct{ types []string }

func (s *sent) SendTx(_ context.Context, _ bun.Tx, out model.Outgoing) error {
	s.types = append(s.types, out.Type)
	return nil
}

func picture(t *testing.T, shade uint8) []byte {
	t.Helper()
	m := image.NewNRGBA(image.Rect(0, 0, 64, 48))
	for y := range 48 {
		for x := range 64 {
			m.Set(x, y, color.NRGBA{shade, uint8(x * 4), uint8(y * 5), 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

type fixture struct {
	st    *store.Store
	files media.DirStorage
	media *media.Service
	orgs  *orgs.Service
	posts *posts.Service
	sent  *sent
	org   *model.Actor
}

func newFixture(t *testing.T, st *store.Store) *fixture {
	ctx := context.Background()
	f := &fixture{st: st, files: media.DirStorage{Dir: t.TempDir()}, sent: &sent{}}
	f.orgs = &orgs.Service{Store: st, Send: f.sent, NewActivityID: func(*model.Actor) string { return "https://social.example/activities/1" }}
	f.media = &media.Service{Store: st, Files: f.files, Profiles: f.orgs}
	f.posts = &posts.Service{Store: st, Layout: iri.New("https://social.example"), Send: f.sent, Media: f.media}
	org, err := f.orgs.Create(ctx, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's Hospice"})
	if err != nil {
		t.Fatal(err)
	}
	f.org = org
	return f
}

func (f *fixture) exists(t *testing.T, key string) bool {
	t.Helper()
	file, err := f.files.Open(context.Background(), key)
	if errors.Is(err, media.ErrNotExist) {
		return false
	}
	if err != nil {
		t.Fatal(err)
	}
	file.Close()
	return true
}

// Deleting a post removes its images' rows and files, but not a file that
// another post's image (the same picture uploaded again) still uses.
func TestDeletingAPostRemovesItsMedia(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		f := newFixture(t, st)
		first, err := f.posts.Publish(ctx, f.org, posts.Draft{Kind: model.KindUpdate, Body: "Our garden in spring."})
		if err != nil {
			t.Fatal(err)
		}
		second, err := f.posts.Publish(ctx, f.org, posts.Draft{Kind: model.KindUpdate, Body: "The garden again."})
		if err != nil {
			t.Fatal(err)
		}
		own, err := f.media.Save(ctx, media.Owner{PostID: first.ID}, media.KindAttachment, bytes.NewReader(picture(t, 10)), "A pond with lilies")
		if err != nil {
			t.Fatal(err)
		}
		shared, err := f.media.Save(ctx, media.Owner{PostID: first.ID, Position: 1}, media.KindAttachment, bytes.NewReader(picture(t, 200)), "A bench")
		if err != nil {
			t.Fatal(err)
		}
		kept, err := f.media.Save(ctx, media.Owner{PostID: second.ID}, media.KindAttachment, bytes.NewReader(picture(t, 200)), "The same bench")
		if err != nil {
			t.Fatal(err)
		}
		if kept.DisplayKey != shared.DisplayKey {
			t.Fatalf("the same picture got two keys: %s and %s", kept.DisplayKey, shared.DisplayKey)
		}
		byPost, err := st.PostMedia(ctx, first.ID, second.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := byPost[first.ID]; len(got) != 2 || got[0].Alt != "A pond with lilies" || got[1].Alt != "A bench" {
			t.Fatalf("first post's media: %+v", got)
		}
		if m := byPost[first.ID][0]; m.Width != 64 || m.Height != 48 || m.Blurhash == "" || m.ContentType != "image/jpeg" {
			t.Errorf("recorded %d×%d %q %s, want 64×48 with a blurhash, image/jpeg", m.Width, m.Height, m.Blurhash, m.ContentType)
		}

		first.Author = f.org
		if err := f.posts.Delete(ctx, first); err != nil {
			t.Fatal(err)
		}
		for _, k := range own.Keys() {
			if f.exists(t, k) {
				t.Errorf("file %s of the deleted post is still stored", k)
			}
		}
		for _, k := range kept.Keys() {
			if !f.exists(t, k) {
				t.Errorf("file %s, still used by the other post, was deleted", k)
			}
		}
		byPost, err = st.PostMedia(ctx, first.ID, second.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(byPost[first.ID]) != 0 || len(byPost[second.ID]) != 1 {
			t.Errorf("after delete: %d rows for the deleted post, %d for the other; want 0 and 1", len(byPost[first.ID]), len(byPost[second.ID]))
		}
	})
}

// Setting an avatar records its display key on the actor, tells followers
// with an Update, and a second avatar replaces the first, files and all.
func TestSetProfileImageReplacesTheOldOne(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		f := newFixture(t, st)
		org, err := f.media.SetProfileImage(ctx, f.org, media.KindAvatar, bytes.NewReader(picture(t, 50)))
		if err != nil {
			t.Fatal(err)
		}
		old, err := st.ActorMedia(ctx, org.ID, media.KindAvatar)
		if err != nil || len(old) != 1 {
			t.Fatalf("avatar rows: %d, %v", len(old), err)
		}
		if org.AvatarKey != old[0].DisplayKey {
			t.Errorf("actor's avatar key %q, want the display key %q", org.AvatarKey, old[0].DisplayKey)
		}
		reloaded, err := f.orgs.Get(ctx, "stgemmas")
		if err != nil || reloaded.AvatarKey != org.AvatarKey {
			t.Fatalf("stored avatar key %q (%v), want %q", reloaded.AvatarKey, err, org.AvatarKey)
		}
		if len(f.sent.types) != 1 || f.sent.types[0] != "Update" {
			t.Errorf("sent %v, want one Update", f.sent.types)
		}

		org, err = f.media.SetProfileImage(ctx, org, media.KindAvatar, bytes.NewReader(picture(t, 150)))
		if err != nil {
			t.Fatal(err)
		}
		now, err := st.ActorMedia(ctx, org.ID, media.KindAvatar)
		if err != nil || len(now) != 1 || now[0].ID == old[0].ID {
			t.Fatalf("after replacing: %d rows (%v), want only the new one", len(now), err)
		}
		for _, k := range old[0].Keys() {
			if f.exists(t, k) {
				t.Errorf("replaced avatar's file %s is still stored", k)
			}
		}
		if !f.exists(t, org.AvatarKey) {
			t.Errorf("new avatar's file %s is missing", org.AvatarKey)
		}
	})
}

func TestAttachmentsNeedAltText(t *testing.T) {
	svc := &media.Service{Files: media.DirStorage{Dir: t.TempDir()}}
	_, err := svc.Prepare(context.Background(), media.Owner{}, media.KindAttachment, bytes.NewReader(picture(t, 1)), "  ")
	if model.ErrorCode(err) != model.EInvalid {
		t.Fatalf("got %v, want an invalid-input error asking for alt text", err)
	}
}
