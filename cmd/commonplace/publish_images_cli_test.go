package main

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
)

// `publish --image --alt` sends the picture as a Document attachment with
// its alt text as name (what Mastodon and GoToSocial show), serves it, and
// `delete` removes the file with the post.
func TestPublishWithImages(t *testing.T) {
	ctx := context.Background()
	a := instancetest.Start(t, store.SQLite)
	a.AddOrg(t, orgs.NewOrg{Username: "hscleeds", Name: "HSC Leeds"})
	alice := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "alice"})
	if status, msg := alice.Send(t, a.URL+"/inbox", alice.Follow(a.URL+"/users/hscleeds")); status != http.StatusAccepted {
		t.Fatalf("follow: %d %s", status, msg)
	}
	instancetest.Eventually(t, wait, "the Accept", func() bool { return len(alice.Received()) == 1 })
	body := filepath.Join(t.TempDir(), "note.md")
	if err := os.WriteFile(body, []byte("Photos from the meetup."), 0o600); err != nil {
		t.Fatal(err)
	}
	photo := writePicture(t, 2000, 1000, "room.png")
	common := []string{"publish", "--org", "hscleeds", "--kind", "update", "--file", body, "--db", a.DBURL, "--data-dir", a.Config.DataDir}

	r := runCmd(ctx, nil, t, append(common, "--image", photo)...)
	if r.code == 0 || !strings.Contains(r.errOut, "--alt") {
		t.Fatalf("an image without alt text was accepted: %+v", r)
	}

	const alt = "Twenty people round a table at Tech North"
	r = runCmd(ctx, nil, t, append(common, "--image", photo, "--alt", alt)...)
	postURL := strings.TrimSpace(r.out)
	if r.code != 0 {
		t.Fatalf("publish: %+v", r)
	}
	instancetest.Eventually(t, wait, "the Create", func() bool { return len(alice.Received()) == 2 })
	obj := alice.Received()[1].Activity["object"].(map[string]any)
	atts, _ := obj["attachment"].([]any)
	if len(atts) != 1 {
		t.Fatalf("Create's object has attachment %v, want one image", obj["attachment"])
	}
	att := atts[0].(map[string]any)
	imgURL, _ := att["url"].(string)
	if att["type"] != "Document" || att["mediaType"] != "image/jpeg" || att["name"] != alt ||
		att["width"] != 1600.0 || att["height"] != 800.0 || att["blurhash"] == "" || !strings.HasPrefix(imgURL, a.URL+"/media/") {
		t.Errorf("attachment = %v", att)
	}

	req, _ := http.NewRequest("GET", postURL, nil)
	req.Header.Set("Accept", "application/activity+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Attachment []struct{ URL, Name string }
	}
	err = json.NewDecoder(resp.Body).Decode(&doc)
	resp.Body.Close()
	if err != nil || len(doc.Attachment) != 1 || doc.Attachment[0].URL != imgURL || doc.Attachment[0].Name != alt {
		t.Errorf("fetched post's attachment = %+v (%v)", doc.Attachment, err)
	}
	if resp, err := http.Get(imgURL); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET image: %v %v", resp, err)
	}

	// The post's page shows the image with its alt text, lazily, and link
	// previews get it as og:image.
	page := get(t, postURL)
	path := strings.TrimPrefix(imgURL, a.URL)
	for _, want := range []string{`<img src="` + path + `"`, `alt="` + alt + `"`, `width="1600" height="800" loading="lazy"`,
		`<meta property="og:image" content="` + imgURL + `">`, `<meta property="og:image:alt" content="` + alt + `">`} {
		if !strings.Contains(page, want) {
			t.Errorf("post page lacks %s", want)
		}
	}

	if r := runCmd(ctx, nil, t, "delete", postURL, "--db", a.DBURL, "--data-dir", a.Config.DataDir); r.code != 0 {
		t.Fatalf("delete: %+v", r)
	}
	if resp, err := http.Get(imgURL); err != nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("image of the deleted post: %v %v, want 404", resp.StatusCode, err)
	}
}
