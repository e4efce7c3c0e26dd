package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/commonplace-social/commonplace/cmd/internal/loadrig"
)

// idlePassword is the benchmark account's password; the account lives only
// in the run's own database.
const idlePassword = "idle benchmark password"

// idleSeedOrgs gives a fresh database its organisations and one account.
func idleSeedOrgs(ctx context.Context, bin, db string, orgs int) error {
	for i := 1; i <= orgs; i++ {
		name := fmt.Sprintf("org%d", i)
		if _, err := loadrig.CLI(ctx, bin, db, "", "org", "add", name, "--name", "Idle organisation "+name); err != nil {
			return err
		}
	}
	_, err := loadrig.CLI(ctx, bin, db, idlePassword+"\n", "user", "add", "idle@example.org", "--org", "org1", "--role", "admin")
	return err
}

// idleSeedPosts publishes posts for each organisation, once serve has run (a
// post's id needs the domain serve records), and returns the pages to
// load: the lists, each organisation's page and each post.
func idleSeedPosts(ctx context.Context, bin, db string, orgs, posts int) ([]string, error) {
	pages := []string{"/", "/events", "/events/past", "/guidance", "/tags/meetup", "/login"}
	for i := 1; i <= orgs; i++ {
		name := fmt.Sprintf("org%d", i)
		pages = append(pages, "/@"+name)
		for j := 1; j <= posts; j++ {
			body := fmt.Sprintf("Notes from meetup %d of %s. #idle #meetup\n\nWhat we learnt about posting as an organisation.", j, name)
			out, err := loadrig.CLI(ctx, bin, db, body, "publish", "--org", name, "--kind", "note",
				"--title", fmt.Sprintf("Meetup %d", j), "--file", "-")
			if err != nil {
				return nil, err
			}
			u, err := url.Parse(out)
			if err != nil || u.Path == "" {
				return nil, fmt.Errorf("publish printed %q, not the post's URL", out)
			}
			pages = append(pages, u.Path)
		}
	}
	return pages, nil
}

// idleLoadPages requests n pages from base, cycling through pages; each must
// answer 200.
func idleLoadPages(ctx context.Context, base string, pages []string, n int) error {
	c := &http.Client{Timeout: 30 * time.Second}
	for i := range n {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+pages[i%len(pages)], nil)
		if err != nil {
			return fmt.Errorf("page request: %w", err)
		}
		resp, err := c.Do(req)
		if err != nil {
			return fmt.Errorf("GET %s: %w", req.URL.Path, err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("GET %s: %s", req.URL.RequestURI(), resp.Status)
		}
	}
	return nil
}

var idleCSRF = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// idleLogIn submits the login form and returns the status: 303 when the
// password was right, 401 when not. Each attempt costs one argon2 hash.
func idleLogIn(ctx context.Context, base, email, password string) (int, error) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return 0, fmt.Errorf("cookie jar: %w", err)
	}
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/login", nil)
	if err != nil {
		return 0, fmt.Errorf("login request: %w", err)
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, fmt.Errorf("GET /login: %w", err)
	}
	page, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return 0, fmt.Errorf("read /login: %w", err)
	}
	m := idleCSRF.FindSubmatch(page)
	if m == nil {
		return 0, fmt.Errorf("no CSRF token on /login")
	}
	form := url.Values{"email": {email}, "password": {password}, "csrf_token": {string(m[1])}}
	req, err = http.NewRequestWithContext(ctx, http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
	if err != nil {
		return 0, fmt.Errorf("login request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	resp, err = c.Do(req)
	if err != nil {
		return 0, fmt.Errorf("POST /login: %w", err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}
