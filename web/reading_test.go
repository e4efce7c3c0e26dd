package web_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/posts"
	"github.com/commonplace-social/commonplace/internal/store"
)

var bg = context.Background()

type response struct {
	status int
	header http.Header
	body   string
}

var noRedirects = &http.Client{Timeout: 10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func get(t testing.TB, url string) response {
	t.Helper()
	res, err := noRedirects.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{res.StatusCode, res.Header, string(b)}
}

// page fetches an HTML page and checks what every page must have.
func page(t *testing.T, url string, status int, title string, wants ...string) string {
	t.Helper()
	r := get(t, url)
	if r.status != status {
		t.Fatalf("GET %s = %d, want %d\n%s", url, r.status, status, r.body)
	}
	// A page's title is "Title — Site name", the home page's the site's name.
	if !strings.Contains(r.body, "<title>"+title+"</title>") && !strings.Contains(r.body, "<title>"+title+" — ") ||
		!strings.Contains(r.body, `<meta property="og:title"`) {
		t.Errorf("GET %s: no <title>%s[ — site]</title> or og:title", url, title)
	}
	for _, w := range wants {
		if !strings.Contains(r.body, w) {
			t.Errorf("GET %s lacks %q", url, w)
		}
	}
	return r.body
}

func publish(t testing.TB, inst *instancetest.Running, org *model.Actor, d posts.Draft) *model.Post {
	t.Helper()
	p, err := inst.Posts.Publish(bg, org, d)
	if err != nil {
		t.Fatalf("publish %q: %v", d.Title, err)
	}
	return p
}

func londonTime(t *testing.T, year int, mdhm string) time.Time {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	v, err := time.ParseInLocation("2006-01-02 15:04", fmt.Sprintf("%d-%s", year, mdhm), loc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// network starts an instance with one organisation and a post of each kind:
// an upcoming event next September at 18:30 London time and a past one.
type network struct {
	inst                  *instancetest.Running
	org                   *model.Actor
	note, guide, ev, past *model.Post
	update                *model.Post
	nextYear              int
}

func startNetwork(t *testing.T) network {
	n := network{inst: instancetest.Start(t, store.SQLite), nextYear: time.Now().Year() + 1}
	n.org = n.inst.AddOrg(t, orgs.NewOrg{Username: "hscleeds", Name: "The Sociable Organisation", Summary: "A network of health and social care people."})
	n.note = publish(t, n.inst, n.org, posts.Draft{Kind: model.KindMeetupNote, Title: "Notes from the third Tweet Meet",
		Body: "Three cakes and a growing agenda. #HSCLeeds"})
	n.guide = publish(t, n.inst, n.org, posts.Draft{Kind: model.KindGuidance, Title: "Social media toolkit for staff",
		Topic: "Social media toolkit", Body: "Think about patient confidentiality first. #HSCLeeds"})
	publish(t, n.inst, n.org, posts.Draft{Kind: model.KindGuidance, Title: "Untopicked advice", Body: "Be kind."})
	start := londonTime(t, n.nextYear, "09-15 18:30")
	n.ev = publish(t, n.inst, n.org, posts.Draft{Kind: model.KindEvent, Title: "Next Tweet Meet", Body: "Bring questions.",
		Tags:  []string{"TrulySocial"},
		Event: model.Event{StartTime: start, EndTime: start.Add(2 * time.Hour), TimeZone: "Europe/London", Venue: "Tech North", Address: "Chapel Allerton, Leeds"}})
	old := londonTime(t, 2013, "09-10 18:30")
	n.past = publish(t, n.inst, n.org, posts.Draft{Kind: model.KindEvent, Title: "The first Tweet Meet", Body: "Cake.",
		Event: model.Event{StartTime: old, EndTime: old.Add(2 * time.Hour), TimeZone: "Europe/London", Venue: "Old Hall"}})
	n.update = publish(t, n.inst, n.org, posts.Draft{Kind: model.KindUpdate, Body: "The Social Care Curry is on 5 September. #TrulySocial"})
	return n
}

func TestHomeTimelineAndFilters(t *testing.T) {
	n := startNetwork(t)
	u := n.inst.URL
	body := page(t, u+"/", 200, n.org.Name,
		"Notes from the third Tweet Meet", "Social media toolkit for staff", "Next Tweet Meet", "Social Care Curry",
		`href="`+u+`/@hscleeds"`, "@hscleeds@"+n.inst.Domain, `<a href="/" aria-current="page">All</a>`,
		`href="/tags/trulysocial">#TrulySocial</a>`, `rel="alternate" type="application/atom+xml"`, "0 likes · 0 boosts · 0 comments")
	if strings.Contains(body, "Older posts") {
		t.Error("a single page offers older posts")
	}
	body = page(t, u+"/?kind=event", 200, "Events", "Next Tweet Meet", "Tech North",
		`<a href="/?kind=event" aria-current="page">Events</a>`)
	if strings.Contains(body, "Notes from the third") || strings.Contains(body, "Social Care Curry") {
		t.Error("kind=event shows other kinds")
	}
	page(t, u+"/?kind=poem", 400, "Bad request")
	page(t, u+"/?before=yesterday", 400, "Bad request")

	body = page(t, u+"/tags/trulysocial", 200, "Posts tagged #TrulySocial", "Next Tweet Meet", "Social Care Curry")
	if strings.Contains(body, "Notes from the third") {
		t.Error("tag page shows untagged posts")
	}
	page(t, u+"/tags/nobodyusesthis", 200, "Posts tagged #nobodyusesthis", "No posts")
	if r := get(t, u+"/tags/TrulySocial"); r.status != http.StatusMovedPermanently || r.header.Get("Location") != "/tags/trulysocial" {
		t.Errorf("mixed-case tag: %d to %q", r.status, r.header.Get("Location"))
	}
}

// Pages follow keyset cursors, so a post published between fetching page 1
// and page 2 neither repeats nor hides an older post.
func TestTimelinePaginationWhilePostsArrive(t *testing.T) {
	inst := instancetest.Start(t, store.SQLite)
	org := inst.AddOrg(t, orgs.NewOrg{Username: "trust", Name: "The Trust"})
	for i := range 25 {
		publish(t, inst, org, posts.Draft{Kind: model.KindUpdate, Body: fmt.Sprintf("Update number %02d.", i)})
	}
	number := regexp.MustCompile(`Update number (\d\d)`)
	older := regexp.MustCompile(`<a href="([^"]+)" rel="next">Older posts</a>`)

	p1 := page(t, inst.URL+"/", 200, org.Name)
	publish(t, inst, org, posts.Draft{Kind: model.KindUpdate, Body: "Update number 99."})
	m := older.FindStringSubmatch(p1)
	if m == nil {
		t.Fatal("page 1 has no Older posts link")
	}
	p2 := page(t, inst.URL+strings.ReplaceAll(m[1], "&amp;", "&"), 200, org.Name)
	if older.MatchString(p2) {
		t.Error("page 2 offers a third page")
	}
	seen := map[string]int{}
	var order []string
	for _, body := range []string{p1, p2} {
		for _, mm := range number.FindAllStringSubmatch(body, -1) {
			seen[mm[1]]++
			order = append(order, mm[1])
		}
	}
	if len(seen) != 25 || seen["99"] != 0 {
		t.Errorf("pages showed %d distinct posts (%v), want the 25 older ones once each", len(seen), order)
	}
	for k, c := range seen {
		if c != 1 {
			t.Errorf("post %s shown %d times", k, c)
		}
	}
	if order[0] != "24" || order[len(order)-1] != "00" {
		t.Errorf("order = %v, want newest first", order)
	}
	// The kind filter survives into the older link.
	p1 = page(t, inst.URL+"/?kind=update", 200, "Updates")
	if m := older.FindStringSubmatch(p1); m == nil || !strings.Contains(m[1], "kind=update") {
		t.Errorf("older link under a filter = %v", m)
	}
}

func TestOrganisationPage(t *testing.T) {
	n := startNetwork(t)
	for _, path := range []string{"/@hscleeds", "/users/hscleeds"} {
		page(t, n.inst.URL+path, 200, "The Sociable Organisation (@hscleeds@"+n.inst.Domain+")",
			"A network of health and social care people.", "<dt>Followers</dt><dd>0</dd>", "<dt>Following</dt><dd>0</dd>",
			`value="@hscleeds@`+n.inst.Domain+`"`, "Notes from the third Tweet Meet", "Next Tweet Meet",
			`type="application/atom+xml"`, n.inst.URL+"/@hscleeds/feed.atom")
	}
	page(t, n.inst.URL+"/@nobody", 404, "Not found")
}

func TestEventsPages(t *testing.T) {
	n := startNetwork(t)
	u := n.inst.URL
	body := page(t, u+"/events", 200, "Upcoming events", fmt.Sprintf("September %d", n.nextYear), "Next Tweet Meet",
		"6:30pm", "Tech North, Chapel Allerton, Leeds", u+"/users/hscleeds/posts/"+n.ev.Token+"/event.ics", "/events.ics")
	if strings.Contains(body, "The first Tweet Meet") {
		t.Error("a past event is listed as upcoming")
	}
	body = page(t, u+"/events/past", 200, "Past events", "September 2013", "The first Tweet Meet", "Old Hall")
	if strings.Contains(body, "Next Tweet Meet") {
		t.Error("an upcoming event is in the archive")
	}

	for _, path := range []string{"/users/hscleeds/posts/" + n.ev.Token + "/event.ics", "/events.ics"} {
		r := get(t, u+path)
		if r.status != 200 || r.header.Get("Content-Type") != "text/calendar; charset=utf-8" {
			t.Fatalf("GET %s = %d %s", path, r.status, r.header.Get("Content-Type"))
		}
		text := strings.ReplaceAll(r.body, "\r\n ", "") // unfold
		for _, line := range []string{"BEGIN:VCALENDAR", "BEGIN:VEVENT", "DTSTART:" + n.ev.StartTime.UTC().Format("20060102T150405Z"),
			"SUMMARY:Next Tweet Meet", `LOCATION:Tech North\, Chapel Allerton\, Leeds`, "UID:" + u + "/users/hscleeds/posts/" + n.ev.Token} {
			if !strings.Contains(text, line+"\r\n") {
				t.Errorf("%s lacks line %q:\n%s", path, line, r.body)
			}
		}
		cal, err := ics.ParseCalendar(strings.NewReader(r.body))
		if err != nil || len(cal.Events()) != 1 {
			t.Errorf("%s: parse: %v, %d events", path, err, len(cal.Events()))
		}
	}
	if r := get(t, u+"/users/hscleeds/posts/"+n.past.Token+"/event.ics"); r.status != 200 {
		t.Errorf("a past event's .ics = %d", r.status)
	}
	// The numbered addresses earlier versions gave still lead to the file.
	if r := get(t, fmt.Sprintf("%s/events/%d.ics", u, n.ev.ID)); r.status != http.StatusMovedPermanently ||
		r.header.Get("Location") != u+"/users/hscleeds/posts/"+n.ev.Token+"/event.ics" {
		t.Errorf("numbered .ics = %d to %q, want a permanent redirect to the post's", r.status, r.header.Get("Location"))
	}
	for _, id := range []int64{n.note.ID, 999999} {
		if r := get(t, fmt.Sprintf("%s/events/%d.ics", u, id)); r.status != 404 {
			t.Errorf(".ics of %d = %d, want 404", id, r.status)
		}
	}
	for _, path := range []string{"/users/hscleeds/posts/" + n.note.Token + "/event.ics", "/users/someone/posts/" + n.ev.Token + "/event.ics",
		"/users/hscleeds/posts/nope/event.ics", "/events/remote.ics?id=" + u + "/users/hscleeds/posts/" + n.ev.Token, "/events/remote.ics"} {
		if r := get(t, u+path); r.status != 404 {
			t.Errorf("GET %s = %d, want 404", path, r.status)
		}
	}
}

func TestGuidanceLibrary(t *testing.T) {
	n := startNetwork(t)
	body := page(t, n.inst.URL+"/guidance", 200, "Guidance library", "<h2", ">Social media toolkit</h2>",
		"Social media toolkit for staff", ">Other</h2>", "Untopicked advice", "Last updated", "The Sociable Organisation")
	if strings.Index(body, ">Other</h2>") < strings.Index(body, ">Social media toolkit</h2>") {
		t.Error("Other comes before a named topic")
	}
	if strings.Contains(body, "Next Tweet Meet") {
		t.Error("an event is in the guidance library")
	}
}

type atomFeed struct {
	Title   string `xml:"title"`
	Entries []struct {
		ID        string `xml:"id"`
		Title     string `xml:"title"`
		Published string `xml:"published"`
		Updated   string `xml:"updated"`
		Content   string `xml:"content"`
		Author    struct {
			Name string `xml:"name"`
		} `xml:"author"`
		Link struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
	} `xml:"entry"`
}

func TestAtomFeeds(t *testing.T) {
	n := startNetwork(t)
	for _, path := range []string{"/feed.atom", "/@hscleeds/feed.atom"} {
		r := get(t, n.inst.URL+path)
		if r.status != 200 || r.header.Get("Content-Type") != "application/atom+xml; charset=utf-8" {
			t.Fatalf("GET %s = %d %s", path, r.status, r.header.Get("Content-Type"))
		}
		var f atomFeed
		if err := xml.Unmarshal([]byte(r.body), &f); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if len(f.Entries) != 6 {
			t.Fatalf("%s has %d entries, want 6", path, len(f.Entries))
		}
		e := f.Entries[0] // the update, newest
		if e.ID != n.inst.URL+"/users/hscleeds/posts/"+n.update.Token || e.Link.Href != e.ID ||
			!strings.Contains(e.Title, "Social Care Curry") || !strings.Contains(e.Content, "Social Care Curry") ||
			e.Published == "" || e.Updated == "" || e.Author.Name != "The Sociable Organisation" {
			t.Errorf("%s first entry = %+v", path, e)
		}
	}
	if r := get(t, n.inst.URL+"/@nobody/feed.atom"); r.status != 404 {
		t.Errorf("feed of unknown org = %d", r.status)
	}
}

// The upcoming events page shows a page at a time, soonest first, and its
// "Later events" link carries on from the last one shown, missing none and
// repeating none; the calendar feed still has them all.
func TestUpcomingEventsArePaged(t *testing.T) {
	n := startNetwork(t)
	start := londonTime(t, n.nextYear+1, "01-05 18:30")
	const extra = 30
	for i := range extra {
		at := start.Add(time.Duration(i) * 24 * time.Hour)
		publish(t, n.inst, n.org, posts.Draft{Kind: model.KindEvent, Title: fmt.Sprintf("Drop-in number %02d", i), Body: "Tea.",
			Event: model.Event{StartTime: at, EndTime: at.Add(time.Hour), TimeZone: "Europe/London", Venue: "Library"}})
	}
	seen := map[string]int{}
	next, pages := "/events", 0
	for next != "" {
		body := page(t, n.inst.URL+next, 200, "Upcoming events")
		pages++
		for i := range extra {
			if strings.Contains(body, fmt.Sprintf("Drop-in number %02d", i)) {
				seen[fmt.Sprintf("%02d", i)]++
			}
		}
		if pages == 1 && !strings.Contains(body, "Next Tweet Meet") {
			t.Error("the soonest event is not on the first page")
		}
		next = ""
		if _, rest, ok := strings.Cut(body, `<a href="/events?after=`); ok {
			href, _, _ := strings.Cut(rest, `"`)
			next = "/events?after=" + strings.ReplaceAll(href, "&amp;", "&")
		}
		if pages > 5 {
			t.Fatal("the later links do not end")
		}
	}
	if pages != 2 {
		t.Errorf("31 events came on %d pages, want 2 of at most 20", pages)
	}
	for i := range extra {
		if k := fmt.Sprintf("%02d", i); seen[k] != 1 {
			t.Errorf("drop-in %s shown %d times across the pages, want once", k, seen[k])
		}
	}
	if r := get(t, n.inst.URL+"/events?after=not-a-cursor"); r.status != 400 {
		t.Errorf("a made-up cursor = %d, want 400", r.status)
	}
	cal := get(t, n.inst.URL+"/events.ics")
	if got := strings.Count(cal.body, "BEGIN:VEVENT"); got != extra+1 {
		t.Errorf("the calendar feed has %d events, want %d", got, extra+1)
	}
}
