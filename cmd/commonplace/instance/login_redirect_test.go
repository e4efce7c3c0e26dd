package instance_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
)

// browserResolve resolves a Location header against base the way the URL
// Standard has browsers do it: leading and trailing C0 controls and spaces
// are stripped, tabs and newlines removed anywhere, and '\' read as '/'.
func browserResolve(t *testing.T, base, location string) *url.URL {
	t.Helper()
	loc := strings.TrimFunc(location, func(r rune) bool { return r <= ' ' })
	loc = strings.Map(func(r rune) rune {
		switch r {
		case '\t', '\n', '\r':
			return -1
		case '\\':
			return '/'
		}
		return r
	}, loc)
	b, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u, err := b.Parse(loc)
	if err != nil {
		t.Fatalf("Location %q does not parse: %v", location, err)
	}
	return u
}

// After logging in, next= may only lead to a page of this site, however a
// browser would read it.
func TestLoginRedirectStaysOnSite(t *testing.T) {
	inst := instancetest.Start(t, store.SQLite)
	trust := inst.AddOrg(t, orgs.NewOrg{Username: "trust", Name: "The Trust"})
	addAccount(t, inst, "risk@trust.example", "author", trust)
	site, err := url.Parse(inst.URL)
	if err != nil {
		t.Fatal(err)
	}
	hostile := []string{
		"/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "\t//evil.example",
		"//evil.example", "///evil.example", "/\\evil.example", "\\\\evil.example", "/\\/evil.example",
		"/x\\..\\..\\/evil.example", "/%2F/evil.example", "/%2f%2fevil.example", "/%5Cevil.example",
		"/%5c/evil.example", "/%09/evil.example", "/%252F/evil.example", "https://evil.example/",
		"http:evil.example", "javascript:alert(1)", "JaVaScRiPt:alert(1)", "\x00/evil", "/\x7f/evil.example",
		" //evil.example", "evil.example", "", "/" + strings.Repeat("a", 5000),
	}
	for _, next := range hostile {
		resp := submitLogin(t, inst.URL, nil, url.Values{"email": {"risk@trust.example"}, "password": {testPassword}, "next": {next}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Errorf("next=%q: %d", next, resp.StatusCode)
			continue
		}
		loc := resp.Header.Get("Location")
		if u := browserResolve(t, inst.URL, loc); u.Scheme != site.Scheme || u.Host != site.Host {
			t.Errorf("next=%q: Location %q leaves the site for %s://%s", next, loc, u.Scheme, u.Host)
		}
		if loc != "/compose" {
			t.Errorf("next=%q: Location %q, want the default /compose", next, loc)
		}
	}
	for _, next := range []string{"/compose?org=trust", "/users/trust/posts/1/edit", "/tags/caf%C3%A9", "/admin#follows"} {
		resp := submitLogin(t, inst.URL, nil, url.Values{"email": {"risk@trust.example"}, "password": {testPassword}, "next": {next}})
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != next {
			t.Errorf("next=%q: %d Location %q", next, resp.StatusCode, loc)
		}
	}
}
