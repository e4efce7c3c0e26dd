package instance_test

import (
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/posts"
	"github.com/commonplace-social/commonplace/internal/store"
)

const threadSize = 1000

// longThread publishes a post and stores threadSize comments under it from
// 50 remote accounts, a second apart, oldest first; comment i says
// "Comment i" (four digits) and has id <author>/statuses/i.
func longThread(t *testing.T, inst *instancetest.Running) (postIRI string, replyIDs []string) {
	t.Helper()
	org := inst.AddOrg(t, orgs.NewOrg{Username: "hscleeds", Name: "The Sociable Organisation"})
	root, err := inst.Posts.Publish(bg, org, posts.Draft{Kind: model.KindUpdate, Body: "What should the next meetup cover?"})
	if err != nil {
		t.Fatal(err)
	}
	postIRI = inst.Layout.Post(org.Username, root.Token)
	authors := make([]*model.Actor, 50)
	for i := range authors {
		id := fmt.Sprintf("https://m%d.example/users/u%d", i, i)
		authors[i] = &model.Actor{Username: fmt.Sprintf("u%d", i), Host: fmt.Sprintf("m%d.example", i), IRI: id,
			Type: model.ActorPerson, Inbox: id + "/inbox", PublicKeyPEM: "pub"}
		if err := inst.Store.UpsertRemoteActor(bg, authors[i]); err != nil {
			t.Fatal(err)
		}
	}
	start := time.Now().UTC().Truncate(time.Second).Add(-threadSize * time.Second)
	err = inst.Store.InTx(bg, func(tx bun.Tx) error {
		for i := range threadSize {
			a := authors[i%len(authors)]
			c := &model.Post{AuthorID: a.ID, IRI: fmt.Sprintf("%s/statuses/%d", a.IRI, i), Kind: model.KindComment, APType: "Note",
				ContentHTML: fmt.Sprintf("<p>Comment %04d</p>", i), InReplyTo: postIRI, ThreadRootID: root.ID,
				Published: start.Add(time.Duration(i) * time.Second)}
			if err := inst.Store.InsertComment(bg, tx, c); err != nil {
				return err
			}
			replyIDs = append(replyIDs, c.IRI)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return postIRI, replyIDs
}

var (
	commentNumber = regexp.MustCompile(`Comment (\d{4})`)
	newerLink     = regexp.MustCompile(`<a href="([^"]+)"[^>]*>Newer comments`)
	olderLink     = regexp.MustCompile(`<a href="([^"]+)"[^>]*>Older comments`)
)

// A long thread shows its comments fifty to a page, oldest first, with
// plain links to the newer and older pages; following them visits every
// comment exactly once, in order, and the count comes from the post.
func TestPostPagePagesALongThread(t *testing.T) {
	inst := instancetest.Start(t, store.SQLite)
	postIRI, _ := longThread(t, inst)
	pageURL, next := postIRI, 0
	var firstNewer string
	for pages := 0; pageURL != ""; pages++ {
		if pages > threadSize/50 {
			t.Fatal("the newer-comments links never end")
		}
		f := fetch(t, pageURL, "text/html")
		body := string(f.body)
		if f.status != 200 || !strings.Contains(body, "1000 comments") {
			t.Fatalf("GET %s: %d, or no count of 1000 comments", pageURL, f.status)
		}
		nums := commentNumber.FindAllStringSubmatch(body, -1)
		if len(nums) != 50 {
			t.Fatalf("page %d shows %d comments, want 50", pages+1, len(nums))
		}
		for _, m := range nums {
			if m[1] != fmt.Sprintf("%04d", next) {
				t.Fatalf("page %d shows comment %s where %04d comes next", pages+1, m[1], next)
			}
			next++
		}
		if (pages == 0) == olderLink.MatchString(body) {
			t.Errorf("page %d: an older-comments link only belongs after the first page", pages+1)
		}
		pageURL = ""
		if m := newerLink.FindStringSubmatch(body); m != nil {
			pageURL = resolve(t, postIRI, m[1])
			if pages == 0 {
				firstNewer = pageURL
			}
		}
	}
	if next != threadSize {
		t.Errorf("the pages showed %d comments, want %d", next, threadSize)
	}
	// From the second page, the older link leads back to the first.
	body := string(fetch(t, firstNewer, "text/html").body)
	m := olderLink.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("the second page has no older-comments link")
	}
	back := string(fetch(t, resolve(t, postIRI, m[1]), "text/html").body)
	if nums := commentNumber.FindAllStringSubmatch(back, -1); len(nums) != 50 || nums[0][1] != "0000" || nums[49][1] != "0049" {
		t.Errorf("the older link from page 2 shows %d comments from %v", len(nums), nums[:min(1, len(nums))])
	}
}

// The replies collection pages through a long thread: the post embeds a
// small first page with a next link, and following next from the
// collection's first page lists every reply exactly once, oldest first.
func TestRepliesCollectionPagesALongThread(t *testing.T) {
	inst := instancetest.Start(t, store.Postgres)
	postIRI, want := longThread(t, inst)
	embedded := fetchAS(t, postIRI)["replies"].(map[string]any)["first"].(map[string]any)
	if items, _ := embedded["items"].([]any); len(items) != 20 || items[0] != want[0] || embedded["next"] == nil {
		t.Errorf("embedded first page: %d items, next %v", len(items), embedded["next"])
	}
	coll := fetchAS(t, postIRI+"/replies")
	if coll["type"] != "OrderedCollection" || coll["totalItems"] != float64(threadSize) {
		t.Errorf("collection: type %v, totalItems %v", coll["type"], coll["totalItems"])
	}
	var got []string
	pageURL, _ := coll["first"].(string)
	for pages := 0; pageURL != ""; pages++ {
		if pages > threadSize {
			t.Fatal("the next links never end")
		}
		page := fetchAS(t, pageURL)
		if page["type"] != "OrderedCollectionPage" || page["partOf"] != postIRI+"/replies" {
			t.Errorf("page %s: type %v, partOf %v", pageURL, page["type"], page["partOf"])
		}
		items, _ := page["orderedItems"].([]any)
		if len(items) == 0 || len(items) > 50 {
			t.Fatalf("page %s has %d items", pageURL, len(items))
		}
		if pages == 0 && embedded["next"] != page["next"] {
			t.Errorf("the embedded page's next %v differs from the served first page's %v", embedded["next"], page["next"])
		}
		for _, it := range items {
			got = append(got, it.(string))
		}
		pageURL, _ = page["next"].(string)
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("paging listed %d replies; want each of %d exactly once, oldest first", len(got), len(want))
	}
}

func resolve(t *testing.T, base, href string) string {
	t.Helper()
	b, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	r, err := b.Parse(html.UnescapeString(href))
	if err != nil {
		t.Fatal(err)
	}
	r.Fragment = ""
	return r.String()
}
