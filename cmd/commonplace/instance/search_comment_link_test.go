package instance_test

import (
	"fmt"
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/posts"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// A comment found by search links to itself on its post's page: the
// anchor the page gives it, on the first page of comments when it is
// there, and on the page that holds it in a long thread. Following each
// link over HTTP shows the comment with that anchor.
func TestSearchLinksCommentToItsAnchor(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			a := instancetest.Start(t, d)
			org := a.AddOrg(t, orgs.NewOrg{Username: "hscleeds", Name: "HSC Leeds"})
			root, err := a.Posts.Publish(bg, org, posts.Draft{Kind: model.KindUpdate, Body: "What should the next meetup cover?"})
			if err != nil {
				t.Fatal(err)
			}
			postURL := a.Layout.Post(org.Username, root.Token)
			id := "https://m1.example/users/alice"
			alice := &model.Actor{Username: "alice", Host: "m1.example", IRI: id, Type: model.ActorPerson, Inbox: id + "/inbox", PublicKeyPEM: "pub"}
			if err := a.Store.UpsertRemoteActor(bg, alice); err != nil {
				t.Fatal(err)
			}
			// 60 comments a second apart; the 4th and the 58th mention
			// marmalade, and only the 4th is on the first page of 50.
			start := time.Now().UTC().Truncate(time.Second).Add(-time.Hour)
			byNumber := map[int]*model.Post{}
			for i := range 60 {
				text := fmt.Sprintf("Comment %02d", i)
				if i == 3 || i == 57 {
					text += " about marmalade"
				}
				c := &model.Post{AuthorID: alice.ID, IRI: fmt.Sprintf("%s/statuses/%d", id, i), Kind: model.KindComment, APType: "Note",
					ContentHTML: "<p>" + text + "</p>", InReplyTo: postURL, ThreadRootID: root.ID, Published: start.Add(time.Duration(i) * time.Second)}
				if err := a.Store.InsertComment(bg, a.Store.DB, c); err != nil {
					t.Fatal(err)
				}
				byNumber[i] = c
			}

			_, results := get(t, a.URL+"/search?q=marmalade&kind=comment")
			hrefs := map[string]bool{}
			for _, m := range regexp.MustCompile(`href="([^"]*#comment-\d+)"`).FindAllStringSubmatch(results, -1) {
				hrefs[html.UnescapeString(m[1])] = true
			}
			early, late := byNumber[3], byNumber[57]
			if want := fmt.Sprintf("%s#comment-%d", postURL, early.ID); !hrefs[want] {
				t.Errorf("the results do not link %s; they link %v:\n%s", want, hrefs, results)
			}
			var lateLink string
			for h := range hrefs {
				if strings.HasSuffix(h, fmt.Sprintf("#comment-%d", late.ID)) {
					lateLink = h
				}
			}
			if !strings.HasPrefix(lateLink, postURL+"?after=") {
				t.Fatalf("the late comment's link %q is not to a later page of %s (results link %v)", lateLink, postURL, hrefs)
			}
			for n, link := range map[int]string{3: postURL + fmt.Sprintf("#comment-%d", early.ID), 57: lateLink} {
				page, _, _ := strings.Cut(link, "#")
				_, body := get(t, page)
				anchor := fmt.Sprintf(`<article class="comment" id="comment-%d">`, byNumber[n].ID)
				i := strings.Index(body, anchor)
				if i < 0 || !strings.Contains(body[i:], fmt.Sprintf("Comment %02d about marmalade", n)) {
					t.Errorf("%s has no %s with comment %d:\n%s", page, anchor, n, body)
				}
			}
		})
	}
}
