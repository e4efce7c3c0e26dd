package instance_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/accounts"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
)

var regexpLink = regexp.MustCompile(`id="new-link" readonly value="([^"]+)"`)

// staffAction posts one action of the staff page and returns the answer.
func staffAction(b *browser, form url.Values) (*http.Response, string) {
	form.Set("csrf_token", b.token("/admin/staff?org="+form.Get("org")))
	if form.Get("back") == "" {
		form.Set("back", "/admin/staff?org="+form.Get("org"))
	}
	return b.post("/admin/staff", form)
}

// setPassword opens an invitation or reset link in a fresh browser and
// sets the password, returning the status of the answer and its body.
func setPassword(t *testing.T, base, link, password, confirm string) (int, string) {
	t.Helper()
	path := strings.TrimPrefix(link, base)
	nb := newBrowser(t, base)
	resp, body := nb.get(path)
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, body
	}
	resp, body = nb.post(path, url.Values{"csrf_token": {csrfToken.FindStringSubmatch(body)[1]}, "password": {password}, "confirm": {confirm}})
	return resp.StatusCode, body
}

func accountID(t *testing.T, inst *instancetest.Running, email string) string {
	t.Helper()
	a, err := inst.Store.AccountByEmail(bg, email)
	if err != nil {
		t.Fatal(err)
	}
	return strconv.FormatInt(a.ID, 10)
}

// Staff management: invite by link (used once, within its expiry), add
// with a password, change roles, reset (which ends the person's logins) and
// remove, never oneself nor the last admin; roles are per organisation.
func TestAdminManagesStaff(t *testing.T) {
	bothDatabases(t, func(t *testing.T, d store.Dialect) {
		a := instancetest.Start(t, d)
		org := a.AddOrg(t, orgs.NewOrg{Username: "volition", Name: "Volition"})
		other := a.AddOrg(t, orgs.NewOrg{Username: "other", Name: "Other"})
		addAccount(t, a, "admin@volition.example", "admin", org)
		addAccount(t, a, "admin@other.example", "admin", other)
		b := newBrowser(t, a.URL)
		b.login("admin@volition.example", testPassword)

		// Invite an author; the link is shown once and works once.
		resp, page := staffAction(b, url.Values{"org": {"volition"}, "action": {"invite"}, "email": {"New@Volition.example"}, "role": {"author"}, "days": {"7"}})
		m := regexpLink.FindStringSubmatch(page)
		if resp.StatusCode != http.StatusOK || m == nil || !strings.HasPrefix(m[1], a.URL+"/invite/") {
			t.Fatalf("invite: %d\n%s", resp.StatusCode, page)
		}
		link := m[1]
		if _, page = b.get("/admin/staff?org=volition"); !strings.Contains(page, "new@volition.example") || !strings.Contains(page, "Invited; the link works until") || strings.Contains(page, link) {
			t.Errorf("staff list after inviting (the link must not show again):\n%s", page)
		}
		if status, body := setPassword(t, a.URL, link, "a new long password", "a different password"); status != http.StatusUnprocessableEntity || !strings.Contains(body, "differ") {
			t.Errorf("mismatched passwords: %d", status)
		}
		if status, body := setPassword(t, a.URL, link, "a new long password", "a new long password"); status != http.StatusOK || !strings.Contains(body, "Your password is set") {
			t.Fatalf("accept: %d %s", status, body)
		}
		nb := newBrowser(t, a.URL)
		if resp, _ := nb.login("new@volition.example", "a new long password"); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("the invited author cannot log in: %d", resp.StatusCode)
		}
		if resp, _ := nb.get("/admin"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("an author on /admin: %d", resp.StatusCode)
		}
		if status, body := setPassword(t, a.URL, link, "another long password", "another long password"); status != http.StatusGone || !strings.Contains(body, "already been used") {
			t.Errorf("the link used twice: %d %s", status, body)
		}
		if status, body := setPassword(t, a.URL, a.URL+"/invite/not-a-real-token", "x", "x"); status != http.StatusNotFound || !strings.Contains(body, "not valid") {
			t.Errorf("an unknown link: %d", status)
		}
		// An expired invitation says so.
		past := &accounts.Service{Store: a.Store, Now: func() time.Time { return time.Now().Add(-8 * 24 * time.Hour) }}
		added, err := past.Invite(bg, org, "late@volition.example", "author", accounts.DefaultValidity)
		if err != nil {
			t.Fatal(err)
		}
		if status, body := setPassword(t, a.URL, a.URL+added.Link.Path(), "x", "x"); status != http.StatusGone || !strings.Contains(body, "expired") {
			t.Errorf("an expired link: %d %s", status, body)
		}

		// Add with a password; make them admin, then author again.
		resp, page = staffAction(b, url.Values{"org": {"volition"}, "action": {"add"}, "email": {"pw@volition.example"}, "password": {"chosen by the admin"}, "role": {"author"}})
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Added pw@volition.example") {
			t.Fatalf("add: %d %s", resp.StatusCode, page)
		}
		if resp, _ := newBrowser(t, a.URL).login("pw@volition.example", "chosen by the admin"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("the added account cannot log in: %d", resp.StatusCode)
		}
		pw := accountID(t, a, "pw@volition.example")
		if resp, _ := staffAction(b, url.Values{"org": {"volition"}, "action": {"role"}, "account": {pw}, "role": {"admin"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("make admin: %d", resp.StatusCode)
		}
		pb := newBrowser(t, a.URL)
		pb.login("pw@volition.example", "chosen by the admin")
		if resp, _ := pb.get("/admin/staff?org=volition"); resp.StatusCode != http.StatusOK {
			t.Errorf("the new admin on the staff page: %d", resp.StatusCode)
		}
		// An organisation's admin is no site admin, and manages no other organisation.
		if resp, _ := pb.get("/admin/blocks"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("an organisation's admin on /admin/blocks: %d", resp.StatusCode)
		}
		if resp, _ := pb.get("/admin/staff?org=other"); resp.StatusCode != http.StatusForbidden {
			t.Errorf("another organisation's staff page: %d", resp.StatusCode)
		}
		if resp, _ := staffAction(b, url.Values{"org": {"volition"}, "action": {"role"}, "account": {pw}, "role": {"author"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("make author: %d", resp.StatusCode)
		}

		// Not yourself, not the last admin.
		me := accountID(t, a, "admin@volition.example")
		if resp, body := staffAction(b, url.Values{"org": {"volition"}, "action": {"remove"}, "account": {me}}); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "cannot remove yourself") {
			t.Errorf("removing oneself: %d", resp.StatusCode)
		}
		if resp, body := staffAction(b, url.Values{"org": {"volition"}, "action": {"role"}, "account": {me}, "role": {"author"}}); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "last admin") {
			t.Errorf("demoting the last admin: %d", resp.StatusCode)
		}

		// Reset: the old password and the open session stop working; the
		// new link sets a new password.
		resp, page = staffAction(b, url.Values{"org": {"volition"}, "action": {"reset"}, "account": {pw}, "days": {"1"}})
		m = regexpLink.FindStringSubmatch(page)
		if resp.StatusCode != http.StatusOK || m == nil {
			t.Fatalf("reset: %d %s", resp.StatusCode, page)
		}
		if resp, _ := pb.get("/compose"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("the reset account's session still works: %d", resp.StatusCode)
		}
		if resp, _ := newBrowser(t, a.URL).login("pw@volition.example", "chosen by the admin"); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("the old password after a reset: %d", resp.StatusCode)
		}
		if status, body := setPassword(t, a.URL, m[1], "after the reset", "after the reset"); status != http.StatusOK {
			t.Fatalf("reset link: %d %s", status, body)
		}
		if resp, _ := newBrowser(t, a.URL).login("pw@volition.example", "after the reset"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("the new password: %d", resp.StatusCode)
		}
		// Someone who also writes for an organisation an admin does not
		// manage cannot be reset by it (unless it is a site admin, as
		// admin@volition is): the link would open that one too.
		svc := &accounts.Service{Store: a.Store}
		if _, err := svc.Invite(bg, other, "pw@volition.example", "author", accounts.DefaultValidity); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AddWithPassword(bg, org, "second@volition.example", testPassword, "admin"); err != nil {
			t.Fatal(err)
		}
		sb := newBrowser(t, a.URL)
		sb.login("second@volition.example", testPassword)
		if resp, body := staffAction(sb, url.Values{"org": {"volition"}, "action": {"reset"}, "account": {pw}, "days": {"1"}}); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "also writes for Other") {
			t.Errorf("resetting someone of another organisation: %d", resp.StatusCode)
		}

		// Remove: off this organisation; with none left the account goes.
		newID := accountID(t, a, "new@volition.example")
		if resp, _ := staffAction(b, url.Values{"org": {"volition"}, "action": {"remove"}, "account": {newID}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("remove: %d", resp.StatusCode)
		}
		if resp, _ := nb.get("/compose"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("a removed account's session still works: %d", resp.StatusCode)
		}
		if _, err := a.Store.AccountByEmail(bg, "new@volition.example"); err == nil {
			t.Error("an account with no organisation left was kept")
		}
		_, page = b.get("/admin/staff?org=volition&done=staffremove")
		if strings.Contains(page, "new@volition.example") || !strings.Contains(page, "no longer writes") {
			t.Errorf("staff page after removal:\n%s", page)
		}
	})
}
