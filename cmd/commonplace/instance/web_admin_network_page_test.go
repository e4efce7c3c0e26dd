package instance_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/media"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/network"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// networkAdminSite is an instance with Volition, The Trust and the
// network "leeds", which has no members yet; admin@volition.example is a
// site admin, and boss@trust.example an admin of The Trust only.
func networkAdminSite(t *testing.T, d store.Dialect) (a *instancetest.Running, n, volition, trust *model.Actor) {
	t.Helper()
	a = instancetest.Start(t, d)
	volition = a.AddOrg(t, orgs.NewOrg{Username: "volition", Name: "Volition"})
	trust = a.AddOrg(t, orgs.NewOrg{Username: "trust", Name: "The Trust"})
	n, err := a.Networks.Create(bg, network.NewNetwork{Username: "leeds", Name: "Leeds Health and Care"})
	if err != nil {
		t.Fatal(err)
	}
	addAccount(t, a, "admin@volition.example", "admin", volition)
	addAccount(t, a, "boss@trust.example", "author", trust)
	boss, err := a.Store.AccountByEmail(bg, "boss@trust.example")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Store.PutMembership(bg, a.Store.DB, boss.ID, trust.ID, store.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	return a, n, volition, trust
}

// withVolition is networkAdminSite with Volition a member of the network.
func withVolition(t *testing.T, d store.Dialect) (*instancetest.Running, *model.Actor, *model.Actor) {
	t.Helper()
	a, n, volition, _ := networkAdminSite(t, d)
	if _, err := a.Networks.AddMember(bg, n, "volition"); err != nil {
		t.Fatal(err)
	}
	return a, n, volition
}

// The admin tab bar offers site admins a Networks tab, marked current on
// the networks pages and not elsewhere; an organisation's admin, who
// cannot manage networks, is not offered it.
func TestAdminTabsOfferNetworks(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			a, _, _ := withVolition(t, d)
			admin := loggedIn(t, a, "admin@volition.example")
			current := `<a href="/admin/networks" aria-current="page">Networks</a>`
			plain := `<a href="/admin/networks">Networks</a>`
			for path, want := range map[string]string{"/admin/networks": current, "/admin/networks/leeds": current,
				"/admin": plain, "/admin/blocks": plain, "/admin/staff": plain} {
				resp, page := admin.get(path)
				if resp.StatusCode != http.StatusOK || !strings.Contains(page, want) {
					t.Errorf("%s (%d) lacks the tab %s:\n%s", path, resp.StatusCode, want, page)
				}
				_, tabs, _ := strings.Cut(page, `<nav class="tabs" aria-label="Admin">`)
				tabs, _, _ = strings.Cut(tabs, "</nav>")
				if n := strings.Count(tabs, `aria-current="page"`); n != 1 {
					t.Errorf("%s marks %d admin tabs current, want one:\n%s", path, n, tabs)
				}
			}
			if _, page := loggedIn(t, a, "boss@trust.example").get("/admin"); strings.Contains(page, `href="/admin/networks"`) {
				t.Errorf("an organisation's admin is offered the Networks tab:\n%s", page)
			}
		})
	}
}

// Remove on the network admin page is a link to a page that asks
// "Remove X from N?"; opening it changes nothing, its form (with CSRF)
// removes the member, and a name that is no member's is not found.
func TestAdminConfirmsNetworkMemberRemoval(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			a, n, volition := withVolition(t, d)
			admin := loggedIn(t, a, "admin@volition.example")
			_, page := admin.get("/admin/networks/leeds")
			link := `<a class="remove" href="/admin/networks/leeds/remove?member=volition" aria-label="Remove @volition@` + a.Domain + ` from the network">Remove</a>`
			if !strings.Contains(page, link) {
				t.Fatalf("the admin page lacks %s:\n%s", link, page)
			}
			resp, confirm := admin.get("/admin/networks/leeds/remove?member=volition")
			for _, want := range []string{"<title>Remove Volition from Leeds Health and Care?", `<h1 id="remove-heading">Remove Volition from Leeds Health and Care?</h1>`,
				`<form method="post" action="/admin/networks/leeds">`, `name="csrf_token"`, `<input type="hidden" name="member" value="volition">`,
				`<button type="submit" name="action" value="remove">Remove Volition</button>`, `<a href="/admin/networks/leeds">Keep it as a member</a>`} {
				if resp.StatusCode != http.StatusOK || !strings.Contains(confirm, want) {
					t.Errorf("the confirmation page (%d) lacks %s:\n%s", resp.StatusCode, want, confirm)
				}
			}
			if got := memberIDs(t, a, n, model.NetworkStateMember); !got[volition.ID] {
				t.Fatal("opening the confirmation page removed the member")
			}
			form := url.Values{"member": {"volition"}, "action": {"remove"}}
			if resp, _ := admin.post("/admin/networks/leeds", form); resp.StatusCode != http.StatusForbidden {
				t.Errorf("removing without a CSRF token: %d", resp.StatusCode)
			}
			form.Set("csrf_token", admin.token("/admin/networks/leeds/remove?member=volition"))
			resp, _ = admin.post("/admin/networks/leeds", form)
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/networks/leeds?done=removed" {
				t.Fatalf("the confirmation's form: %d %s", resp.StatusCode, resp.Header.Get("Location"))
			}
			if got := memberIDs(t, a, n, model.NetworkStateMember); got[volition.ID] {
				t.Error("the confirmed removal left the member")
			}
			for _, path := range []string{"/admin/networks/leeds/remove?member=volition", "/admin/networks/leeds/remove?member=nobody",
				"/admin/networks/leeds/remove", "/admin/networks/volition/remove?member=volition"} {
				if resp, _ := admin.get(path); resp.StatusCode != http.StatusNotFound {
					t.Errorf("GET %s = %d, want 404", path, resp.StatusCode)
				}
			}
			if resp, _ := loggedIn(t, a, "boss@trust.example").get("/admin/networks/leeds/remove?member=volition"); resp.StatusCode != http.StatusForbidden {
				t.Errorf("an organisation's admin opens the confirmation: %d", resp.StatusCode)
			}
		})
	}
}

// A site admin uploads the network's logo on its admin page (multipart,
// under CSRF), processed and stored as organisations' avatars are: the
// network's page shows it with alt text, its Group actor carries it as
// icon, and its followers get an Update. A file that is not a picture, no
// file, no token and an organisation's admin are refused.
func TestAdminUploadsNetworkLogo(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			a, _, _ := withVolition(t, d)
			alice := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "alice"})
			if status, msg := alice.Send(t, a.URL+"/inbox", alice.Follow(a.URL+"/users/leeds")); status != http.StatusAccepted {
				t.Fatalf("follow: %d %s", status, msg)
			}
			instancetest.Eventually(t, wait, "the Accept", func() bool { return len(alice.Received()) == 1 })

			admin := loggedIn(t, a, "admin@volition.example")
			_, page := admin.get("/admin/networks/leeds")
			for _, want := range []string{`<form method="post" action="/admin/networks/leeds/avatar" enctype="multipart/form-data"`,
				`<input id="avatar" name="avatar" type="file"`, "The network has no logo yet."} {
				if !strings.Contains(page, want) {
					t.Errorf("the admin page lacks %s:\n%s", want, page)
				}
			}
			token := func() url.Values { return url.Values{"csrf_token": {admin.token("/admin/networks/leeds")}} }
			upload := func(b *browser, form url.Values, data []byte) (*http.Response, string) {
				return b.PostMultipart("/admin/networks/leeds/avatar", form, instancetest.Upload{Field: "avatar", Name: "logo.png", Data: data})
			}
			logo := func() string {
				n, err := a.Store.LocalActor(bg, "leeds")
				if err != nil {
					t.Fatal(err)
				}
				return n.AvatarKey
			}
			if resp, _ := upload(admin, url.Values{}, pngPicture(t, 64, 64)); resp.StatusCode != http.StatusForbidden || logo() != "" {
				t.Errorf("an upload without a CSRF token: %d, logo %q", resp.StatusCode, logo())
			}
			boss := loggedIn(t, a, "boss@trust.example")
			if resp, _ := upload(boss, url.Values{"csrf_token": {boss.token("/admin")}}, pngPicture(t, 64, 64)); resp.StatusCode != http.StatusForbidden || logo() != "" {
				t.Errorf("an organisation's admin's upload: %d, logo %q", resp.StatusCode, logo())
			}
			if resp, body := upload(admin, token(), []byte("not a picture")); resp.StatusCode != http.StatusUnprocessableEntity ||
				!strings.Contains(body, `role="alert">The logo:`) || logo() != "" {
				t.Errorf("a text file as the logo: %d\n%s", resp.StatusCode, body)
			}
			if resp, body := admin.PostMultipart("/admin/networks/leeds/avatar", token()); resp.StatusCode != http.StatusUnprocessableEntity ||
				!strings.Contains(body, "Choose a picture for the logo.") {
				t.Errorf("no file: %d\n%s", resp.StatusCode, body)
			}

			resp, _ := upload(admin, token(), pngPicture(t, 300, 300))
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/networks/leeds?done=avatar" {
				t.Fatalf("upload: %d %q", resp.StatusCode, resp.Header.Get("Location"))
			}
			key := logo()
			if key == "" {
				t.Fatal("the upload set no logo")
			}
			src := media.Path(key)
			if _, page := admin.get("/admin/networks/leeds?done=avatar"); !strings.Contains(page, "The logo was saved.") ||
				!strings.Contains(page, `src="`+src+`" alt="The current logo of Leeds Health and Care"`) {
				t.Errorf("the admin page after the upload:\n%s", page)
			}
			if status, ctype := fetchStatus(t, admin, src); status != http.StatusOK || !strings.HasPrefix(ctype, "image/") {
				t.Errorf("the logo is served %d %s", status, ctype)
			}
			_, page = newBrowser(t, a.URL).get("/@leeds")
			for _, want := range []string{`<img class="avatar" src="` + src + `" alt="Logo of Leeds Health and Care" width="96" height="96">`,
				`<meta property="og:image" content="` + a.URL + src + `">`} {
				if !strings.Contains(page, want) {
					t.Errorf("the network's page lacks %s:\n%s", want, page)
				}
			}
			req, _ := http.NewRequest(http.MethodGet, a.URL+"/users/leeds", nil)
			req.Header.Set("Accept", "application/activity+json")
			ar, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var actor struct {
				Type string
				Icon struct{ URL, MediaType string }
			}
			err = json.NewDecoder(ar.Body).Decode(&actor)
			ar.Body.Close()
			if err != nil || actor.Type != "Group" || actor.Icon.URL != a.URL+src || !strings.HasPrefix(actor.Icon.MediaType, "image/") {
				t.Errorf("the Group actor: %v %+v, want icon %s", err, actor, a.URL+src)
			}
			instancetest.Eventually(t, wait, "the Update to the network's follower", func() bool {
				for _, got := range alice.Received() {
					obj, _ := got.Activity["object"].(map[string]any)
					icon, _ := obj["icon"].(map[string]any)
					if got.Activity["type"] == "Update" && got.Activity["actor"] == a.URL+"/users/leeds" && icon["url"] == a.URL+src {
						return true
					}
				}
				return false
			})
		})
	}
}
