package instance_test

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/site"
	"github.com/commonplace-social/commonplace/internal/store"
)

var navLinks = regexp.MustCompile(`(?s)<nav aria-label="Site" class="site-nav">(.*?)</nav>`)

// siteNav is what the header's navigation offers on a page.
func siteNav(t *testing.T, body string) string {
	t.Helper()
	m := navLinks.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no site navigation in:\n%s", body)
	}
	return m[1]
}

// Readers see where to read; authors also see Write and Log out; admins
// also see Admin. Each lands where it should after logging in, and Log out
// works from a reading page, which has no CSRF middleware of its own.
func TestNavigationFollowsWhoIsLoggedIn(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			inst := instancetest.Start(t, d)
			trust := inst.AddOrg(t, orgs.NewOrg{Username: "trust", Name: "The Trust"})
			addAccount(t, inst, "writer@trust.example", "author", trust)
			addAccount(t, inst, "boss@trust.example", "admin", trust)

			reader := newBrowser(t, inst.URL)
			resp, body := reader.get("/events")
			nav := siteNav(t, body)
			for _, want := range []string{`href="/"`, `href="/events"`, `href="/guidance"`} {
				if !strings.Contains(nav, want) {
					t.Errorf("reader's navigation lacks %s: %s", want, nav)
				}
			}
			for _, unwanted := range []string{"/compose", "/admin", "Log out"} {
				if strings.Contains(nav, unwanted) {
					t.Errorf("reader's navigation offers %s: %s", unwanted, nav)
				}
			}
			if !strings.Contains(body, `href="/login?next=%2Fevents"`) {
				t.Errorf("the footer's log-in link does not come back to /events")
			}
			if len(resp.Cookies()) != 0 || resp.Header.Get("Cache-Control") == "private, no-store" {
				t.Errorf("a reader got cookies %v / Cache-Control %q", resp.Cookies(), resp.Header.Get("Cache-Control"))
			}

			author := newBrowser(t, inst.URL)
			if resp, _ := author.login("writer@trust.example", testPassword); resp.Header.Get("Location") != "/compose" {
				t.Errorf("author without next lands on %q, want /compose", resp.Header.Get("Location"))
			}
			resp, body = author.get("/guidance")
			nav = siteNav(t, body)
			if !strings.Contains(nav, `href="/compose"`) || !strings.Contains(nav, "Log out") || strings.Contains(nav, `href="/admin"`) {
				t.Errorf("author's navigation: %s", nav)
			}
			if cc := resp.Header.Get("Cache-Control"); cc != "private, no-store" {
				t.Errorf("a logged-in page may be cached: Cache-Control %q", cc)
			}

			admin := newBrowser(t, inst.URL)
			if resp, _ := admin.login("boss@trust.example", testPassword); resp.Header.Get("Location") != "/admin" {
				t.Errorf("admin without next lands on %q, want /admin", resp.Header.Get("Location"))
			}
			_, body = admin.get("/")
			nav = siteNav(t, body)
			if !strings.Contains(nav, `href="/compose"`) || !strings.Contains(nav, `href="/admin"`) || !strings.Contains(nav, "Log out") {
				t.Errorf("admin's navigation: %s", nav)
			}
			// Log out with the token from the reading page's own form.
			tok := regexp.MustCompile(`action="/logout"><input type="hidden" name="csrf_token" value="([^"]+)"`).FindStringSubmatch(body)
			if tok == nil {
				t.Fatalf("no log-out form with a token on the timeline:\n%s", nav)
			}
			if resp, _ := admin.post("/logout", url.Values{"csrf_token": {tok[1]}}); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("log out from the timeline: %d", resp.StatusCode)
			}
			if _, body := admin.get("/"); strings.Contains(siteNav(t, body), "Log out") {
				t.Errorf("still logged in after logging out")
			}
			// A next given wins over the role's landing page.
			back := newBrowser(t, inst.URL)
			_, form := back.get("/login?next=%2Fevents")
			if !strings.Contains(form, `name="next" value="/events"`) {
				t.Errorf("the login form dropped next=/events")
			}
			resp, _ = back.post("/login", url.Values{"csrf_token": {back.token("/login")}, "email": {"boss@trust.example"},
				"password": {testPassword}, "next": {"/events"}})
			if loc := resp.Header.Get("Location"); loc != "/events" {
				t.Errorf("admin with next=/events lands on %q", loc)
			}
		})
	}
}

// The site's name reaches the header, titles, og:site_name, NodeInfo and
// both kinds of feed; until it is set the first organisation names it.
func TestSiteNameEverywhere(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			inst := instancetest.Start(t, d)
			inst.AddOrg(t, orgs.NewOrg{Username: "hospice", Name: "St Gemma's Hospice"})
			inst.AddOrg(t, orgs.NewOrg{Username: "trust", Name: "The Trust"})
			check := func(name, escaped string) {
				t.Helper()
				r := newBrowser(t, inst.URL)
				_, home := r.get("/")
				for _, want := range []string{"<title>" + escaped + "</title>", `<meta property="og:site_name" content="` + escaped + `">`,
					`class="brand" href="/">` + escaped + `</a>`, `<link rel="icon" href="/static/favicon.svg"`} {
					if !strings.Contains(home, want) {
						t.Errorf("home page lacks %s", want)
					}
				}
				if _, events := r.get("/events"); !strings.Contains(events, "<title>Upcoming events — "+escaped+"</title>") {
					t.Errorf("events page title does not name the site %q", name)
				}
				resp, body := r.get("/.well-known/nodeinfo")
				var links struct{ Links []struct{ Href string } }
				if err := json.Unmarshal([]byte(body), &links); err != nil || len(links.Links) != 1 || resp.StatusCode != 200 {
					t.Fatalf("nodeinfo links: %v %s", err, body)
				}
				_, body = r.get(strings.TrimPrefix(links.Links[0].Href, inst.URL))
				var ni struct{ Metadata map[string]string }
				if err := json.Unmarshal([]byte(body), &ni); err != nil || ni.Metadata["nodeName"] != name || ni.Metadata["nodeDescription"] == "" {
					t.Errorf("nodeinfo metadata %v (%v), want nodeName %q", ni.Metadata, err, name)
				}
				var feed struct {
					Title string `xml:"title"`
				}
				_, body = r.get("/feed.atom")
				if err := xml.Unmarshal([]byte(body), &feed); err != nil || feed.Title != name {
					t.Errorf("timeline feed title %q (%v), want %q", feed.Title, err, name)
				}
				_, body = r.get("/@trust/feed.atom")
				if err := xml.Unmarshal([]byte(body), &feed); err != nil || feed.Title != "The Trust — "+name {
					t.Errorf("organisation feed title %q (%v)", feed.Title, err)
				}
			}
			check("St Gemma's Hospice", "St Gemma&#39;s Hospice")
			// Set as the CLI does, from another process: the page cache
			// of this one must not hide it from NodeInfo, and a restart-free
			// page shows it once the cache lapses; the web form's own
			// change is tested in the browser journey.
			name := "Leeds Care Network"
			if err := (&site.Service{Store: inst.Store}).Update(bg, site.Changes{Name: &name}); err != nil {
				t.Fatal(err)
			}
			instancetest.Eventually(t, wait, "pages to show the new name", func() bool {
				_, home := newBrowser(t, inst.URL).get("/")
				return strings.Contains(home, "<title>Leeds Care Network</title>")
			})
			check(name, name)

			r := newBrowser(t, inst.URL)
			if resp, _ := r.get("/favicon.ico"); resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/static/favicon.svg" {
				t.Errorf("/favicon.ico: %d %s", resp.StatusCode, resp.Header.Get("Location"))
			}
			if resp, body := r.get("/static/favicon.svg"); resp.StatusCode != 200 || !strings.Contains(body, "<svg") {
				t.Errorf("favicon: %d", resp.StatusCode)
			}
			for _, p := range []struct{ path, title, want string }{
				{"/about", "About", "Leeds Care Network is where"},
				{"/privacy", "Privacy", "no cookies for readers"},
				{"/accessibility", "Accessibility", "WCAG) 2.2 at level AA"},
			} {
				resp, body := r.get(p.path)
				if resp.StatusCode != 200 || !strings.Contains(body, "<title>"+p.title+" — Leeds Care Network</title>") || !strings.Contains(body, p.want) {
					t.Errorf("%s: %d, lacks its title or %q", p.path, resp.StatusCode, p.want)
				}
				if !strings.Contains(body, `<a href="`+p.path+`">`) {
					t.Errorf("%s: the footer does not link it", p.path)
				}
			}
		})
	}
}
