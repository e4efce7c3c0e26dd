package main

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest/gotosocial"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
)

// Pictures both ways with a real GoToSocial: it shows our organisation's
// avatar and a post's image with its alt text, and an image reply posted
// there shows under our post, with its alt text, from our own cache.
func TestGoToSocialMedia(t *testing.T) {
	peer := gotosocial.Start(t)
	inst := instancetest.Start(t, store.SQLite)
	j := &journey{t: t, ctx: context.Background(), inst: inst, peer: peer, alice: peer.User(t, "alice_media")}
	inst.AddOrg(t, orgs.NewOrg{Username: "leedsth", Name: "Leeds Teaching Hospitals NHS Trust"})
	dataDir := inst.Config.DataDir
	j.cli("org", "edit", "leedsth", "--avatar", writeJPEG(t, "logo.jpg", 400, 400), "--data-dir", dataDir)

	trust := j.resolve("leedsth")
	j.alice.Follow(trust.ID)
	j.eventually("GoToSocial to see the follow accepted", func() bool { return j.alice.Relationship(trust.ID).Following })
	avatar := j.alice.AccountAvatar(trust.ID)
	if avatar == "" || strings.Contains(avatar, "default_avatars") || !strings.HasPrefix(avatar, peer.URL) {
		t.Errorf("GoToSocial shows the trust's avatar as %q, want its own copy of ours", avatar)
	}

	const alt = "Twenty people round a table at the meetup"
	postURL := j.publish("leedsth", "update", "The third meet, in one picture.",
		"--image", writeJPEG(t, "meet.jpg", 800, 600), "--alt", alt, "--data-dir", dataDir)
	status := j.timelineStatus(postURL)
	var shown gotosocial.MediaStatus
	j.eventually("GoToSocial to hold the post's image", func() bool {
		shown = j.alice.MediaStatus(status.ID)
		return len(shown.MediaAttachments) == 1 && shown.MediaAttachments[0].Type == "image"
	})
	if a := shown.MediaAttachments[0]; a.Description != alt || !strings.HasPrefix(a.URL, peer.URL) {
		t.Errorf("GoToSocial shows the image as %+v; want its copy with the alt text %q", a, alt)
	}

	const replyAlt = "A lemon cake on a blue plate"
	id := j.alice.UploadImage("cake.jpg", readFile(t, writeJPEG(t, "cake.jpg", 640, 480)), replyAlt)
	j.alice.PostWithMedia("@leedsth@"+inst.Domain+" We brought cake!", status.ID, id)
	path := strings.TrimPrefix(postURL, inst.URL)
	imgTag := regexp.MustCompile(`<img src="(/media/remote/\d+)" alt="` + regexp.QuoteMeta(replyAlt) + `"`)
	var src, last string
	defer func() {
		if t.Failed() {
			t.Logf("our post page last read:\n%s", last)
		}
	}()
	j.eventually("her image reply on our post page", func() bool {
		last = j.page(path)
		m := imgTag.FindStringSubmatch(last)
		if m != nil {
			src = m[1]
		}
		return m != nil
	})
	resp, err := http.Get(inst.URL + src)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !regexp.MustCompile(`^/media/[0-9a-f]{64}\.jpg$`).MatchString(resp.Request.URL.Path) ||
		resp.Header.Get("Content-Type") != "image/jpeg" {
		t.Errorf("her image is served with %d as %s from %s, want our cached copy", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Request.URL)
	}
	if p := j.page(path); strings.Contains(p, peer.URL+"/fileserver") {
		t.Error("our page hot-links GoToSocial's file server")
	}
}

// writeJPEG writes a w×h photo-like JPEG to a temporary file.
func writeJPEG(t *testing.T, name string, w, h int) string {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			m.Set(x, y, color.RGBA{uint8(x * 7), uint8(y * 3), uint8(x + y), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, nil); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
