package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gorilla/mux"

	"github.com/commonplace-social/commonplace/internal/iri"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// Over https, a same-origin form post passes gorilla/csrf's Origin and
// Referer checks and a cross-origin one, or a plain-http Referer, fails;
// the cookies are Secure and the session cookie uses the __Host- prefix.
func TestCSRFOverHTTPS(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	s, err := New(Deps{Layout: iri.New("https://trust.example"), Store: st, Secure: true, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	r := mux.NewRouter()
	s.Register(r)

	get := httptest.NewRequest(http.MethodGet, "https://trust.example/login", nil)
	rec := httptest.NewRecorder()
	r.ServeHTTP(rec, get)
	m := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`).FindStringSubmatch(rec.Body.String())
	if rec.Code != http.StatusOK || m == nil {
		t.Fatalf("login form: %d", rec.Code)
	}
	cookies := rec.Result().Cookies()
	if len(cookies) != 1 || !cookies[0].Secure || !cookies[0].HttpOnly {
		t.Fatalf("csrf cookie = %+v", cookies)
	}
	form := url.Values{"csrf_token": {m[1]}, "email": {"a@b.example"}, "password": {"wrong password!"}}
	post := func(header, value string) int {
		req := httptest.NewRequest(http.MethodPost, "https://trust.example/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if header != "" {
			req.Header.Set(header, value)
		}
		req.AddCookie(cookies[0])
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, req)
		_, _ = io.Copy(io.Discard, rec.Body)
		return rec.Code
	}
	for _, c := range []struct {
		header, value string
		want          int
	}{
		{"Origin", "https://trust.example", http.StatusUnauthorized}, // passes CSRF, then the password is wrong
		{"Referer", "https://trust.example/login", http.StatusUnauthorized},
		{"Origin", "https://evil.example", http.StatusForbidden},
		{"Origin", "http://trust.example", http.StatusForbidden},
		{"Referer", "http://trust.example/login", http.StatusForbidden},
		{"", "", http.StatusForbidden}, // neither Origin nor Referer over https
	} {
		if got := post(c.header, c.value); got != c.want {
			t.Errorf("%s: %s → %d, want %d", c.header, c.value, got, c.want)
		}
	}
	w := &writing{Server: s}
	if w.sessionCookie() != "__Host-commonplace_session" {
		t.Errorf("session cookie name %s", w.sessionCookie())
	}
}
