package instance_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
)

// An admin approves a real pending follow request from the admin page, then
// blocks the follower's whole server: the follow goes, and that server's
// next delivery is refused with 403; unblocking lets it back in.
func TestAdminApprovesThenBlocksFromTheWeb(t *testing.T) {
	a := instancetest.Start(t, store.SQLite)
	charity := a.AddOrg(t, orgs.NewOrg{Username: "volition", Name: "Volition", ManuallyApprovesFollowers: true})
	addAccount(t, a, "admin@volition.example", "admin", charity)
	alice := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "alice"})
	if status, msg := alice.Send(t, a.URL+"/inbox", alice.Follow(a.URL+"/users/volition")); status != http.StatusAccepted {
		t.Fatalf("follow: %d %s", status, msg)
	}
	instancetest.Eventually(t, wait, "the pending request", func() bool {
		p, err := a.Follows.Pending(bg, charity)
		return err == nil && len(p) == 1
	})

	b := newBrowser(t, a.URL)
	if resp, body := b.login("admin@volition.example", testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d %s", resp.StatusCode, body)
	}
	_, page := b.get("/admin")
	if !strings.Contains(page, "wants to follow Volition") || !strings.Contains(page, alice.Handle()[1:]) {
		t.Fatalf("admin page does not list the request:\n%s", page)
	}
	pending, _ := a.Follows.Pending(bg, charity)
	resp, body := b.post("/admin/followers", url.Values{"csrf_token": {b.token("/admin")}, "org": {"volition"},
		"follower": {strconv.FormatInt(pending[0].FollowerID, 10)}, "decision": {"approve"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve: %d %s", resp.StatusCode, body)
	}
	instancetest.Eventually(t, wait, "the Accept to reach alice", func() bool { return len(alice.Received()) == 1 })
	if counts(t, a, charity).Followers != 1 {
		t.Fatalf("followers after approval = %+v", counts(t, a, charity))
	}

	host := strings.TrimPrefix(alice.Server.URL, "http://")
	resp, body = b.post("/admin/blocks", url.Values{"csrf_token": {b.token("/admin")}, "kind": {"domain"}, "value": {host},
		"reason": {"testing"}, "action": {"block"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("block: %d %s", resp.StatusCode, body)
	}
	if _, page = b.get("/admin/blocks"); !strings.Contains(page, "domain: <code>"+host+"</code>") || !strings.Contains(page, "testing") {
		t.Errorf("the block is not listed:\n%s", page)
	}
	if c := counts(t, a, charity); c.Followers != 0 {
		t.Errorf("the blocked server's follow remains: %+v", c)
	}
	if status, msg := alice.Send(t, a.URL+"/inbox", alice.Follow(a.URL+"/users/volition")); status != http.StatusForbidden {
		t.Errorf("a blocked server's delivery: %d %s", status, msg)
	}
	resp, _ = b.post("/admin/blocks", url.Values{"csrf_token": {b.token("/admin")}, "kind": {"domain"}, "value": {host}, "action": {"unblock"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("unblock: %d", resp.StatusCode)
	}
	if status, msg := alice.Send(t, a.URL+"/inbox", alice.Follow(a.URL+"/users/volition")); status != http.StatusAccepted {
		t.Errorf("after unblocking: %d %s", status, msg)
	}
	// Blocking our own domain is refused with a clear message, not a 500.
	resp, body = b.post("/admin/blocks", url.Values{"csrf_token": {b.token("/admin")}, "kind": {"domain"}, "value": {a.Domain}, "action": {"block"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "role=\"alert\"") {
		t.Errorf("blocking our own domain: %d", resp.StatusCode)
	}
}
