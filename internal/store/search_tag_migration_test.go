package store_test

import (
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
	"github.com/commonplace-social/commonplace/migrations"
)

// runMigration runs one migration file of the store's dialect, statement
// by statement, in a transaction, as the migrator does.
func runMigration(t *testing.T, s *store.Store, file string) {
	t.Helper()
	files := migrations.SQLite()
	if s.Dialect == store.Postgres {
		files = migrations.Postgres()
	}
	body, err := fs.ReadFile(files, file)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	for _, q := range strings.Split(string(body), "--bun:split") {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %s: %v", file, q, err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

// The migrations behind a fast tag filter go down and come back up: tag
// rows stored before them get their post's kind, so a tag and a kind find
// them, and PostgreSQL's search vector is kept in the row and still found.
func TestSearchTagMigrationsDownAndUp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		org := localOrg("tweetmeet")
		if err := s.CreateActor(ctx, org); err != nil {
			t.Fatal(err)
		}
		p := &model.Post{AuthorID: org.ID, Local: true, Token: "festival", Kind: model.KindEvent, APType: "Event",
			Title: "Festival", ContentHTML: "<p>A festival of social media.</p>", InTimeline: true, Published: time.Now().UTC(),
			Tags: []model.Tag{{Tag: "tweetmeet", Name: "TweetMeet"}}}
		if err := s.InsertPost(ctx, s.DB, p); err != nil {
			t.Fatal(err)
		}
		find := func(kind string) int {
			t.Helper()
			hits, _, err := s.Search(ctx, store.SearchQuery{Websearch: "festival", FTS: `"festival"`, Kind: kind, Tag: "tweetmeet", Limit: 20})
			if err != nil {
				t.Fatalf("search: %v", err)
			}
			return len(hits)
		}
		runMigration(t, s, "20261231000210_post_search_inline.tx.down.sql")
		runMigration(t, s, "20261231000200_post_tags_kind.tx.down.sql")
		runMigration(t, s, "20261231000200_post_tags_kind.tx.up.sql")
		runMigration(t, s, "20261231000210_post_search_inline.tx.up.sql")
		if n, m := find(model.KindEvent), find(model.KindUpdate); n != 1 || m != 0 {
			t.Fatalf("after coming back up: %d events and %d updates found, want 1 and 0", n, m)
		}
		if s.Dialect == store.Postgres {
			var storage string
			err := s.DB.NewRaw(`SELECT attstorage FROM pg_attribute WHERE attrelid = 'posts'::regclass AND attname = 'search'`).Scan(ctx, &storage)
			if err != nil || storage != "m" {
				t.Fatalf("search column storage %q (%v), want m (main)", storage, err)
			}
		}
	})
}
