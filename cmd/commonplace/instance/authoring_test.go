package instance_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/posts"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

var draftField = regexp.MustCompile(`name="draft" value="([^"]+)"`)

// composeTokens loads a form page and returns its CSRF and draft tokens.
func composeTokens(t *testing.T, b *browser, path string) (csrf, draft string) {
	t.Helper()
	resp, body := b.get(path)
	m := draftField.FindStringSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("GET %s: %d, no draft field:\n%s", path, resp.StatusCode, body)
	}
	return csrfOf(t, body), m[1]
}

var csrfInPage = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func csrfOf(t *testing.T, body string) string {
	t.Helper()
	m := csrfInPage.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF field in:\n%s", body)
	}
	return m[1]
}

func loggedIn(t *testing.T, inst *instancetest.Running, email string) *browser {
	t.Helper()
	b := newBrowser(t, inst.URL)
	if resp, body := b.login(email, testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login %s: %d\n%s", email, resp.StatusCode, body)
	}
	return b
}

// An author finds Edit and Delete on their own post's page; readers and
// writers for other organisations do not. Both links lead to the forms
// that check the same permission, and Delete says what federates.
func TestAuthorEditsAndDeletesFromPostPage(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			inst := instancetest.Start(t, d)
			trust := inst.AddOrg(t, orgs.NewOrg{Username: "trust", Name: "The Trust"})
			hospice := inst.AddOrg(t, orgs.NewOrg{Username: "hospice", Name: "The Hospice"})
			addAccount(t, inst, "risk@trust.example", "author", trust)
			addAccount(t, inst, "nurse@hospice.example", "admin", hospice)
			p, err := inst.Posts.Publish(bg, trust, posts.Draft{Kind: model.KindMeetupNote, Title: "Tweet Meet notes", Body: "We met."})
			if err != nil {
				t.Fatal(err)
			}
			postURL := inst.Layout.Post("trust", p.Token)
			path := strings.TrimPrefix(postURL, inst.URL)
			// The template escapes with lower-case hex; either case is the same URL.
			editLink := strings.ToLower(`href="/edit?post=` + url.QueryEscape(postURL) + `"`)
			deleteLink := strings.ToLower(`href="/delete?post=` + url.QueryEscape(postURL) + `"`)

			for name, b := range map[string]*browser{"a reader": newBrowser(t, inst.URL), "another organisation's admin": loggedIn(t, inst, "nurse@hospice.example")} {
				resp, body := b.get(path)
				if resp.StatusCode != http.StatusOK || strings.Contains(body, "/edit?post=") || strings.Contains(body, "/delete?post=") {
					t.Errorf("%s sees the post page with author controls (%d):\n%s", name, resp.StatusCode, body)
				}
			}

			author := loggedIn(t, inst, "risk@trust.example")
			resp, body := author.get(path)
			if low := strings.ToLower(body); resp.StatusCode != http.StatusOK || !strings.Contains(low, editLink) || !strings.Contains(low, deleteLink) {
				t.Fatalf("the author's post page lacks Edit and Delete (%d); want %s and %s in:\n%s", resp.StatusCode, editLink, deleteLink, body)
			}
			if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "private") {
				t.Errorf("the author's view of the page may be cached by others: Cache-Control %q", cc)
			}

			// Edit, by the link's address.
			editPath := "/edit?post=" + url.QueryEscape(postURL)
			csrf, draft := composeTokens(t, author, editPath)
			resp, body = author.post("/edit", url.Values{"csrf_token": {csrf}, "draft": {draft}, "post": {postURL}, "action": {"publish"},
				"title": {"Tweet Meet notes (corrected)"}, "body": {"We met, and ate cake."}})
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != postURL {
				t.Fatalf("edit from the post page: %d %s\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
			}
			if _, body := author.get(path); !strings.Contains(body, "Tweet Meet notes (corrected)") || !strings.Contains(body, "ate cake") {
				t.Errorf("the post page after the edit:\n%s", body)
			}

			// Delete asks first and says what happens on other servers.
			resp, body = author.get("/delete?post=" + url.QueryEscape(postURL))
			for _, want := range []string{"cannot be undone", "followers", "other servers may take a while to disappear"} {
				if resp.StatusCode != http.StatusOK || !strings.Contains(body, want) {
					t.Errorf("delete confirmation (%d) lacks %q:\n%s", resp.StatusCode, want, body)
				}
			}
			if resp, _ := author.post("/delete", url.Values{"csrf_token": {csrfOf(t, body)}, "post": {postURL}}); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("delete: %d", resp.StatusCode)
			}
			if resp, _ := newBrowser(t, inst.URL).get(path); resp.StatusCode != http.StatusGone {
				t.Errorf("the deleted post's page: %d, want 410", resp.StatusCode)
			}
		})
	}
}

// What was typed survives a session that ended before the form was sent:
// the text is kept for its account, the login leads straight back to it,
// and nobody else can open it.
func TestDraftSurvivesExpiredSession(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			inst := instancetest.Start(t, d)
			trust := inst.AddOrg(t, orgs.NewOrg{Username: "trust", Name: "The Trust"})
			addAccount(t, inst, "risk@trust.example", "author", trust)
			addAccount(t, inst, "other@trust.example", "author", trust)
			b := loggedIn(t, inst, "risk@trust.example")
			csrf, draft := composeTokens(t, b, "/compose")
			text := "Notes from the long meeting, typed over an hour."

			// The session ends on the server while the form is open.
			if _, err := inst.Store.DB.NewDelete().TableExpr("sessions").Where("1 = 1").Exec(bg); err != nil {
				t.Fatal(err)
			}
			resp, body := b.post("/compose", url.Values{"csrf_token": {csrf}, "draft": {draft}, "org": {"trust"}, "kind": {"meetup_note"},
				"title": {"The long meeting"}, "body": {text}, "action": {"publish"}})
			loc := resp.Header.Get("Location")
			if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/login?next=") {
				t.Fatalf("sending with an ended session: %d %q\n%s", resp.StatusCode, loc, body)
			}
			if page, _ := inst.Store.OutboxPosts(bg, trust.ID, nil, 10); len(page.Posts) != 0 {
				t.Fatal("a form without a session published")
			}
			next, _ := url.Parse(loc)
			back := next.Query().Get("next")
			if !strings.HasPrefix(back, "/compose?draft=") {
				t.Fatalf("login does not lead back to the draft: next=%q", back)
			}

			// Someone else logging in cannot open it.
			if resp, body := loggedIn(t, inst, "other@trust.example").get(back); resp.StatusCode != http.StatusNotFound || strings.Contains(body, text) {
				t.Errorf("another account opened the kept draft: %d", resp.StatusCode)
			}

			// Logging in again with the login form's next leads back to the text.
			resp, _ = b.post("/login", url.Values{"csrf_token": {b.token("/login")}, "email": {"risk@trust.example"}, "password": {testPassword}, "next": {back}})
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != back {
				t.Fatalf("login: %d %q, want a redirect to %q", resp.StatusCode, resp.Header.Get("Location"), back)
			}
			resp, body = b.get(back)
			if resp.StatusCode != http.StatusOK || !strings.Contains(body, text) || !strings.Contains(body, `value="The long meeting"`) ||
				!strings.Contains(body, "Nothing was sent") {
				t.Fatalf("the kept draft after logging in (%d):\n%s", resp.StatusCode, body)
			}

			// A CSRF failure with a live session keeps the text too.
			_, draft2 := composeTokens(t, b, "/compose")
			resp, _ = b.post("/compose", url.Values{"csrf_token": {"not-a-token"}, "draft": {draft2}, "org": {"trust"}, "kind": {"update"},
				"body": {"A quick update, sent from a stale tab."}, "action": {"publish"}})
			if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/compose?draft=") {
				t.Fatalf("CSRF failure: %d %q", resp.StatusCode, loc)
			} else if _, body := b.get(loc); !strings.Contains(body, "A quick update, sent from a stale tab.") {
				t.Errorf("text after a CSRF failure:\n%s", body)
			}

			// Both are listed as the account's drafts, and it publishes from one.
			_, body = b.get("/compose")
			if !strings.Contains(body, "Your drafts") || !strings.Contains(body, "The long meeting") || !strings.Contains(body, "A quick update") {
				t.Errorf("the drafts list:\n%s", body)
			}
			_, body = b.get(back)
			resp, _ = b.post("/compose", url.Values{"csrf_token": {csrfOf(t, body)}, "draft": {draftField.FindStringSubmatch(body)[1]}, "org": {"trust"},
				"kind": {"meetup_note"}, "title": {"The long meeting"}, "body": {text}, "action": {"publish"}})
			if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "/users/trust/posts/") {
				t.Fatalf("publishing the kept draft: %d %q", resp.StatusCode, resp.Header.Get("Location"))
			}
			if resp, _ := b.get(back); resp.StatusCode != http.StatusNotFound {
				t.Errorf("the draft is still there after publishing: %d", resp.StatusCode)
			}
		})
	}
}

// A draft saved with the button comes back as typed and can be discarded.
func TestSaveAndDiscardDraft(t *testing.T) {
	inst := instancetest.Start(t, store.SQLite)
	trust := inst.AddOrg(t, orgs.NewOrg{Username: "trust", Name: "The Trust"})
	addAccount(t, inst, "risk@trust.example", "author", trust)
	b := loggedIn(t, inst, "risk@trust.example")
	csrf, draft := composeTokens(t, b, "/compose")
	resp, _ := b.post("/compose", url.Values{"csrf_token": {csrf}, "draft": {draft}, "org": {"trust"}, "kind": {"event"},
		"title": {"Half-planned event"}, "start": {"not yet"}, "action": {"save"}})
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/compose?draft=") {
		t.Fatalf("save draft: %d %q", resp.StatusCode, loc)
	}
	_, body := b.get(loc)
	if !strings.Contains(body, "Draft saved") || !strings.Contains(body, `value="Half-planned event"`) || !strings.Contains(body, `value="not yet"`) {
		t.Fatalf("saved draft:\n%s", body)
	}
	name := strings.TrimPrefix(strings.Split(loc, "&")[0], "/compose?draft=")
	if resp, _ := b.post("/drafts/discard", url.Values{"csrf_token": {csrfOf(t, body)}, "draft": {name}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("discard: %d", resp.StatusCode)
	}
	if resp, _ := b.get(loc); resp.StatusCode != http.StatusNotFound {
		t.Errorf("discarded draft still opens: %d", resp.StatusCode)
	}
}

// Every problem with the form is reported at once, in a summary that links
// to the fields and beside each field, with everything typed kept; the
// preview shows the post as the post page would, title, event and tags.
func TestComposeReportsAllProblemsAndPreviewsWhole(t *testing.T) {
	inst := instancetest.Start(t, store.SQLite)
	trust := inst.AddOrg(t, orgs.NewOrg{Username: "trust", Name: "The Trust"})
	addAccount(t, inst, "risk@trust.example", "author", trust)
	b := loggedIn(t, inst, "risk@trust.example")
	csrf, draft := composeTokens(t, b, "/compose?kind=event")
	form := url.Values{"csrf_token": {csrf}, "draft": {draft}, "org": {"trust"}, "kind": {"event"}, "title": {""},
		"body": {"Bring questions."}, "start": {"next tuesday"}, "end": {"2030-09-10T20:30"}, "timezone": {"Europe/London"},
		"venue": {""}, "booking_url": {"book.example"}, "action": {"publish"}}
	resp, body := b.post("/compose", form)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid form: %d", resp.StatusCode)
	}
	for _, want := range []string{
		"There are 4 problems",
		`<a href="#title">A title is required for this kind of post.</a>`,
		`<a href="#start">The event&#39;s start &#34;next tuesday&#34; is not a date and time like 2026-03-26 18:30.</a>`,
		`<a href="#venue">An event needs a venue or an online link.</a>`,
		`<a href="#booking_url">The booking link &#34;book.example&#34; is not an http(s) URL.</a>`,
		`id="title-error"`, `aria-describedby="title-error"`, `aria-describedby="start-error"`, `aria-describedby="venue-error"`, `aria-describedby="booking_url-error"`,
		`value="next tuesday"`, `value="2030-09-10T20:30"`, `value="book.example"`, "Bring questions.",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the refused form lacks %s", want)
		}
	}
	if t.Failed() {
		t.Log(body)
	}

	form.Set("title", "Next #HSCLeeds Tweet Meet")
	form.Set("start", "2030-09-10T18:30")
	form.Set("venue", "Tech North")
	form.Set("address", "Chapel Allerton, Leeds")
	form.Set("booking_url", "https://book.example/tm")
	form.Set("tags", "TrulySocial")
	form.Set("action", "preview")
	resp, body = b.post("/compose", form)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("preview: %d", resp.StatusCode)
	}
	start := strings.Index(body, `id="preview-heading"`)
	end := strings.Index(body[start:], `<form method="post" action="/compose"`)
	if start < 0 || end < 0 {
		t.Fatalf("no preview before the compose form:\n%s", body)
	}
	preview := body[start : start+end]
	for _, want := range []string{"Next #HSCLeeds Tweet Meet", "Tuesday 10 September 2030, 6:30pm to 8:30pm", "Tech North, Chapel Allerton, Leeds",
		`href="https://book.example/tm"`, `<a href="/tags/hscleeds">#HSCLeeds</a>`, `<a href="/tags/trulysocial">#TrulySocial</a>`, "The Trust"} {
		if !strings.Contains(preview, want) {
			t.Errorf("the preview lacks %s:\n%s", want, preview)
		}
	}
	if page, _ := inst.Store.OutboxPosts(bg, trust.ID, nil, 10); len(page.Posts) != 0 {
		t.Fatal("preview published")
	}
}

// A post scheduled a couple of seconds ahead is invisible, here and on a
// following instance, until its time; then the queue publishes it and it
// reaches the other instance. The author sees it listed with its time, and
// a cancelled one is never published.
func TestScheduledPostAppearsOnTimeOnAnotherInstance(t *testing.T) {
	a := instancetest.Start(t, store.SQLite)
	b := instancetest.Start(t, store.Postgres)
	trust := a.AddOrg(t, orgs.NewOrg{Username: "trust", Name: "The Trust"})
	hospice := b.AddOrg(t, orgs.NewOrg{Username: "hospice", Name: "The Hospice"})
	addAccount(t, a, "risk@trust.example", "author", trust)
	target, err := b.Fetcher.Resolve(bg, "@trust@"+a.Domain)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Follows.Follow(bg, hospice, target); err != nil {
		t.Fatal(err)
	}
	instancetest.Eventually(t, wait, "B's follow of A", func() bool { return counts(t, b, hospice).Following == 1 })

	author := loggedIn(t, a, "risk@trust.example")
	london, _ := time.LoadLocation("Europe/London")
	// datetime-local has minute precision: aim at the start of a minute
	// at least three seconds away, so the post is surely scheduled, not late.
	due := time.Now().In(london).Add(3 * time.Second).Truncate(time.Minute).Add(time.Minute)
	if time.Until(due) > 63*time.Second {
		t.Fatalf("due %s is too far", due)
	}
	schedule := func(title string) {
		csrf, draft := composeTokens(t, author, "/compose")
		resp, body := author.post("/compose", url.Values{"csrf_token": {csrf}, "draft": {draft}, "org": {"trust"}, "kind": {"update"},
			"title": {""}, "body": {title}, "timezone": {"Europe/London"}, "publish_at": {due.Format("2006-01-02T15:04")}, "action": {"publish"}})
		if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "notice=scheduled") {
			t.Fatalf("schedule %q: %d %q\n%s", title, resp.StatusCode, resp.Header.Get("Location"), body)
		}
	}
	schedule("Scheduled hello from the Trust")
	schedule("This one is cancelled")

	_, body := author.get("/compose")
	if !strings.Contains(body, "Scheduled posts") || !strings.Contains(body, "Scheduled hello from the Trust") || !strings.Contains(body, due.Format("3:04pm")) {
		t.Fatalf("the compose page does not list the scheduled post with its time:\n%s", body)
	}
	scs, err := a.Posts.ScheduledOf(bg, []*model.Actor{trust})
	if err != nil || len(scs) != 2 {
		t.Fatalf("scheduled = %v, %v", scs, err)
	}
	var cancel *posts.Scheduled
	for _, sc := range scs {
		if strings.Contains(sc.Draft.Body, "cancelled") {
			cancel = sc
		}
	}
	if resp, _ := author.post("/scheduled/cancel", url.Values{"csrf_token": {csrfOf(t, body)}, "scheduled": {cancel.Token}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("cancel: %d", resp.StatusCode)
	}

	// Before its time: not on A's pages or outbox, not on B.
	if page, _ := a.Store.OutboxPosts(bg, trust.ID, nil, 10); len(page.Posts) != 0 {
		t.Fatalf("published before its time: %+v", page.Posts)
	}
	if _, body := newBrowser(t, a.URL).get("/@trust"); strings.Contains(body, "Scheduled hello") {
		t.Error("the profile shows a scheduled post early")
	}
	if len(timeline(t, b)) != 0 {
		t.Fatal("B has the post before its time")
	}

	instancetest.Eventually(t, time.Until(due)+wait, "the scheduled post on B", func() bool {
		for _, p := range timeline(t, b) {
			if strings.Contains(p.ContentHTML, "Scheduled hello from the Trust") {
				return true
			}
		}
		return false
	})
	if now := time.Now(); now.Before(due) {
		t.Errorf("published at %s, before its time %s", now, due)
	}
	page, _ := a.Store.OutboxPosts(bg, trust.ID, nil, 10)
	if len(page.Posts) != 1 || strings.Contains(page.Posts[0].ContentHTML, "cancelled") {
		t.Errorf("A's outbox after the time: %d posts", len(page.Posts))
	}
	if _, body := author.get("/compose"); strings.Contains(body, "Scheduled hello from the Trust") {
		t.Error("a published post is still listed as scheduled")
	}
}

// A scheduled post can be changed (text and time), published at once by
// clearing its time, and is not another organisation's to open.
func TestChangeScheduledPost(t *testing.T) {
	inst := instancetest.Start(t, store.SQLite)
	trust := inst.AddOrg(t, orgs.NewOrg{Username: "trust", Name: "The Trust"})
	hospice := inst.AddOrg(t, orgs.NewOrg{Username: "hospice", Name: "The Hospice"})
	addAccount(t, inst, "risk@trust.example", "author", trust)
	addAccount(t, inst, "nurse@hospice.example", "author", hospice)
	b := loggedIn(t, inst, "risk@trust.example")
	tomorrow := time.Now().UTC().Add(24 * time.Hour)
	csrf, draft := composeTokens(t, b, "/compose")
	form := url.Values{"csrf_token": {csrf}, "draft": {draft}, "org": {"trust"}, "kind": {"meetup_note"}, "title": {"Planned notes"},
		"body": {"Written ahead."}, "timezone": {"UTC"}, "publish_at": {tomorrow.Format("2006-01-02T15:04")}, "action": {"publish"}}
	if resp, body := b.post("/compose", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("schedule: %d\n%s", resp.StatusCode, body)
	}
	scs, err := inst.Posts.ScheduledOf(bg, []*model.Actor{trust})
	if err != nil || len(scs) != 1 {
		t.Fatalf("scheduled = %v, %v", scs, err)
	}
	open := "/compose?scheduled=" + scs[0].Token
	if resp, _ := loggedIn(t, inst, "nurse@hospice.example").get(open); resp.StatusCode != http.StatusForbidden {
		t.Errorf("another organisation opened the scheduled post: %d", resp.StatusCode)
	}

	later := tomorrow.Add(time.Hour)
	csrf, draft = composeTokens(t, b, open)
	_, body := b.get(open)
	if !strings.Contains(body, `value="Planned notes"`) || !strings.Contains(body, `value="`+tomorrow.Format("2006-01-02T15:04")+`"`) {
		t.Fatalf("the scheduled post's form:\n%s", body)
	}
	form.Set("csrf_token", csrf)
	form.Set("draft", draft)
	form.Set("scheduled", scs[0].Token)
	form.Set("title", "Planned notes, revised")
	form.Set("publish_at", later.Format("2006-01-02T15:04"))
	if resp, body := b.post("/compose", form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("reschedule: %d\n%s", resp.StatusCode, body)
	}
	sc, err := inst.Posts.FindScheduled(bg, scs[0].Token)
	if err != nil || sc.Draft.Title != "Planned notes, revised" || !sc.PublishAt.Equal(later.Truncate(time.Minute)) {
		t.Fatalf("rescheduled = %+v, %v", sc, err)
	}

	// No time any more: it is published now, once.
	form.Set("publish_at", "")
	resp, _ := b.post("/compose", form)
	if resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "/users/trust/posts/") {
		t.Fatalf("publish the scheduled post now: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, err := inst.Posts.FindScheduled(bg, scs[0].Token); model.ErrorCode(err) != model.ENotFound {
		t.Errorf("still scheduled after publishing: %v", err)
	}
	if page, _ := inst.Store.OutboxPosts(bg, trust.ID, nil, 10); len(page.Posts) != 1 || page.Posts[0].Title != "Planned notes, revised" {
		t.Errorf("outbox: %d posts", len(page.Posts))
	}
}
