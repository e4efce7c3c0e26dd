package instance_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/accounts"
	"github.com/commonplace-social/commonplace/internal/media"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
)

// An organisation's admin uploads its avatar and header on the web
// (multipart, under CSRF); followers get an Update carrying the new icon;
// the replaced avatar's files go; an author of the organisation and an
// admin of another are refused; a file that is not a picture is refused.
func TestAdminUploadsProfilePictures(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) {
			inst := instancetest.Start(t, d)
			trust := inst.AddOrg(t, orgs.NewOrg{Username: "trust", Name: "The Trust"})
			other := inst.AddOrg(t, orgs.NewOrg{Username: "other", Name: "Other"})
			addAccount(t, inst, "boss@trust.example", "admin", trust)
			addAccount(t, inst, "writer@trust.example", "author", trust)
			// An admin of the other organisation only, not of the site.
			if _, err := (&accounts.Service{Store: inst.Store}).AddWithPassword(bg, other, "boss@other.example", testPassword, "admin"); err != nil {
				t.Fatal(err)
			}
			alice := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "alice"})
			if status, msg := alice.Send(t, inst.URL+"/inbox", alice.Follow(inst.URL+"/users/trust")); status != http.StatusAccepted {
				t.Fatalf("follow: %d %s", status, msg)
			}
			instancetest.Eventually(t, wait, "the Accept", func() bool { return len(alice.Received()) == 1 })

			admin := loggedIn(t, inst, "boss@trust.example")
			form := func() url.Values {
				return url.Values{"csrf_token": {admin.token("/admin/profile?org=trust")}, "org": {"trust"}}
			}
			resp, _ := admin.PostMultipart("/admin/profile", form(),
				instancetest.Upload{Field: "avatar", Name: "logo.png", Data: pngPicture(t, 300, 300)},
				instancetest.Upload{Field: "header", Name: "garden.png", Data: pngPicture(t, 600, 200)})
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/admin/profile?org=trust&saved=1" {
				t.Fatalf("upload: %d %q", resp.StatusCode, resp.Header.Get("Location"))
			}
			org, err := inst.Store.LocalActor(bg, "trust")
			if err != nil || org.AvatarKey == "" || org.HeaderKey == "" {
				t.Fatalf("after the upload: %+v %v", org, err)
			}
			instancetest.Eventually(t, wait, "the Updates", func() bool { return len(alice.Received()) == 3 })
			last := alice.Received()[2].Activity
			obj, _ := last["object"].(map[string]any)
			icon, _ := obj["icon"].(map[string]any)
			if last["type"] != "Update" || icon["url"] != inst.URL+media.Path(org.AvatarKey) {
				t.Errorf("last Update = %v, want the actor with the new icon", last)
			}
			_, page := admin.get("/admin/profile?org=trust")
			if !strings.Contains(page, `src="`+media.Path(org.AvatarKey)+`"`) || !strings.Contains(page, "Pictures of The Trust") {
				t.Errorf("the pictures page does not show the avatar:\n%s", page)
			}

			resp, _ = admin.PostMultipart("/admin/profile", form(), instancetest.Upload{Field: "avatar", Name: "new.png", Data: pngPicture(t, 64, 64)})
			newer, _ := inst.Store.LocalActor(bg, "trust")
			if resp.StatusCode != http.StatusSeeOther || newer.AvatarKey == org.AvatarKey || newer.HeaderKey != org.HeaderKey {
				t.Fatalf("replace the avatar: %d, %q → %q", resp.StatusCode, org.AvatarKey, newer.AvatarKey)
			}
			if status, _ := fetchStatus(t, admin, media.Path(org.AvatarKey)); status != http.StatusNotFound {
				t.Errorf("the replaced avatar is still served: %d", status)
			}

			// The profile offers the avatar to link previews, and timeline
			// cards show it beside the organisation's name.
			avatar := media.Path(newer.AvatarKey)
			if _, page := admin.get("/@trust"); !strings.Contains(page, `<meta property="og:image" content="`+inst.URL+avatar+`">`) ||
				!strings.Contains(page, `class="profile-header" src="`+media.Path(newer.HeaderKey)+`"`) {
				t.Errorf("the profile lacks og:image or the header:\n%s", page)
			}
			csrf, draft := composeTokens(t, admin, "/compose")
			if resp, _ := admin.post("/compose", url.Values{"csrf_token": {csrf}, "draft": {draft}, "org": {"trust"}, "kind": {"update"},
				"body": {"Our new logo is up."}, "action": {"publish"}}); resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("publish: %d", resp.StatusCode)
			}
			if _, home := admin.get("/"); !strings.Contains(home, `<img class="card-avatar" src="`+avatar+`" alt="" width="32" height="32" loading="lazy"`) {
				t.Errorf("the timeline card lacks the avatar:\n%s", home)
			}

			resp, body := admin.PostMultipart("/admin/profile", form(), instancetest.Upload{Field: "header", Name: "notes.png", Data: []byte("not a picture")})
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "The header image:") {
				t.Errorf("a text file as the header: %d\n%s", resp.StatusCode, body)
			}

			for _, email := range []string{"writer@trust.example", "boss@other.example"} {
				b := loggedIn(t, inst, email)
				if resp, _ := b.get("/admin/profile?org=trust"); resp.StatusCode != http.StatusForbidden {
					t.Errorf("%s opens trust's pictures: %d", email, resp.StatusCode)
				}
			}
			outsider := loggedIn(t, inst, "boss@other.example")
			tok := outsider.token("/admin/profile?org=other")
			resp, _ = outsider.PostMultipart("/admin/profile", url.Values{"csrf_token": {tok}, "org": {"trust"}},
				instancetest.Upload{Field: "avatar", Name: "x.png", Data: pngPicture(t, 32, 32)})
			if after, _ := inst.Store.LocalActor(bg, "trust"); resp.StatusCode != http.StatusForbidden || after.AvatarKey != newer.AvatarKey {
				t.Errorf("another organisation's admin changed trust's avatar: %d", resp.StatusCode)
			}
		})
	}
}
