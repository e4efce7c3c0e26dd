package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
)

// publish --at keeps the post off the record until its time; then the
// running server publishes it and sends the Create. A time already past is
// refused with one sentence.
func TestPublishAtSchedules(t *testing.T) {
	ctx := context.Background()
	a := instancetest.Start(t, store.SQLite)
	org := a.AddOrg(t, orgs.NewOrg{Username: "hscleeds", Name: "HSC Leeds"})
	alice := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "alice"})
	if status, msg := alice.Send(t, a.URL+"/inbox", alice.Follow(a.URL+"/users/hscleeds")); status != http.StatusAccepted {
		t.Fatalf("follow: %d %s", status, msg)
	}
	instancetest.Eventually(t, wait, "the Accept", func() bool { return len(alice.Received()) == 1 })
	body := filepath.Join(t.TempDir(), "update.md")
	if err := os.WriteFile(body, []byte("Doors open at nine."), 0o600); err != nil {
		t.Fatal(err)
	}
	due := time.Now().Add(2 * time.Second).Truncate(time.Second).Add(time.Second)
	r := runCmd(ctx, nil, t, "publish", "--org", "hscleeds", "--kind", "update", "--file", body,
		"--at", due.Format(time.RFC3339), "--db", a.DBURL)
	if r.code != 0 || !strings.HasPrefix(r.out, "Scheduled for ") {
		t.Fatalf("publish --at: %+v", r)
	}
	if page, _ := a.Store.OutboxPosts(ctx, org.ID, nil, 10); len(page.Posts) != 0 || len(alice.Received()) != 1 {
		t.Fatal("published before its time")
	}
	instancetest.Eventually(t, time.Until(due)+wait, "the Create", func() bool { return len(alice.Received()) == 2 })
	if time.Now().Before(due) {
		t.Error("sent before its time")
	}
	if c := alice.Received()[1].Activity; c["type"] != "Create" {
		t.Errorf("sent %v", c)
	}

	past := runCmd(ctx, nil, t, "publish", "--org", "hscleeds", "--kind", "update", "--file", body,
		"--at", time.Now().Add(-time.Hour).Format(time.RFC3339), "--db", a.DBURL)
	if past.code == 0 || !strings.Contains(past.errOut, "already passed") {
		t.Errorf("a past --at: %+v", past)
	}
	bad := runCmd(ctx, nil, t, "publish", "--org", "hscleeds", "--kind", "update", "--file", body, "--at", "tomorrow", "--db", a.DBURL)
	if bad.code == 0 || !strings.Contains(bad.errOut, "RFC 3339") {
		t.Errorf("a bad --at: %+v", bad)
	}
}
