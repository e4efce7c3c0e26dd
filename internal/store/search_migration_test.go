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

// The search migration goes down cleanly and, coming back up over posts
// stored meanwhile, indexes them: SQLite's FTS table is filled from the
// table, PostgreSQL's generated column computed for every row.
func TestSearchMigrationDownAndUp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		files := migrations.SQLite()
		if s.Dialect == store.Postgres {
			files = migrations.Postgres()
		}
		run := func(name string) {
			t.Helper()
			body, err := fs.ReadFile(files, "20261230000200_post_search.tx."+name+".sql")
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
					t.Fatalf("%s: %s: %v", name, q, err)
				}
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
		}
		find := func() ([]store.SearchHit, error) {
			hits, _, err := s.Search(ctx, store.SearchQuery{Websearch: "toolkit", FTS: `"toolkit"`, Limit: 20})
			return hits, err
		}
		run("down")
		if _, err := find(); err == nil {
			t.Fatal("search still works after the down migration")
		}
		org := localOrg("leedstrust")
		if err := s.CreateActor(ctx, org); err != nil {
			t.Fatal(err)
		}
		p := &model.Post{AuthorID: org.ID, Local: true, Token: "toolkit", Kind: model.KindGuidance, APType: "Article",
			Title: "Social media toolkit", ContentHTML: "<p>For staff.</p>", InTimeline: true, Published: time.Now().UTC()}
		if err := s.InsertPost(ctx, s.DB, p); err != nil {
			t.Fatalf("insert without the search index: %v", err)
		}
		run("up")
		hits, err := find()
		if err != nil || len(hits) != 1 || hits[0].Post.ID != p.ID {
			t.Fatalf("after coming back up: %v, %d hits", err, len(hits))
		}
	})
}
