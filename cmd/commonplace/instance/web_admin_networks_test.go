package instance_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// A site admin manages a network's members from /admin/networks/{name}:
// adds a local organisation by username and a remote one by handle (which
// the network then follows), approves and rejects organisations asking to
// join, and removes a member, each with a notice, and a refused action
// says why. Only site admins reach the page, and every form needs its
// CSRF token.
func TestAdminManagesNetworkMembers(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			// The Trust's admin manages the Trust, not the instance.
			a, n, volition, trust := networkAdminSite(t, d)
			// Two organisations elsewhere: one to add, two asking to join.
			hospice := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "hospice"})
			asker := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "asker"})
			pest := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "pest"})
			for _, r := range []*instancetest.Remote{asker, pest} {
				actor, err := a.Fetcher.Resolve(bg, r.Handle())
				if err != nil {
					t.Fatal(err)
				}
				if _, err := a.Store.AddNetworkMember(bg, a.Store.DB, n.ID, actor.ID, model.NetworkStateRequested); err != nil {
					t.Fatal(err)
				}
			}

			// Readers are sent to log in; an organisation's admin is refused.
			if resp, _ := newBrowser(t, a.URL).get("/admin/networks/leeds"); resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusFound {
				t.Errorf("a reader on the network admin page: %d", resp.StatusCode)
			}
			pb := newBrowser(t, a.URL)
			pb.login("boss@trust.example", testPassword)
			for _, path := range []string{"/admin/networks", "/admin/networks/leeds"} {
				if resp, _ := pb.get(path); resp.StatusCode != http.StatusForbidden {
					t.Errorf("an organisation's admin on %s: %d", path, resp.StatusCode)
				}
			}
			if resp, _ := pb.post("/admin/networks/leeds", url.Values{"csrf_token": {pb.token("/admin")}, "member": {"trust"}, "action": {"add"}}); resp.StatusCode != http.StatusForbidden {
				t.Errorf("an organisation's admin adding to the network: %d", resp.StatusCode)
			}
			if _, page := pb.get("/admin"); strings.Contains(page, "/admin/networks/leeds") {
				t.Error("an organisation's admin is offered the network's admin page")
			}

			b := newBrowser(t, a.URL)
			if resp, body := b.login("admin@volition.example", testPassword); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("login: %d %s", resp.StatusCode, body)
			}
			if _, page := b.get("/admin"); !strings.Contains(page, `<a href="/admin/networks/leeds">Members of Leeds Health and Care</a>`) {
				t.Errorf("/admin does not link the network:\n%s", page)
			}
			if _, page := b.get("/admin/networks"); !strings.Contains(page, `<a href="/admin/networks/leeds">Leeds Health and Care</a>`) {
				t.Errorf("/admin/networks does not list the network:\n%s", page)
			}
			_, page := b.get("/admin/networks/leeds")
			for _, want := range []string{"No members yet.", asker.Handle(), pest.Handle(), `aria-label="Approve ` + asker.Handle() + `"`,
				`aria-label="Reject ` + pest.Handle() + `"`, `<button type="submit" name="action" value="add">Add member</button>`} {
				if !strings.Contains(page, want) {
					t.Errorf("the network admin page lacks %q:\n%s", want, page)
				}
			}
			act := func(action, member string) (*http.Response, string) {
				t.Helper()
				return b.post("/admin/networks/leeds", url.Values{"csrf_token": {b.token("/admin/networks/leeds")}, "member": {member}, "action": {action}})
			}
			past := map[string]string{"add": "added", "approve": "approved", "reject": "rejected", "remove": "removed"}
			done := func(action, member, notice string) {
				t.Helper()
				resp, body := act(action, member)
				if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/networks/leeds?done="+past[action] {
					t.Fatalf("%s %s: %d %s\n%s", action, member, resp.StatusCode, resp.Header.Get("Location"), body)
				}
				if _, page := b.get(resp.Header.Get("Location")); !strings.Contains(page, notice) {
					t.Errorf("after %s %s the page does not say %q:\n%s", action, member, notice, page)
				}
			}
			done("add", "volition", "The organisation is a member now.")
			done("add", hospice.Handle(), "The organisation is a member now.")
			done("approve", asker.Handle(), "The request was approved")
			done("reject", pest.Handle(), "The request was rejected.")
			instancetest.Eventually(t, wait, "the network's Follow of the remote member", func() bool {
				for _, got := range hospice.Received() {
					if got.Activity["type"] == "Follow" && got.Activity["actor"] == a.URL+"/users/leeds" {
						return true
					}
				}
				return false
			})
			members := memberIDs(t, a, n, model.NetworkStateMember)
			if len(members) != 3 || len(memberIDs(t, a, n, model.NetworkStateRequested)) != 0 {
				t.Errorf("members after adding two and approving one: %v; requests left: %v", members, memberIDs(t, a, n, model.NetworkStateRequested))
			}
			_, page = b.get("/admin/networks/leeds")
			for _, want := range []string{`aria-label="Remove @volition@` + a.Domain + ` from the network"`, `aria-label="Remove ` + hospice.Handle() + ` from the network"`,
				`aria-label="Remove ` + asker.Handle() + ` from the network"`, "No organisation is asking to join."} {
				if !strings.Contains(page, want) {
					t.Errorf("the network admin page lacks %q:\n%s", want, page)
				}
			}
			if strings.Contains(page, pest.Handle()) {
				t.Error("a rejected request is still listed")
			}
			// The reader's page of the network lists the members now.
			if _, page := newBrowser(t, a.URL).get("/@leeds"); !strings.Contains(page, `<a href="`+a.URL+`/@volition">Volition</a>`) {
				t.Errorf("the network's page does not list Volition:\n%s", page)
			}

			done("remove", "volition", "The organisation is no longer a member.")
			if got := memberIDs(t, a, n, model.NetworkStateMember); len(got) != 2 || got[volition.ID] {
				t.Errorf("members after removing Volition: %v", got)
			}
			// A name that is nobody's is refused on the page, saying why.
			resp, body := act("add", "nobody")
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `role="alert"`) || !strings.Contains(body, "nobody") {
				t.Errorf("adding an unknown organisation: %d\n%s", resp.StatusCode, body)
			}
			resp, body = act("add", " ")
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "give the organisation") && !strings.Contains(body, "Give the organisation") {
				t.Errorf("adding nothing: %d\n%s", resp.StatusCode, body)
			}
			// Without the CSRF token nothing happens.
			if resp, _ := b.post("/admin/networks/leeds", url.Values{"member": {"trust"}, "action": {"add"}}); resp.StatusCode != http.StatusForbidden {
				t.Errorf("adding without a CSRF token: %d", resp.StatusCode)
			}
			if got := memberIDs(t, a, n, model.NetworkStateMember); got[trust.ID] {
				t.Error("the Trust was added without a CSRF token")
			}
			if resp, _ := b.get("/admin/networks/volition"); resp.StatusCode != http.StatusNotFound {
				t.Errorf("the admin page of an organisation as a network: %d", resp.StatusCode)
			}
		})
	}
}

// memberIDs are the actor ids of a network's memberships in one state.
func memberIDs(t *testing.T, a *instancetest.Running, n *model.Actor, state string) map[int64]bool {
	t.Helper()
	rows, err := a.Store.NetworkMembers(bg, n.ID, state)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[int64]bool{}
	for _, r := range rows {
		ids[r.MemberID] = true
	}
	return ids
}
