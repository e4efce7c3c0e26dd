package store_test

import (
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// The search migration goes down cleanly and, coming back up over posts
// stored meanwhile, indexes them: SQLite's FTS table is filled from the
// table, PostgreSQL's generated column computed for every row.
func TestSearchMigrationDownAndUp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		run := func(name string) { t.Helper(); runMigration(t, s, "20261230000200_post_search.tx."+name+".sql") }
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
