package web_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
)

// benchPosts is the size of timeline the benchmark reads: years of a busy
// network's posts.
const benchPosts = 100_000

// BenchmarkTimelinePage renders the first page of the home timeline and a
// page far back (95,000 posts deep) over HTTP, with 100,000 posts in
// SQLite. Keyset paging should make the two cost about the same.
func BenchmarkTimelinePage(b *testing.B) {
	inst := instancetest.Start(b, store.SQLite)
	org := inst.AddOrg(b, orgs.NewOrg{Username: "trust", Name: "The Trust"})
	base := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	const batch = 500
	for start := 0; start < benchPosts; start += batch {
		ps := make([]*model.Post, 0, batch)
		for i := start; i < start+batch; i++ {
			ps = append(ps, &model.Post{AuthorID: org.ID, Local: true, Token: fmt.Sprintf("bench%06d", i),
				Kind: model.PublishedKinds[i%4], APType: "Article", Title: fmt.Sprintf("Post %d", i),
				Summary: "A summary of the post that carries its gist.", ContentHTML: "<p>Some words about the meetup.</p>",
				InTimeline: true, Published: base.Add(time.Duration(i) * time.Minute), CreatedAt: base,
				Tags: []model.Tag{{Tag: "hscleeds", Name: "HSCLeeds"}}})
		}
		if err := inst.Store.InsertPosts(bg, inst.Store.DB, ps); err != nil {
			b.Fatal(err)
		}
	}
	deep, err := inst.Store.PostByToken(bg, fmt.Sprintf("bench%06d", benchPosts-95_000))
	if err != nil {
		b.Fatal(err)
	}
	deepURL := fmt.Sprintf("%s/?before=%d.%d", inst.URL, deep.Published.Unix(), deep.ID)

	if body := get(b, deepURL).body; !strings.Contains(body, fmt.Sprintf(">Post %d<", benchPosts-95_001)) {
		b.Fatalf("the deep page does not start where it should:\n%s", body)
	}
	for _, c := range []struct{ name, url string }{{"first", inst.URL + "/"}, {"deep", deepURL}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				res, err := http.Get(c.url)
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusOK {
					b.Fatalf("GET %s = %d", c.url, res.StatusCode)
				}
			}
		})
	}
}
