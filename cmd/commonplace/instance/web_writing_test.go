package instance_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/posts"
	"github.com/commonplace-social/commonplace/internal/store"
)

const testPassword = instancetest.TestPassword

// browser is instancetest.Browser under the short names these tests use.
type browser struct{ *instancetest.Browser }

func newBrowser(t *testing.T, base string) *browser {
	return &browser{instancetest.NewBrowser(t, base)}
}

func (b *browser) get(path string) (*http.Response, string) { return b.Get(path) }

func (b *browser) post(path string, form url.Values) (*http.Response, string) {
	return b.Post(path, form)
}

func (b *browser) token(path string) string { return b.Token(path) }

func (b *browser) login(email, password string) (*http.Response, string) {
	return b.Login(email, password)
}

func readBody(t *testing.T, resp *http.Response) string { return instancetest.ReadBody(t, resp) }

func addAccount(t *testing.T, inst *instancetest.Running, email, role string, org *model.Actor) {
	t.Helper()
	instancetest.AddAccount(t, inst, email, role, org)
}

func TestLoginCookieAndGenericError(t *testing.T) {
	inst := instancetest.Start(t, store.SQLite)
	trust := inst.AddOrg(t, orgs.NewOrg{Username: "trust", Name: "The Trust"})
	addAccount(t, inst, "risk@trust.example", "author", trust)
	b := newBrowser(t, inst.URL)

	wrong, wrongBody := b.login("risk@trust.example", "not the password")
	nobody, nobodyBody := b.login("nobody@trust.example", testPassword)
	for _, c := range []struct {
		resp *http.Response
		body string
	}{{wrong, wrongBody}, {nobody, nobodyBody}} {
		if c.resp.StatusCode != http.StatusUnauthorized || !strings.Contains(c.body, "email or password is wrong") {
			t.Errorf("failed login: %d\n%s", c.resp.StatusCode, c.body)
		}
	}
	resp, body := b.login("Risk@Trust.example", testPassword)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/compose" {
		t.Fatalf("login: %d %s\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "commonplace_session" {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Path != "/" || len(cookie.Value) < 43 {
		t.Fatalf("session cookie = %+v", cookie)
	}
	if resp, _ := b.get("/compose"); resp.StatusCode != http.StatusOK {
		t.Errorf("compose after login: %d", resp.StatusCode)
	}
}

func TestLoginIsRateLimited(t *testing.T) {
	inst := instancetest.Start(t, store.SQLite)
	trust := inst.AddOrg(t, orgs.NewOrg{Username: "trust", Name: "The Trust"})
	addAccount(t, inst, "risk@trust.example", "author", trust)
	b := newBrowser(t, inst.URL)
	for i := range 5 {
		if resp, _ := b.login("risk@trust.example", "guess number "+string(rune('a'+i))); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i+1, resp.StatusCode)
		}
	}
	resp, body := b.login("risk@trust.example", testPassword)
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "Too many failed attempts") {
		t.Errorf("6th attempt: %d\n%s", resp.StatusCode, body)
	}
}

func TestWritingFormsNeedCSRFToken(t *testing.T) {
	inst := instancetest.Start(t, store.SQLite)
	trust := inst.AddOrg(t, orgs.NewOrg{Username: "trust", Name: "The Trust"})
	addAccount(t, inst, "risk@trust.example", "author", trust)
	b := newBrowser(t, inst.URL)
	if resp, _ := b.login("risk@trust.example", testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	form := url.Values{"org": {"trust"}, "kind": {"update"}, "body": {"Hello"}, "action": {"publish"}}
	if resp, _ := b.post("/compose", form); resp.StatusCode != http.StatusForbidden {
		t.Errorf("compose without token: %d", resp.StatusCode)
	}
	form.Set("csrf_token", b.token("/compose"))
	req, _ := http.NewRequest(http.MethodPost, inst.URL+"/compose", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "http://evil.example")
	if resp, err := b.Do(req); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("compose from another origin: %v %v", resp, err)
	}
	if resp, _ := b.post("/compose", form); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("compose with token, same origin: %d", resp.StatusCode)
	}
}

func TestComposeEditDeleteAndLogout(t *testing.T) {
	ctx := context.Background()
	inst := instancetest.Start(t, store.SQLite)
	trust := inst.AddOrg(t, orgs.NewOrg{Username: "trust", Name: "The Trust"})
	hospice := inst.AddOrg(t, orgs.NewOrg{Username: "hospice", Name: "The Hospice"})
	addAccount(t, inst, "risk@trust.example", "author", trust)
	b := newBrowser(t, inst.URL)
	if resp, _ := b.login("risk@trust.example", testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	event := url.Values{"csrf_token": {b.token("/compose?kind=event")}, "org": {"trust"}, "kind": {"event"},
		"title": {"Tweet Meet"}, "body": {"Bring **questions**. #HSCLeeds"}, "summary": {""}, "tags": {"TrulySocial"}, "topic": {""},
		"start": {"2013-09-10T18:30"}, "end": {"2013-09-10T20:30"}, "timezone": {"Europe/London"},
		"venue": {"Tech North"}, "address": {"Chapel Allerton, Leeds"}, "online_url": {""}, "booking_url": {"https://book.example/tm"}}

	event.Set("action", "preview")
	resp, body := b.post("/compose", event)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "<strong>questions</strong>") {
		t.Fatalf("preview: %d\n%s", resp.StatusCode, body)
	}
	if page, _ := inst.Store.OutboxPosts(ctx, trust.ID, nil, 10); len(page.Posts) != 0 {
		t.Fatalf("preview published %d posts", len(page.Posts))
	}

	event.Set("action", "publish")
	event.Set("venue", "")
	resp, body = b.post("/compose", event)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "An event needs a venue or an online link") ||
		!strings.Contains(body, `value="Tweet Meet"`) || !strings.Contains(body, `value="2013-09-10T18:30"`) {
		t.Fatalf("invalid event: %d\n%s", resp.StatusCode, body)
	}

	event.Set("venue", "Tech North")
	resp, _ = b.post("/compose", event)
	postURL := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(postURL, inst.URL+"/users/trust/posts/") {
		t.Fatalf("publish: %d %q", resp.StatusCode, postURL)
	}
	p, err := inst.Posts.Find(ctx, postURL)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2013, 9, 10, 17, 30, 0, 0, time.UTC) // 18:30 BST
	if p.Kind != model.KindEvent || p.Title != "Tweet Meet" || !p.StartTime.Equal(start) || !p.EndTime.Equal(start.Add(2*time.Hour)) ||
		p.TimeZone != "Europe/London" || p.Venue != "Tech North" || p.Address != "Chapel Allerton, Leeds" || p.BookingURL != "https://book.example/tm" {
		t.Errorf("stored event = %+v", p)
	}
	if resp, body := b.get(strings.TrimPrefix(postURL, inst.URL)); resp.StatusCode != http.StatusOK || !strings.Contains(body, "Tweet Meet") {
		t.Errorf("post page: %d", resp.StatusCode)
	}

	// Editing keeps the form's values; another organisation's post is off limits.
	if _, body := b.get("/edit?post=" + url.QueryEscape(postURL)); !strings.Contains(body, `value="2013-09-10T18:30"`) || !strings.Contains(body, "Bring **questions**") {
		t.Errorf("edit form:\n%s", body)
	}
	edit := url.Values{"csrf_token": {b.token("/edit?post=" + url.QueryEscape(postURL))}, "post": {postURL}, "action": {"publish"},
		"title": {"Tweet Meet (upstairs)"}, "body": {"Now upstairs."}, "start": {"2013-09-10T18:30"}, "end": {"2013-09-10T20:30"},
		"timezone": {"Europe/London"}, "venue": {"Tech North"}}
	if resp, body := b.post("/edit", edit); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: %d\n%s", resp.StatusCode, body)
	}
	if p, _ := inst.Posts.Find(ctx, postURL); p.Title != "Tweet Meet (upstairs)" || !p.StartTime.Equal(start) {
		t.Errorf("edited = %+v", p)
	}
	other, err := inst.Posts.Publish(ctx, hospice, posts.Draft{Kind: model.KindUpdate, Body: "Hospice news"})
	if err != nil {
		t.Fatal(err)
	}
	otherURL := inst.Layout.Post("hospice", other.Token)
	if resp, _ := b.get("/edit?post=" + url.QueryEscape(otherURL)); resp.StatusCode != http.StatusForbidden {
		t.Errorf("edit another org's post: %d", resp.StatusCode)
	}
	tok := b.token("/compose")
	if resp, _ := b.post("/edit", url.Values{"csrf_token": {tok}, "post": {otherURL}, "body": {"Hijacked"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("post an edit of another org's post: %d", resp.StatusCode)
	}
	if resp, _ := b.post("/delete", url.Values{"csrf_token": {tok}, "post": {otherURL}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("delete another org's post: %d", resp.StatusCode)
	}

	// Deleting asks first.
	if resp, body := b.get("/delete?post=" + url.QueryEscape(postURL)); resp.StatusCode != http.StatusOK || !strings.Contains(body, "cannot be undone") {
		t.Errorf("delete confirmation: %d", resp.StatusCode)
	}
	if resp, _ := b.post("/delete", url.Values{"csrf_token": {tok}, "post": {postURL}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("delete: %d", resp.StatusCode)
	}
	if p, _ := inst.Posts.Find(ctx, postURL); !p.Deleted() {
		t.Error("post not deleted")
	}

	// Logging out ends the session on the server: the old cookie stops working.
	u, _ := url.Parse(inst.URL)
	old := b.Jar().Cookies(u)
	if resp, _ := b.post("/logout", url.Values{"csrf_token": {tok}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: %d", resp.StatusCode)
	}
	replay := newBrowser(t, inst.URL)
	replay.Jar().SetCookies(u, old)
	if resp, _ := replay.get("/compose"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Errorf("old cookie after logout: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestAdminPageIsForAdmins(t *testing.T) {
	inst := instancetest.Start(t, store.SQLite)
	trust := inst.AddOrg(t, orgs.NewOrg{Username: "trust", Name: "The Trust"})
	addAccount(t, inst, "author@trust.example", "author", trust)
	addAccount(t, inst, "admin@trust.example", "admin", trust)
	author := newBrowser(t, inst.URL)
	author.login("author@trust.example", testPassword)
	if resp, _ := author.get("/admin"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("author on /admin: %d", resp.StatusCode)
	}
	admin := newBrowser(t, inst.URL)
	admin.login("admin@trust.example", testPassword)
	resp, body := admin.get("/admin")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "No follow requests are waiting") {
		t.Errorf("admin on /admin: %d\n%s", resp.StatusCode, body)
	}
	resp, body = admin.post("/admin/following", url.Values{"csrf_token": {admin.token("/admin")}, "org": {"trust"}, "handle": {"@trust@" + inst.Domain}, "action": {"follow"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "is on this instance") {
		t.Errorf("following a local org: %d\n%s", resp.StatusCode, body)
	}
}

func TestAdminRemovesCommentUnderOwnPost(t *testing.T) {
	ctx := context.Background()
	inst := instancetest.Start(t, store.SQLite)
	trust := inst.AddOrg(t, orgs.NewOrg{Username: "trust", Name: "The Trust"})
	hospice := inst.AddOrg(t, orgs.NewOrg{Username: "hospice", Name: "The Hospice"})
	addAccount(t, inst, "admin@trust.example", "admin", trust)
	addAccount(t, inst, "admin@hospice.example", "admin", hospice)
	root, err := inst.Posts.Publish(ctx, trust, posts.Draft{Kind: model.KindUpdate, Body: "Open day on Friday."})
	if err != nil {
		t.Fatal(err)
	}
	alice := &model.Actor{Username: "alice", Host: "remote.example", IRI: "https://remote.example/users/alice", Type: model.ActorPerson}
	if err := inst.Store.CreateActor(ctx, alice); err != nil {
		t.Fatal(err)
	}
	spam := &model.Post{AuthorID: alice.ID, IRI: "https://remote.example/notes/1", Kind: model.KindComment, APType: "Note",
		ContentHTML: "<p>Buy things</p>", InReplyTo: inst.Layout.Post("trust", root.Token), ThreadRootID: root.ID, Published: time.Now().UTC()}
	if err := inst.Store.InsertComment(ctx, inst.Store.DB, spam); err != nil {
		t.Fatal(err)
	}

	other := newBrowser(t, inst.URL)
	other.login("admin@hospice.example", testPassword)
	if resp, _ := other.post("/admin/comments", url.Values{"csrf_token": {other.token("/admin")}, "comment": {spam.IRI}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("another org's admin: %d", resp.StatusCode)
	}
	admin := newBrowser(t, inst.URL)
	admin.login("admin@trust.example", testPassword)
	if resp, body := admin.post("/admin/comments", url.Values{"csrf_token": {admin.token("/admin")}, "comment": {spam.IRI}}); resp.StatusCode != http.StatusOK || !strings.Contains(body, "Comment removed") {
		t.Fatalf("remove: %d\n%s", resp.StatusCode, body)
	}
	gone, err := inst.Store.PostByIRI(ctx, spam.IRI)
	if err != nil || !gone.Deleted() || gone.ContentHTML != "" {
		t.Errorf("comment after removal: %+v %v", gone, err)
	}
	if p, _ := inst.Store.PostByID(ctx, root.ID); p.ReplyCount != 0 {
		t.Errorf("reply count = %d", p.ReplyCount)
	}
}
