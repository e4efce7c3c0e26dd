package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/media"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
)

func writePicture(t *testing.T, w, h int, name string) string {
	t.Helper()
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			m.Set(x, y, color.NRGBA{uint8(x), uint8(y), 90, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// `org edit --avatar --header` stores both pictures, the actor document
// carries them as icon and image, followers get an Update saying so, the
// files are served with immutable caching, and the profile page shows them.
func TestOrgEditAvatarAndHeader(t *testing.T) {
	ctx := context.Background()
	a := instancetest.Start(t, store.SQLite)
	a.AddOrg(t, orgs.NewOrg{Username: "hscleeds", Name: "HSC Leeds"})
	alice := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "alice"})
	if status, msg := alice.Send(t, a.URL+"/inbox", alice.Follow(a.URL+"/users/hscleeds")); status != http.StatusAccepted {
		t.Fatalf("follow: %d %s", status, msg)
	}
	instancetest.Eventually(t, wait, "the Accept", func() bool { return len(alice.Received()) == 1 })

	r := runCmd(ctx, nil, t, "org", "edit", "hscleeds", "--avatar", writePicture(t, 600, 600, "logo.png"),
		"--header", writePicture(t, 200, 100, "banner.png"), "--db", a.DBURL, "--data-dir", a.Config.DataDir)
	if r.code != 0 {
		t.Fatalf("org edit: %+v", r)
	}

	req, _ := http.NewRequest("GET", a.URL+"/users/hscleeds", nil)
	req.Header.Set("Accept", "application/activity+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var actor struct {
		Icon, Image struct{ Type, MediaType, URL string }
	}
	err = json.NewDecoder(resp.Body).Decode(&actor)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	for name, img := range map[string]struct{ Type, MediaType, URL string }{"icon": actor.Icon, "image": actor.Image} {
		if img.Type != "Image" || img.MediaType != "image/jpeg" || !strings.HasPrefix(img.URL, a.URL+"/media/") {
			t.Errorf("%s = %+v, want an image/jpeg Image under %s/media/", name, img, a.URL)
		}
	}

	instancetest.Eventually(t, wait, "the Updates", func() bool { return len(alice.Received()) == 3 })
	last := alice.Received()[2].Activity
	obj, _ := last["object"].(map[string]any)
	icon, _ := obj["icon"].(map[string]any)
	if last["type"] != "Update" || icon["url"] != actor.Icon.URL {
		t.Errorf("last Update = %v, want the actor with icon %s", last, actor.Icon.URL)
	}

	resp, err = http.Get(actor.Icon.URL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/jpeg" ||
		resp.Header.Get("Cache-Control") != media.CacheControl || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("avatar: %d %v", resp.StatusCode, resp.Header)
	}
	if cfg, err := jpeg.DecodeConfig(bytes.NewReader(body)); err != nil || cfg.Width != 400 || cfg.Height != 400 {
		t.Errorf("avatar is %d×%d (%v), want the 400×400 display size", cfg.Width, cfg.Height, err)
	}
	if resp, err := http.Get(a.URL + "/media/" + strings.Repeat("0", 64) + ".jpg"); err != nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown media key: %v %v, want 404", resp.StatusCode, err)
	}

	page := get(t, a.URL+"/@hscleeds")
	for _, u := range []string{actor.Icon.URL, actor.Image.URL} {
		if path := strings.TrimPrefix(u, a.URL); !strings.Contains(page, `src="`+path+`"`) {
			t.Errorf("profile page does not show %s", path)
		}
	}
}
