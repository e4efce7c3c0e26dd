package store_test

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
	"github.com/commonplace-social/commonplace/migrations"
)

// walkTimeline follows a filter's pages to the end, two posts at a time,
// and returns the ids in the order they were shown.
func walkTimeline(t *testing.T, s *store.Store, f store.TimelineFilter) []int64 {
	t.Helper()
	var ids []int64
	var after *store.Cursor
	for range 100 {
		page, err := s.Timeline(ctx, f, after, 2)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range page.Posts {
			ids = append(ids, p.ID)
		}
		if page.Next == nil {
			return ids
		}
		after = page.Next
	}
	t.Fatal("the pages do not end")
	return nil
}

// A tag page shows the tagged timeline posts newest first, ties by id, and
// leaves out tagged comments, deleted posts and tags an edit removed;
// posts stored one by one and in bulk alike.
func TestTagPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		org := localOrg("network")
		if err := s.CreateActor(ctx, org); err != nil {
			t.Fatal(err)
		}
		base := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		tag := []model.Tag{{Tag: "hscleeds", Name: "HSCLeeds"}}
		post := func(i int, tags []model.Tag) *model.Post {
			return &model.Post{AuthorID: org.ID, Local: true, Token: fmt.Sprint("t", i), Kind: model.KindUpdate, APType: "Note",
				ContentHTML: "<p>hi</p>", InTimeline: true, Published: base.Add(time.Duration(i/3) * time.Hour), Tags: tags}
		}
		var bulk []*model.Post
		for i := range 9 {
			bulk = append(bulk, post(i, tag))
		}
		bulk[4].Tags = nil
		if err := s.InsertPosts(ctx, s.DB, bulk); err != nil {
			t.Fatal(err)
		}
		one := post(9, append(slices.Clone(tag), model.Tag{Tag: "hscleeds", Name: "again"}))
		if err := s.InsertPost(ctx, s.DB, one); err != nil {
			t.Fatal(err)
		}
		comment := post(10, tag)
		comment.Kind, comment.InTimeline, comment.ThreadRootID = model.KindComment, false, bulk[0].ID
		if err := s.InsertComment(ctx, s.DB, comment); err != nil {
			t.Fatal(err)
		}
		if err := s.MarkPostDeleted(ctx, s.DB, bulk[2]); err != nil {
			t.Fatal(err)
		}
		edited := bulk[6]
		edited.Tags, edited.Published = nil, time.Time{} // an edit that drops the tag, from a caller that lost the time
		if err := s.UpdatePost(ctx, s.DB, edited); err != nil {
			t.Fatal(err)
		}
		if !edited.Published.Equal(base.Add(2 * time.Hour)) {
			t.Errorf("the update read back published = %s", edited.Published)
		}
		retagged := bulk[7]
		retagged.Tags = []model.Tag{{Tag: "hscleeds", Name: "HSCLEEDS"}}
		if err := s.UpdatePost(ctx, s.DB, retagged); err != nil {
			t.Fatal(err)
		}
		// Newest first; posts sharing a time by descending id.
		want := []int64{one.ID, bulk[8].ID, retagged.ID, bulk[5].ID, bulk[3].ID, bulk[1].ID, bulk[0].ID}
		if got := walkTimeline(t, s, store.TimelineFilter{Tag: "hscleeds"}); !slices.Equal(got, want) {
			t.Errorf("tag pages = %v, want %v", got, want)
		}
		if got := walkTimeline(t, s, store.TimelineFilter{Tag: "hscleeds", Kind: model.KindEvent}); len(got) != 0 {
			t.Errorf("events tagged = %v, want none", got)
		}
		page, err := s.Timeline(ctx, store.TimelineFilter{Tag: "hscleeds"}, nil, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Posts[2].Tags) != 1 || page.Posts[2].Tags[0].Name != "HSCLEEDS" {
			t.Errorf("the retagged post's tags = %+v", page.Posts[2].Tags)
		}
	})
}

// Bulk inserts fill in every id, in order, and refuse nothing they were
// given; an empty batch is no statement at all.
func TestInsertPostsFillsIDs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		org := localOrg("bulk")
		if err := s.CreateActor(ctx, org); err != nil {
			t.Fatal(err)
		}
		if err := s.InsertPosts(ctx, s.DB, nil); err != nil {
			t.Fatal(err)
		}
		var ps []*model.Post
		for i := range 250 {
			ps = append(ps, &model.Post{AuthorID: org.ID, Local: true, Token: fmt.Sprint("b", i), Kind: model.KindUpdate, APType: "Note",
				InTimeline: true, Published: time.Date(2026, 1, 1, 0, 0, i, 0, time.UTC),
				Tags: []model.Tag{{Tag: fmt.Sprint("tag", i%3), Name: "x"}}})
		}
		if err := s.InsertPosts(ctx, s.DB, ps); err != nil {
			t.Fatal(err)
		}
		for i, p := range ps {
			got, err := s.PostByID(ctx, p.ID)
			if err != nil || got.Token != fmt.Sprint("b", i) || len(got.Tags) != 1 || got.Tags[0].Tag != fmt.Sprint("tag", i%3) {
				t.Fatalf("post %d read back as %+v, %v", i, got, err)
			}
		}
	})
}

// The migration copies each existing tag's post time and timeline flag,
// so the tags already stored show on the tag pages it speeds up.
func TestPageIndexMigrationCopiesTagTimes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		files, older := migrations.SQLite(), []string{
			"DROP INDEX post_tags_timeline", "DROP TABLE post_tags",
			`CREATE TABLE post_tags (post_id INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
			 tag TEXT NOT NULL, name TEXT NOT NULL, PRIMARY KEY (post_id, tag))`,
			"CREATE INDEX post_tags_tag ON post_tags (tag, post_id)"}
		if s.Dialect == store.Postgres {
			files, older = migrations.Postgres(), []string{
				"DROP INDEX post_tags_timeline", "DROP INDEX post_tags_kind", // and the later kind, which SQLite's rebuild drops
				"ALTER TABLE post_tags DROP COLUMN published, DROP COLUMN in_timeline, DROP COLUMN kind",
				"CREATE INDEX post_tags_tag ON post_tags (tag, post_id)"}
		}
		for _, q := range older {
			if _, err := s.DB.ExecContext(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		org := localOrg("before")
		if err := s.CreateActor(ctx, org); err != nil {
			t.Fatal(err)
		}
		published := time.Date(2025, 5, 5, 5, 5, 5, 0, time.UTC)
		var ids []int64
		for i, inTimeline := range []bool{true, false} {
			p := &model.Post{AuthorID: org.ID, Local: true, Token: fmt.Sprint("m", i), Kind: model.KindUpdate, APType: "Note",
				InTimeline: inTimeline, Published: published.Add(time.Duration(i) * time.Hour)}
			if _, err := s.DB.NewInsert().Model(p).Returning("id").Exec(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := s.DB.ExecContext(ctx, "INSERT INTO post_tags (post_id, tag, name) VALUES (?, 'hscleeds', 'HSCLeeds')", p.ID); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, p.ID)
		}
		up, err := fs.ReadFile(files, "20261210000040_page_indexes.tx.up.sql")
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range strings.Split(string(up), "--bun:split") {
			if !strings.Contains(q, "post_tags") {
				break // the tag steps come first; the rest are indexes already made
			}
			if _, err := s.DB.ExecContext(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		if got := walkTimeline(t, s, store.TimelineFilter{Tag: "hscleeds"}); !slices.Equal(got, ids[:1]) {
			t.Errorf("tag page after the migration = %v, want %v", got, ids[:1])
		}
		var copied time.Time
		if err := s.DB.NewRaw("SELECT published FROM post_tags WHERE post_id = ?", ids[0]).Scan(ctx, &copied); err != nil || !copied.Equal(published) {
			t.Errorf("copied published = %s, %v; want %s", copied, err, published)
		}
		// What the old code wrote, a tag without the copies, is refused.
		if _, err := s.DB.ExecContext(ctx, "INSERT INTO post_tags (post_id, tag, name) VALUES (?, 'other', 'Other')", ids[0]); err == nil {
			t.Error("a tag row without its post's time was accepted")
		}
	})
}
