package instance_test

import (
	"context"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

var csrfToken = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// submitLogin loads /login and submits its form with the fields given,
// from the loopback address from (127.0.0.1 when nil), so tests can be
// several visitors without a proxy. The answer is returned unread and not
// followed: Go's client refuses to parse a Location holding a control
// character, which is exactly the case a browser gets wrong.
func submitLogin(t *testing.T, base string, from net.IP, form url.Values) *http.Response {
	t.Helper()
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	if from != nil {
		dialer.LocalAddr = &net.TCPAddr{IP: from}
	}
	tr := &http.Transport{DialContext: dialer.DialContext, DisableKeepAlives: true}
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Jar: jar, Transport: tr, Timeout: 30 * time.Second}
	resp, err := c.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	m := csrfToken.FindStringSubmatch(readBody(t, resp))
	if m == nil {
		t.Fatal("no CSRF token on /login")
	}
	form.Set("csrf_token", m[1])
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	for _, ck := range jar.Cookies(req.URL) {
		req.AddCookie(ck)
	}
	resp, err = tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	readBody(t, resp)
	return resp
}
