package store_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// The applier's runners insert posts at the same moment, and on
// PostgreSQL those inserts share statements: each post is still stored
// once with its own id, a repeated IRI is still ErrPostExists whichever
// came first, and a post that cannot be stored (its author is unknown)
// fails alone.
func TestConcurrentPostInsertsEachAnswered(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		r := remote(1)
		if err := s.UpsertRemoteActor(ctx, r); err != nil {
			t.Fatal(err)
		}
		later := store.WithLaterDurableCommit(ctx)
		const n = 60
		posts := make([]*model.Post, n)
		errs := make([]error, n)
		for i := range posts {
			author, iri := r.ID, fmt.Sprintf("%s/statuses/%d", r.IRI, i%(n/2)) // each IRI twice
			if i == n-1 {
				author, iri = r.ID+1_000_000, r.IRI+"/statuses/orphan"
			}
			posts[i] = &model.Post{AuthorID: author, IRI: iri, Kind: model.KindUpdate, APType: "Note",
				ContentHTML: fmt.Sprintf("<p>%d</p>", i), Published: time.Now(), InTimeline: true}
		}
		var wg sync.WaitGroup
		for i := range posts {
			wg.Go(func() { errs[i] = s.InsertPost(later, s.Writer(later), posts[i]) })
		}
		wg.Wait()
		stored := map[string]int64{}
		for i, p := range posts {
			switch {
			case i == n-1:
				if errs[i] == nil {
					t.Errorf("a post by an unknown author was stored (id %d)", p.ID)
				}
			case errs[i] == nil:
				if p.ID == 0 || stored[p.IRI] != 0 {
					t.Errorf("%s stored with id %d, and before as %d", p.IRI, p.ID, stored[p.IRI])
				}
				stored[p.IRI] = p.ID
			case !errors.Is(errs[i], store.ErrPostExists):
				t.Errorf("%s: %v", p.IRI, errs[i])
			}
		}
		if len(stored) != n/2 {
			t.Errorf("%d IRIs stored, want %d", len(stored), n/2)
		}
		for iri, id := range stored {
			got, err := s.PostByIRI(ctx, iri)
			if err != nil || got.ID != id {
				t.Errorf("%s: stored %+v, %v; want id %d", iri, got, err, id)
			}
		}
	})
}
