package main

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
)

// publish prints the new post's URL, the running server delivers the
// Create, and edit and delete take that URL.
func TestPublishEditDeleteCommands(t *testing.T) {
	ctx := context.Background()
	a := instancetest.Start(t, store.SQLite)
	a.AddOrg(t, orgs.NewOrg{Username: "hscleeds", Name: "HSC Leeds"})
	alice := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "alice"})
	f := alice.Follow(a.URL + "/users/hscleeds")
	if status, msg := alice.Send(t, a.URL+"/inbox", f); status != http.StatusAccepted {
		t.Fatalf("follow: %d %s", status, msg)
	}
	instancetest.Eventually(t, wait, "the Accept", func() bool { return len(alice.Received()) == 1 })

	body := filepath.Join(t.TempDir(), "event.md")
	if err := os.WriteFile(body, []byte("Bring questions. #HSCLeeds"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCmd(ctx, nil, t, "publish", "--org", "hscleeds", "--kind", "event", "--title", "Tweet Meet", "--file", body,
		"--start", "2013-09-10T18:30:00+01:00", "--end", "2013-09-10T20:30:00+01:00", "--timezone", "Europe/London",
		"--venue", "Tech North", "--address", "Chapel Allerton, Leeds", "--tags", "TrulySocial", "--db", a.DBURL)
	postURL := strings.TrimSpace(r.out)
	if r.code != 0 || !strings.HasPrefix(postURL, a.URL+"/users/hscleeds/posts/") {
		t.Fatalf("publish: %+v", r)
	}
	instancetest.Eventually(t, wait, "the Create", func() bool { return len(alice.Received()) == 2 })
	create := alice.Received()[1].Activity
	obj := create["object"].(map[string]any)
	if create["type"] != "Create" || obj["id"] != postURL || obj["type"] != "Event" || obj["startTime"] != "2013-09-10T18:30:00+01:00" {
		t.Errorf("Create = %v", create)
	}

	stdin = strings.NewReader("The venue moved upstairs. #HSCLeeds")
	defer func() { stdin = os.Stdin }()
	if r := runCmd(ctx, nil, t, "edit", postURL, "--file", "-", "--db", a.DBURL); r.code != 0 {
		t.Fatalf("edit: %+v", r)
	}
	instancetest.Eventually(t, wait, "the Update", func() bool { return len(alice.Received()) == 3 })
	up := alice.Received()[2].Activity
	upObj := up["object"].(map[string]any)
	if up["type"] != "Update" || !strings.Contains(upObj["content"].(string), "upstairs") || upObj["updated"] == nil ||
		upObj["name"] != "Tweet Meet" || upObj["startTime"] != "2013-09-10T18:30:00+01:00" {
		t.Errorf("Update = %v", up)
	}

	if r := runCmd(ctx, nil, t, "delete", postURL, "--db", a.DBURL); r.code != 0 {
		t.Fatalf("delete: %+v", r)
	}
	instancetest.Eventually(t, wait, "the Delete", func() bool { return len(alice.Received()) == 4 })
	if del := alice.Received()[3].Activity; del["type"] != "Delete" {
		t.Errorf("Delete = %v", del)
	}

	for name, args := range map[string][]string{
		"no kind":        {"publish", "--org", "hscleeds", "--file", body, "--db", a.DBURL},
		"bad kind":       {"publish", "--org", "hscleeds", "--kind", "essay", "--file", body, "--db", a.DBURL},
		"no file":        {"publish", "--org", "hscleeds", "--kind", "update", "--db", a.DBURL},
		"missing file":   {"publish", "--org", "hscleeds", "--kind", "update", "--file", "/nonexistent.md", "--db", a.DBURL},
		"note, no title": {"publish", "--org", "hscleeds", "--kind", "note", "--file", body, "--db", a.DBURL},
		"bad start":      {"publish", "--org", "hscleeds", "--kind", "event", "--title", "x", "--file", body, "--start", "next tuesday", "--db", a.DBURL},
		"unknown post":   {"edit", a.URL + "/users/hscleeds/posts/nope", "--file", body, "--db", a.DBURL},
		"deleted again":  {"delete", postURL, "--db", a.DBURL},
		"bad tag":        {"publish", "--org", "hscleeds", "--kind", "update", "--file", body, "--tags", "#", "--db", a.DBURL},
	} {
		if r := runCmd(ctx, nil, t, args...); r.code == 0 || strings.Count(strings.TrimSpace(r.errOut), "\n") > 0 {
			t.Errorf("%s: exit %d, stderr %q; want a one-line error", name, r.code, r.errOut)
		}
	}
}
