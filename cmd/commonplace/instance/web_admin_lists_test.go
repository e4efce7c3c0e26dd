package instance_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/posts"
	"github.com/commonplace-social/commonplace/internal/store"
)

// followsPageSize is how many rows a page of the admin's follow lists shows.
const followsPageSize = 50

var (
	regexpMore      = regexp.MustCompile(`<a href="([^"]+)" rel="next">More</a>`)
	regexpCommentID = regexp.MustCompile(`name="id" value="(\d+)"`)
)

// bothDatabases runs a test on SQLite and on PostgreSQL (skipped locally
// when PostgreSQL is not configured, as instancetest does).
func bothDatabases(t *testing.T, fn func(t *testing.T, d store.Dialect)) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) { fn(t, d) })
	}
}

// received reports whether r was delivered an activity of that type.
func received(r *instancetest.Remote, typ string) bool {
	return instancetest.Received(r, typ)
}

// replyTo has r comment on a local post and waits until it shows.
func replyTo(t *testing.T, inst *instancetest.Running, r *instancetest.Remote, postURL, text string) {
	t.Helper()
	instancetest.ReplyTo(t, inst, r, postURL, text)
}

// The follows page lists each of an organisation's four lists with a
// button per row, and each button does what it says.
func TestAdminFollowListsAndButtons(t *testing.T) {
	bothDatabases(t, func(t *testing.T, d store.Dialect) {
		a := instancetest.Start(t, d)
		org := a.AddOrg(t, orgs.NewOrg{Username: "volition", Name: "Volition", ManuallyApprovesFollowers: true})
		addAccount(t, a, "admin@volition.example", "admin", org)
		alice := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "alice"})
		carol := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "carol"})
		for _, r := range []*instancetest.Remote{alice, carol} {
			if status, msg := r.Send(t, a.URL+"/inbox", r.Follow(a.URL+"/users/volition")); status != http.StatusAccepted {
				t.Fatalf("follow: %d %s", status, msg)
			}
		}
		instancetest.Eventually(t, wait, "two pending requests", func() bool {
			p, err := a.Follows.Pending(bg, org)
			return err == nil && len(p) == 2
		})
		dave := followedRemote(t, a, org, "dave")
		erin, _ := followRemote(t, a, org, "erin")

		b := newBrowser(t, a.URL)
		if resp, body := b.login("admin@volition.example", testPassword); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("login: %d %s", resp.StatusCode, body)
		}
		// Pending incoming: both, each with Approve and Reject.
		requests := "/admin/follows?org=volition&list=requests"
		_, page := b.get(requests)
		for _, want := range []string{"Approve " + alice.Handle(), "Reject " + carol.Handle(), `aria-current="page">Requests`} {
			if !strings.Contains(page, want) {
				t.Errorf("requests list lacks %q:\n%s", want, page)
			}
		}
		decide := func(r *instancetest.Remote, decision, list string) {
			t.Helper()
			actor, err := a.Fetcher.Resolve(bg, r.ActorID)
			if err != nil {
				t.Fatal(err)
			}
			resp, body := b.post("/admin/followers", url.Values{"csrf_token": {b.token("/admin")}, "org": {"volition"}, "list": {list},
				"back": {"/admin/follows?org=volition&list=" + list}, "follower": {strconv.FormatInt(actor.ID, 10)}, "decision": {decision}})
			if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/admin/follows?org=volition&list="+list+"&done=") {
				t.Fatalf("%s: %d %s %s", decision, resp.StatusCode, resp.Header.Get("Location"), body)
			}
			if _, page := b.get(resp.Header.Get("Location")); !strings.Contains(page, `role="status"`) {
				t.Errorf("after %s no notice says what happened", decision)
			}
		}
		decide(alice, "approve", "requests")
		decide(carol, "approve", "requests")
		instancetest.Eventually(t, wait, "the Accepts", func() bool { return received(alice, "Accept") && received(carol, "Accept") })

		// Followers: both, each with Remove follower, which tells them.
		_, page = b.get("/admin/follows?org=volition&list=followers")
		if !strings.Contains(page, "Remove follower "+alice.Handle()) || !strings.Contains(page, "Remove follower "+carol.Handle()) {
			t.Errorf("followers list:\n%s", page)
		}
		decide(carol, "remove", "followers")
		instancetest.Eventually(t, wait, "carol told with a Reject", func() bool { return received(carol, "Reject") })
		if c := counts(t, a, org); c.Followers != 1 {
			t.Errorf("after removing carol: %+v", c)
		}

		// Following and sent: a button each, sending an Undo by actor id.
		unfollow := func(r *instancetest.Remote, list string) {
			t.Helper()
			_, page := b.get("/admin/follows?org=volition&list=" + list)
			if !strings.Contains(page, r.Handle()) || !strings.Contains(page, `name="action" value="unfollow"`) {
				t.Fatalf("%s list lacks %s's button:\n%s", list, r.Username, page)
			}
			actor, err := a.Fetcher.Resolve(bg, r.ActorID)
			if err != nil {
				t.Fatal(err)
			}
			resp, body := b.post("/admin/following", url.Values{"csrf_token": {b.token("/admin")}, "org": {"volition"}, "list": {list},
				"back": {"/admin/follows?org=volition&list=" + list}, "target": {strconv.FormatInt(actor.ID, 10)}, "action": {"unfollow"}})
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("unfollow %s: %d %s", r.Username, resp.StatusCode, body)
			}
			instancetest.Eventually(t, wait, r.Username+" told with an Undo", func() bool { return received(r, "Undo") })
		}
		unfollow(dave, "following")
		unfollow(erin, "sent")
		if c := counts(t, a, org); c.Following != 0 {
			t.Errorf("after unfollowing: %+v", c)
		}
		if _, page = b.get("/admin/follows?org=volition&list=sent"); strings.Contains(page, erin.Handle()) {
			t.Error("the cancelled request is still listed as sent")
		}

		// A long list pages: 51 requests make a second page of one.
		for i := range followsPageSize + 1 {
			r := &model.Actor{Username: fmt.Sprintf("u%d", i), Host: "many.example", IRI: fmt.Sprintf("https://many.example/users/u%d", i),
				Type: model.ActorPerson, Inbox: "https://many.example/inbox", PublicKeyID: fmt.Sprintf("https://many.example/users/u%d#key", i), PublicKeyPEM: "pub"}
			if err := a.Store.CreateActor(bg, r); err != nil {
				t.Fatal(err)
			}
			if err := a.Store.InsertFollow(bg, a.Store.DB, &model.Follow{FollowerID: r.ID, FolloweeID: org.ID,
				ActivityIRI: r.IRI + "/follow", State: model.FollowPending}); err != nil {
				t.Fatal(err)
			}
		}
		_, page = b.get(requests)
		if n := strings.Count(page, `value="approve"`); n != followsPageSize {
			t.Errorf("first page shows %d requests", n)
		}
		m := regexpMore.FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no link to the next page:\n%s", page)
		}
		_, page = b.get(strings.ReplaceAll(m[1], "&amp;", "&"))
		if n := strings.Count(page, `value="approve"`); n != 1 || !strings.Contains(page, "@u0@many.example") {
			t.Errorf("second page shows %d requests:\n%s", n, page)
		}
	})
}

// A post's comments carry a Remove button for the admins of its
// organisation, and only for them; it removes the comment by id and says
// what that did.
func TestAdminRemovesACommentWithItsButton(t *testing.T) {
	bothDatabases(t, func(t *testing.T, d store.Dialect) {
		a := instancetest.Start(t, d)
		org := a.AddOrg(t, orgs.NewOrg{Username: "volition", Name: "Volition"})
		other := a.AddOrg(t, orgs.NewOrg{Username: "other", Name: "Other"})
		addAccount(t, a, "admin@volition.example", "admin", org)
		addAccount(t, a, "author@volition.example", "author", org)
		addAccount(t, a, "admin@other.example", "admin", other)
		p, err := a.Posts.Publish(bg, org, posts.Draft{Kind: model.KindUpdate, Body: "Clinic hours change next week."})
		if err != nil {
			t.Fatal(err)
		}
		postURL := a.Layout.Post("volition", p.Token)
		path := strings.TrimPrefix(postURL, a.URL)
		alice := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "alice"})
		replyTo(t, a, alice, postURL, "Thanks for letting us know")

		_, anon := newBrowser(t, a.URL).get(path)
		if !strings.Contains(anon, "Thanks for letting us know") || strings.Contains(anon, "/admin/comments") {
			t.Fatalf("an anonymous reader's page:\n%s", anon)
		}
		for _, email := range []string{"author@volition.example", "admin@other.example"} {
			nb := newBrowser(t, a.URL)
			nb.login(email, testPassword)
			if _, page := nb.get(path); strings.Contains(page, "/admin/comments") {
				t.Errorf("%s is offered the Remove button", email)
			}
		}
		b := newBrowser(t, a.URL)
		b.login("admin@volition.example", testPassword)
		resp, page := b.get(path)
		if !strings.Contains(page, `action="/admin/comments"`) || !strings.Contains(page, `aria-label="Remove the comment by `+alice.Handle()) {
			t.Fatalf("the admin has no Remove button:\n%s", page)
		}
		if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "private") {
			t.Errorf("the admin's copy of the page is cacheable: %q", cc)
		}
		id := regexpCommentID.FindStringSubmatch(page)
		token := csrfToken.FindStringSubmatch(page)
		if id == nil || token == nil {
			t.Fatalf("no comment id or CSRF field in the form:\n%s", page)
		}
		// The other organisation's admin cannot remove it by posting either.
		ob := newBrowser(t, a.URL)
		ob.login("admin@other.example", testPassword)
		if resp, _ := ob.post("/admin/comments", url.Values{"csrf_token": {ob.token("/admin")}, "id": {id[1]}}); resp.StatusCode != http.StatusForbidden {
			t.Errorf("another organisation's admin removing it: %d", resp.StatusCode)
		}
		resp, body := b.post("/admin/comments", url.Values{"csrf_token": {token[1]}, "id": {id[1]}})
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Comment removed") || !strings.Contains(body, "Nothing was sent") {
			t.Fatalf("remove: %d %s", resp.StatusCode, body)
		}
		if _, page = b.get(path); strings.Contains(page, "Thanks for letting us know") {
			t.Error("the removed comment still shows")
		}
		if got, _ := a.Posts.Find(bg, postURL); got.ReplyCount != 0 {
			t.Errorf("reply count after removal = %d", got.ReplyCount)
		}
		resp, body = b.post("/admin/comments", url.Values{"csrf_token": {token[1]}, "id": {id[1]}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "removed already") {
			t.Errorf("removing it twice: %d", resp.StatusCode)
		}
	})
}

// The blocks page lists each block with its reason, its date and an
// Unblock button; only site admins reach it.
func TestAdminBlocksListed(t *testing.T) {
	a := instancetest.Start(t, store.SQLite)
	org := a.AddOrg(t, orgs.NewOrg{Username: "volition", Name: "Volition"})
	addAccount(t, a, "admin@volition.example", "admin", org)
	if _, err := a.Blocks.BlockDomain(bg, "spam.example", "sent 400 follow requests an hour"); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, a.URL)
	b.login("admin@volition.example", testPassword)
	_, page := b.get("/admin/blocks")
	for _, want := range []string{"spam.example", "sent 400 follow requests an hour", `<time datetime="`, `aria-label="Unblock spam.example"`} {
		if !strings.Contains(page, want) {
			t.Errorf("blocks page lacks %q:\n%s", want, page)
		}
	}
	resp, _ := b.post("/admin/blocks", url.Values{"csrf_token": {b.token("/admin/blocks")}, "kind": {"domain"}, "value": {"spam.example"}, "action": {"unblock"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/blocks?done=unblocked" {
		t.Fatalf("unblock: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, page = b.get("/admin/blocks?done=unblocked"); !strings.Contains(page, "Nothing is blocked") || !strings.Contains(page, "Unblocked.") {
		t.Errorf("after unblocking:\n%s", page)
	}
}
