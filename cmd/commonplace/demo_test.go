package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// startTestDemo runs the demo as the command does, and returns the network
// once it is ready and a stop function that cancels it and waits for the end.
func startTestDemo(t *testing.T, o demoOptions) (*demoNetwork, string, func() error) {
	t.Helper()
	if o.LogLevel == "" {
		o.LogLevel = "warn"
	}
	if o.Log == nil {
		o.Log = os.Stderr
	}
	if o.SchemaPrefix == "" {
		o.SchemaPrefix = "demo_"
	}
	ctx, cancel := context.WithCancel(context.Background())
	var out bytes.Buffer
	readyc := make(chan *demoNetwork, 1)
	done := make(chan error, 1)
	go func() { done <- demo(ctx, o, &out, func(n *demoNetwork) { readyc <- n }) }()
	stop := func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(30 * time.Second):
			t.Fatal("the demo did not stop within 30s of cancellation")
			return nil
		}
	}
	select {
	case n := <-readyc:
		return n, out.String(), stop
	case err := <-done:
		cancel()
		t.Fatalf("the demo stopped before it was ready: %v", err)
	case <-time.After(180 * time.Second):
		// Ready takes about 5 s here; four instances under the race
		// detector on a busy 2-core machine have taken over 90 s.
		stop()
		t.Fatal("the demo was not ready within 180s")
	}
	return nil, "", nil
}

func TestDemoOnSQLite(t *testing.T) {
	n, printed, stop := startTestDemo(t, demoOptions{Password: "correct horse battery"})
	checkDemo(t, n, printed)
	checkConversation(t, n)
	checkLogins(t, n)
	checkAdminLoginInBrowser(t, n)
	checkStops(t, n, stop)
}

func TestDemoOnPostgres(t *testing.T) {
	base := storetest.URL(t, store.Postgres) // skips without Postgres, fails in CI
	prefix := "demo_t" + strings.ToLower(rand.Text()[:8]) + "_"
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer db.Close()
		for _, spec := range demoOrgs {
			_, _ = db.Exec("DROP SCHEMA IF EXISTS " + prefix + spec.Username + " CASCADE")
		}
	})
	// Twice: the second run must find the schemas and start afresh.
	for range 2 {
		n, printed, stop := startTestDemo(t, demoOptions{DB: base, SchemaPrefix: prefix})
		checkDemo(t, n, printed)
		checkConversation(t, n)
		checkStops(t, n, stop)
	}
}

func TestDemoFlags(t *testing.T) {
	for _, args := range [][]string{{"extra"}, {"--dir", "x", "--db", "postgres://h/db"}, {"--port-base", "-1"}, {"--log-level", "loud"}} {
		if err := runDemo(context.Background(), args, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "usage") {
			t.Errorf("demo %q: got %v, want a usage error", args, err)
		}
	}
}

// checkDemo checks what a newcomer would: the printout, every combined
// timeline holding the others' posts, and the upcoming events everywhere.
func checkDemo(t *testing.T, n *demoNetwork, printed string) {
	t.Helper()
	ctx := context.Background()
	for _, want := range []string{"Starting 4 Commonplace instances", "Press Ctrl-C to stop.", demoEmail, demoAdminEmail, n.Password} {
		if !strings.Contains(printed, want) {
			t.Errorf("the printout lacks %q:\n%s", want, printed)
		}
	}
	if _, err := n.Nodes[0].Store.AccountByEmail(ctx, demoEmail); err != nil {
		t.Errorf("the demo login is missing on the trust's instance: %v", err)
	}
	for _, node := range n.Nodes {
		if !strings.Contains(printed, node.URL+"/") || !strings.Contains(printed, "@"+node.Org.Username+"@"+node.Domain) {
			t.Errorf("the printout lacks %s's address:\n%s", node.Org.Username, printed)
		}
		page, err := node.Store.Timeline(ctx, store.TimelineFilter{}, nil, 100)
		if err != nil {
			t.Fatal(err)
		}
		authors := map[string]bool{}
		for _, p := range page.Posts {
			if p.Author != nil {
				authors[p.Author.Username] = true
			}
		}
		for _, other := range n.Nodes {
			if !authors[other.Org.Username] {
				t.Errorf("%s's timeline has no post by %s (authors: %v)", node.Org.Username, other.Org.Username, authors)
			}
		}
		if past := get(t, node.URL+"/events/past"); !strings.Contains(past, "Tweet Meet number three") {
			t.Errorf("%s/events/past does not list the last Tweet Meet", node.URL)
		}
		events := get(t, node.URL+"/events")
		for _, want := range []string{"Next #HSCLeeds Tweet Meet", "Tech North", "Social Care Curry", "Leeds Digital Festival"} {
			if !strings.Contains(events, want) {
				t.Errorf("%s/events does not list %q", node.URL, want)
			}
		}
	}
}

// checkConversation checks that what the organisations said to one another
// arrived: on each post's own instance every reply, like and boost is
// counted and shown, and replies and boosts reached the other instances too.
func checkConversation(t *testing.T, n *demoNetwork) {
	t.Helper()
	ctx := context.Background()
	for key, want := range demoExpectedCounts() {
		p := n.published[key]
		got, err := n.node(p.Author.Username).Store.PostByID(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ReplyCount != want.ReplyCount || got.LikeCount != want.LikeCount || got.AnnounceCount != want.AnnounceCount {
			t.Errorf("%s on its own instance: %d replies, %d likes, %d boosts; want %d, %d, %d", key,
				got.ReplyCount, got.LikeCount, got.AnnounceCount, want.ReplyCount, want.LikeCount, want.AnnounceCount)
		}
	}
	sociable, trust := n.node("sociable"), n.node("leedsth")
	meetup := n.published["meetup"]
	page := get(t, sociable.Layout.Post("sociable", meetup.Token))
	for _, want := range []string{"One shared site has our vote", "St Gemma", "3 likes", "2 comments"} {
		if !strings.Contains(page, want) {
			t.Errorf("the meetup note's page lacks %q", want)
		}
	}
	// The trust's copy of the notes gets the others' replies, and its copy
	// of the toolkit the hospice's boost and the new section.
	iri := sociable.Layout.Post("sociable", meetup.Token)
	toolkit := sociable.Layout.Post("sociable", n.published["toolkit"].Token)
	err := waitFor(ctx, "replies and boosts on the trust's copies", func() (bool, error) {
		notes, err := trust.Store.PostByIRI(ctx, iri)
		if err != nil {
			return false, err
		}
		kit, err := trust.Store.PostByIRI(ctx, toolkit)
		if err != nil {
			return false, err
		}
		return notes.ReplyCount == 2 && kit.AnnounceCount == 1 && strings.Contains(kit.Source, "Photographs"), nil
	})
	if err != nil {
		t.Error(err)
	}
	if home := get(t, trust.URL+"/"); !strings.Contains(home, "2 comments") || !strings.Contains(home, "1 boost") {
		t.Error("the trust's timeline shows no comments or boosts")
	}
}

// checkLogins logs in as the printed admin and author: only the admin
// reaches /admin, as the printout says.
func checkLogins(t *testing.T, n *demoNetwork) {
	t.Helper()
	for email, status := range map[string]int{n.AdminEmail: http.StatusOK, n.Email: http.StatusForbidden} {
		b := instancetest.NewBrowser(t, n.Nodes[0].URL)
		if resp, body := b.Login(email, n.Password); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("log in as %s: %d\n%s", email, resp.StatusCode, body)
		}
		if resp, _ := b.Get("/admin"); resp.StatusCode != status {
			t.Errorf("%s opens /admin: %d, want %d", email, resp.StatusCode, status)
		}
	}
}

// checkStops cancels the demo and checks that it ends cleanly and gives
// back every port.
func checkStops(t *testing.T, n *demoNetwork, stop func() error) {
	t.Helper()
	if err := stop(); err != nil {
		t.Fatalf("the demo stopped with: %v", err)
	}
	for _, node := range n.Nodes {
		ln, err := net.Listen("tcp", node.Domain)
		if err != nil {
			t.Errorf("port %s is still held after stopping: %v", node.Domain, err)
			continue
		}
		ln.Close()
	}
}

func get(t *testing.T, u string) string {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", u, res.StatusCode, err)
	}
	return string(b)
}
