package browserjourneys_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/browsertest"
	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
)

// a11yPage is one page the accessibility test visits. To check a new page,
// add a line to a11yPages; pages linked from a listed page that match none
// of the listed routes are found and checked as well.
type a11yPage struct {
	Name  string // names the screenshots and the failures
	Route string // the route(s) of web/reading.go or web/writing.go it stands for, space separated
	Path  string // what to open; {placeholders} are filled from the seeded site (a11y_site_test.go)
	Role  string // who it is for: "" (anyone), "author" or "admin"; checked in that role's session
	// LoggedInToo pages, for anyone, are checked again in the author's and
	// admin's sessions, where the page around them may differ.
	LoggedInToo bool
	// Status is the HTTP status the page answers a reader with; 0 means 200.
	Status int
	// Optional pages are added by work still being merged: skipped, with a
	// note, while the site answers 404 for them.
	Optional bool
	// Then brings the page into a state worth checking (an error shown, a
	// preview) after it loads; nil checks it as loaded.
	Then func(t *testing.T, ctx context.Context)
}

var a11yPages = []a11yPage{
	{Name: "home", Route: "/", Path: "/", LoggedInToo: true},
	{Name: "home-events-tab", Route: "/", Path: "/?kind=event"},
	{Name: "tag", Route: "/tags/{tag}", Path: "/tags/hscleeds"},
	{Name: "events", Route: "/events", Path: "/events", LoggedInToo: true}, // with the webcal subscription
	{Name: "events-past", Route: "/events/past", Path: "/events/past"},
	{Name: "guidance", Route: "/guidance", Path: "/guidance"},
	{Name: "profile", Route: "/@{username} /users/{username}", Path: "/@hscleeds", LoggedInToo: true},
	{Name: "network", Route: "/@{username} /users/{username}", Path: "/@leeds", LoggedInToo: true},
	{Name: "network-guidance-tab", Route: "/@{username} /users/{username}", Path: "/@leeds?kind=guidance"},
	{Name: "network-events", Route: "/@{username}/events", Path: "/@leeds/events"},
	{Name: "network-guidance", Route: "/@{username}/guidance", Path: "/@leeds/guidance"},
	{Name: "post-note", Route: "/users/{username}/posts/{token}", Path: "{note}", LoggedInToo: true},
	{Name: "post-guidance", Route: "/users/{username}/posts/{token}", Path: "{guidance}"},
	{Name: "post-event-with-comments", Route: "/users/{username}/posts/{token}", Path: "{event}", LoggedInToo: true}, // past, Add to calendar
	{Name: "post-upcoming-event", Route: "/users/{username}/posts/{token}", Path: "{upcoming}"},
	{Name: "post-update", Route: "/users/{username}/posts/{token}", Path: "{update}"},
	{Name: "not-found", Route: "/no-such-page", Path: "/no-such-page", Status: http.StatusNotFound},
	{Name: "about", Route: "/about", Path: "/about"},
	{Name: "privacy", Route: "/privacy", Path: "/privacy"},
	{Name: "accessibility", Route: "/accessibility", Path: "/accessibility"},
	{Name: "search", Route: "/search", Path: "/search?q=cake", LoggedInToo: true},
	{Name: "search-form", Route: "/search", Path: "/search"},
	{Name: "search-nothing", Route: "/search", Path: "/search?q=zzqxnothing&kind=guidance"},
	{Name: "search-lookup", Route: "/search", Path: "/search?q={remote}", Role: "admin"},
	{Name: "invite", Route: "/invite/{token}", Path: "/invite/{invite}"},
	{Name: "invite-expired", Route: "/invite/{token}", Path: "/invite/{expired}", Status: http.StatusGone},
	{Name: "login", Route: "/login", Path: "/login"},
	{Name: "login-error", Route: "/login", Path: "/login", Then: func(t *testing.T, ctx context.Context) {
		browsertest.Do(t, ctx, chromedp.SendKeys("#email", a11yAuthor), chromedp.SendKeys("#password", "not the password"),
			chromedp.Click(`form[action="/login"] button[type="submit"]`), chromedp.WaitVisible(".error"))
	}},
	{Name: "compose", Route: "/compose", Path: "/compose", Role: "author"},
	{Name: "compose-event", Route: "/compose", Path: "/compose?kind=event", Role: "author"},
	{Name: "compose-preview", Route: "/compose", Path: "/compose", Role: "author", Then: func(t *testing.T, ctx context.Context) {
		browsertest.Do(t, ctx, chromedp.SendKeys("#title", "A draft"), chromedp.SendKeys("#body", "Some **bold** words. #HSCLeeds"),
			chromedp.Click(`button[value="preview"]`), chromedp.WaitVisible(".preview"))
	}},
	{Name: "compose-error", Route: "/compose", Path: "/compose", Role: "author", Then: func(t *testing.T, ctx context.Context) {
		browsertest.Do(t, ctx, chromedp.Click(`button[value="publish"]`), chromedp.WaitVisible(".error-summary"))
	}},
	// A refused event lists every problem at once, each linked to its field.
	{Name: "compose-errors", Route: "/compose", Path: "/compose?kind=event", Role: "author", Then: func(t *testing.T, ctx context.Context) {
		browsertest.Do(t, ctx, chromedp.SendKeys("#online_url", "the church hall"), chromedp.SendKeys("#booking_url", "ring Gemma"),
			chromedp.Click(`button[value="publish"]`), chromedp.WaitVisible(".error-summary"))
		if n := browsertest.Get(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll(".error-summary li a").length`)); n < 3 {
			t.Errorf("a refused event with no title, text, time or valid links lists %d linked problems, want them all", n)
		}
	}},
	{Name: "compose-draft", Route: "/compose", Path: "/compose", Role: "author", Then: func(t *testing.T, ctx context.Context) {
		browsertest.Do(t, ctx, chromedp.SendKeys("#title", "Half-written notes"), chromedp.SendKeys("#body", "To finish tomorrow."),
			chromedp.Click(`button[value="save"]`), chromedp.WaitVisible(".drafts"))
		if at := browsertest.Get(t, ctx, chromedp.Evaluate[string](`location.search`)); !strings.Contains(at, "draft=") {
			t.Errorf("after saving a draft the form is at %q, not the draft's own address", at)
		}
	}},
	{Name: "compose-scheduled", Route: "/compose", Path: "/compose?scheduled={scheduled}", Role: "author"},
	{Name: "edit", Route: "/edit", Path: "/edit?post={note-url}", Role: "author"},
	{Name: "delete", Route: "/delete", Path: "/delete?post={note-url}", Role: "author"},
	{Name: "admin", Route: "/admin", Path: "/admin", Role: "admin"},
	{Name: "admin-follows", Route: "/admin/follows", Path: "/admin/follows?org=hscleeds", Role: "admin"},
	{Name: "admin-following", Route: "/admin/follows", Path: "/admin/follows?org=hscleeds&list=following", Role: "admin"},
	{Name: "admin-requests", Route: "/admin/follows", Path: "/admin/follows?org=hscleeds&list=requests", Role: "admin"},
	{Name: "admin-staff", Route: "/admin/staff", Path: "/admin/staff?org=hscleeds", Role: "admin"},
	{Name: "admin-blocks", Route: "/admin/blocks", Path: "/admin/blocks", Role: "admin"},
	{Name: "admin-site", Route: "/admin/site", Path: "/admin/site", Role: "admin"},
	{Name: "admin-networks", Route: "/admin/networks", Path: "/admin/networks", Role: "admin"},
	{Name: "admin-network", Route: "/admin/networks/{username}", Path: "/admin/networks/leeds", Role: "admin"},
	{Name: "admin-network-error", Route: "/admin/networks/{username}", Path: "/admin/networks/leeds", Role: "admin", Then: func(t *testing.T, ctx context.Context) {
		browsertest.Do(t, ctx, chromedp.SendKeys("#member", "nobody"), chromedp.Click(`button[value="add"]`), chromedp.WaitVisible(".error"))
	}},
	{Name: "admin-network-remove", Route: "/admin/networks/{username}/remove", Path: "/admin/networks/leeds/remove?member=volition", Role: "admin"},
	{Name: "admin-network-logo-saved", Route: "/admin/networks/{username}/avatar", Path: "/admin/networks/leeds", Role: "admin", Then: func(t *testing.T, ctx context.Context) {
		logo := filepath.Join(t.TempDir(), "logo.png")
		if err := os.WriteFile(logo, instancetest.PNGPicture(t, 120, 120), 0o600); err != nil {
			t.Fatal(err)
		}
		browsertest.Do(t, ctx, chromedp.SetUploadFiles("#avatar", []string{logo}),
			chromedp.Click(`form[action="/admin/networks/leeds/avatar"] button[type="submit"]`), chromedp.WaitVisible(".notice"))
	}},
	// The network's page again, now with the logo that page uploaded.
	{Name: "network-with-logo", Route: "/@{username} /users/{username}", Path: "/@leeds"},
	// After post-event-with-comments, which it changes: an admin removes a
	// comment with the button under it and sees what that did.
	{Name: "admin-comment-removed", Route: "/admin/comments", Path: "{event}", Role: "admin", Then: func(t *testing.T, ctx context.Context) {
		browsertest.Do(t, ctx, chromedp.Click(`form.remove-comment button`), chromedp.WaitVisible("#done-heading"))
	}},
}

// a11yEmptyPages are checked on a fresh instance, where the timeline,
// calendar and lists are empty and say what will appear and what to do.
var a11yEmptyPages = []a11yPage{
	{Name: "empty-home", Path: "/", LoggedInToo: true},
	{Name: "empty-events", Path: "/events"},
	{Name: "empty-guidance", Path: "/guidance"},
	{Name: "empty-profile", Path: "/@hscleeds"},
	{Name: "empty-network", Path: "/@leeds"},
	{Name: "empty-admin-network", Path: "/admin/networks/leeds", Role: "admin"},
	{Name: "empty-network-events-tab", Path: "/@leeds?kind=event"},
	{Name: "empty-compose", Path: "/compose", Role: "author"},
	{Name: "empty-admin", Path: "/admin", Role: "admin"},
	{Name: "empty-admin-follows", Path: "/admin/follows?org=hscleeds&list=following", Role: "admin"},
	{Name: "empty-admin-blocks", Path: "/admin/blocks", Role: "admin"},
}

// a11yWidths are a desktop and a phone (the iPhone 12 to 15's 390 CSS px).
var a11yWidths = []int64{1280, 390}

// Every page, as a reader and logged in as an author and an admin, at
// desktop and phone widths: no WCAG 2.2 A or AA violations by axe-core, no
// sideways scrolling, and, when COMMONPLACE_SCREENSHOTS names a directory,
// a screenshot of each for people to look at. One browser, one instance
// and one login per role serve every page: the empty states are checked
// first, then the site is filled and every page checked.
func TestAccessibilityOfEveryPage(t *testing.T) {
	browsertest.NeedAxe(t)
	browser := browsertest.New(t)
	s := startA11ySite(t)
	sessions := make([]a11ySession, 0, 3)
	for _, who := range []struct{ role, email string }{{"", ""}, {"author", a11yAuthor}, {"admin", a11yAdmin}} {
		ctx := browsertest.Session(t, browser)
		if who.email != "" {
			s.login(t, ctx, who.email)
		}
		sessions = append(sessions, a11ySession{role: who.role, ctx: ctx})
	}
	checked := map[string]bool{} // pages found by following links, checked once
	t.Run("empty", func(t *testing.T) { s.checkSessions(t, sessions, a11yEmptyPages, checked) })
	s.seed(t)
	s.checkSessions(t, sessions, a11yPages, checked)
}

// a11ySession is one role's browser tab, logged in for author and admin.
type a11ySession struct {
	role string // "", "author" or "admin", as in a11yPage.Role
	ctx  context.Context
}

// checkSessions checks the pages for each role in that role's session,
// then any same-site page they link to that the list does not cover.
func (s *a11ySite) checkSessions(t *testing.T, sessions []a11ySession, pages []a11yPage, checked map[string]bool) {
	for _, session := range sessions {
		who := session.role
		if who == "" {
			who = "reader"
		}
		t.Run(who, func(t *testing.T) {
			ctx := session.ctx
			linked := map[string]bool{}
			for _, pg := range pages {
				if pg.Role != session.role && (pg.Role != "" || !pg.LoggedInToo) {
					continue
				}
				s.checkPage(t, ctx, who, pg, linked)
			}
			// Pages the list does not name yet: found by their links.
			for found := 0; found < 20; found++ {
				path := ""
				for p := range linked {
					if !checked[p] && !covered(p) {
						path = p
						break
					}
				}
				if path == "" {
					break
				}
				checked[path] = true
				t.Logf("%s is linked but not in a11yPages; checking it anyway (add it to the list)", path)
				s.checkPage(t, ctx, who, a11yPage{Name: "linked" + strings.NewReplacer("/", "-", "?", "-", "=", "-").Replace(path), Path: path}, linked)
			}
		})
	}
}

// checkPage opens one page and checks it at each width, adding the
// same-site pages it links to to linked.
func (s *a11ySite) checkPage(t *testing.T, ctx context.Context, who string, pg a11yPage, linked map[string]bool) {
	t.Helper()
	path := s.vars.Replace(pg.Path)
	if pg.Optional || who == "reader" {
		resp, err := http.Get(s.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		want := pg.Status
		if want == 0 {
			want = http.StatusOK
		}
		switch {
		case pg.Optional && resp.StatusCode == http.StatusNotFound:
			t.Logf("%s (%s) is not served yet; not checked", pg.Name, path)
			return
		case who == "reader" && resp.StatusCode != want:
			t.Errorf("%s (%s) answered %d, want %d", pg.Name, path, resp.StatusCode, want)
		}
	}
	browsertest.Do(t, ctx, chromedp.EmulateViewport(a11yWidths[0], 800), chromedp.Navigate(s.URL+path))
	if pg.Then != nil {
		pg.Then(t, ctx)
	} else if at := browsertest.Get(t, ctx, chromedp.Evaluate[string](`location.pathname + location.search`)); at != path {
		t.Errorf("%s: opening %s as %s ended at %s", pg.Name, path, who, at)
	}
	// Screenshots cost about a second each; they are taken only when kept.
	shots := os.Getenv("COMMONPLACE_SCREENSHOTS") != ""
	for _, w := range a11yWidths {
		browsertest.Do(t, ctx, chromedp.EmulateViewport(w, 800))
		browsertest.Axe(t, ctx, fmt.Sprintf("%s (%s) as %s at %dpx", pg.Name, path, who, w))
		if !browsertest.FitsWidth(t, ctx, w) {
			t.Errorf("%s (%s) as %s scrolls sideways at %dpx", pg.Name, path, who, w)
		}
		if shots {
			browsertest.Screenshot(t, ctx, fmt.Sprintf("%s-%s-%d", who, pg.Name, w), w)
		}
	}
	for _, href := range browsertest.Get(t, ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("a[href]")].map(a => a.href)`)) {
		if p, ok := s.sitePage(href); ok {
			linked[p] = true
		}
	}
}

// sitePage turns a link into a path on this site worth opening as a page,
// leaving out other sites, files (calendars, feeds, stylesheets) and
// links within a page (the skip link).
func (s *a11ySite) sitePage(href string) (string, bool) {
	u, err := url.Parse(href)
	if err != nil || u.Scheme+"://"+u.Host != s.URL || u.Fragment != "" {
		return "", false
	}
	if strings.HasPrefix(u.Path, "/static/") || strings.HasSuffix(u.Path, ".ics") || strings.HasSuffix(u.Path, ".atom") {
		return "", false
	}
	return u.Path, true
}

// covered reports whether a path is one of the routes a11yPages stands for.
func covered(path string) bool {
	for _, pg := range a11yPages {
		for _, route := range strings.Fields(pg.Route) {
			if routePattern(route).MatchString(path) {
				return true
			}
		}
	}
	return false
}

var routeVar = regexp.MustCompile(`\\\{[^}]*\}`)

// routePattern turns a gorilla/mux route such as /users/{username} into a
// regular expression matching its paths.
func routePattern(route string) *regexp.Regexp {
	return regexp.MustCompile("^" + routeVar.ReplaceAllString(regexp.QuoteMeta(route), `[^/]+`) + "$")
}
