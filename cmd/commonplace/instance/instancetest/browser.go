package instancetest

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Browser is a cookie-keeping client that, like a browser, sends Origin on
// form posts and lets the test see each redirect.
type Browser struct {
	t    testing.TB
	base string
	c    *http.Client
}

// NewBrowser starts a session on the site at base.
func NewBrowser(t testing.TB, base string) *Browser {
	jar, _ := cookiejar.New(nil)
	return &Browser{t: t, base: base, c: &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// Get loads a page.
func (b *Browser) Get(path string) (*http.Response, string) {
	b.t.Helper()
	resp, err := b.c.Get(b.base + path)
	if err != nil {
		b.t.Fatal(err)
	}
	return resp, ReadBody(b.t, resp)
}

// Post submits a form.
func (b *Browser) Post(path string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.base)
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	return resp, ReadBody(b.t, resp)
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// Token loads a page with a form and returns its CSRF token.
func (b *Browser) Token(path string) string {
	b.t.Helper()
	resp, body := b.Get(path)
	m := csrfField.FindStringSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil {
		b.t.Fatalf("GET %s: %d, no CSRF field:\n%s", path, resp.StatusCode, body)
	}
	return m[1]
}

// Login signs in through the login form.
func (b *Browser) Login(email, password string) (*http.Response, string) {
	b.t.Helper()
	return b.Post("/login", url.Values{"csrf_token": {b.Token("/login")}, "email": {email}, "password": {password}})
}

// ReadBody reads and closes a response's body.
func ReadBody(t testing.TB, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Do sends a request the test built itself with the session's cookies, e.g.
// a form post claiming another Origin.
func (b *Browser) Do(req *http.Request) (*http.Response, error) { return b.c.Do(req) }

// Jar is the session's cookie jar, for tests that replay a session.
func (b *Browser) Jar() http.CookieJar { return b.c.Jar }
