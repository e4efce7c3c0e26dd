package instance_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

var keptField = regexp.MustCompile(`name="kept1" value="([^"]+)"`)

// Images on the compose form, sent multipart under CSRF: a picture without
// alt text and alt text without a picture are both reported at once, the
// picture is kept for the next sending (no second upload), a forged kept
// field is refused, the preview shows it, and the published post shows it
// with its alt text, served from /media.
func TestComposeWithImages(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			inst := instancetest.Start(t, d)
			trust := inst.AddOrg(t, orgs.NewOrg{Username: "trust", Name: "The Trust"})
			addAccount(t, inst, "writer@trust.example", "author", trust)
			b := loggedIn(t, inst, "writer@trust.example")
			csrf, draft := composeTokens(t, b, "/compose")
			fields := func(action string) url.Values {
				return url.Values{"csrf_token": {csrf}, "draft": {draft}, "org": {"trust"}, "kind": {"meetup_note"},
					"title": {"Garden meetup"}, "body": {"We met in the garden."}, "action": {action}}
			}
			photo := instancetest.Upload{Field: "image1", Name: "garden.png", Data: pngPicture(t, 400, 300)}

			f := fields("publish")
			f.Set("alt2", "A picture that was never chosen")
			resp, body := b.PostMultipart("/compose", f, photo)
			if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "There are 2 problems") ||
				!strings.Contains(body, `href="#alt1"`) || !strings.Contains(body, "screen readers") || !strings.Contains(body, `href="#image2"`) {
				t.Fatalf("an image without alt text: %d\n%s", resp.StatusCode, body)
			}
			kept := keptField.FindStringSubmatch(body)
			if kept == nil {
				t.Fatalf("the picture was not kept for the next sending:\n%s", body)
			}

			forged := fields("publish")
			forged.Set("kept1", "eyJPcmlnaW5hbCI6ImEifQ.bm90LWEtbWFj")
			forged.Set("alt1", "Forged")
			if resp, body := b.PostMultipart("/compose", forged); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "could not be kept") {
				t.Errorf("a forged kept picture: %d", resp.StatusCode)
			}

			alt := "Twelve people on benches round a vegetable bed"
			f = fields("preview")
			f.Set("kept1", kept[1])
			f.Set("alt1", alt)
			resp, body = b.PostMultipart("/compose", f)
			if resp.StatusCode != http.StatusOK || !strings.Contains(body, `<section class="preview"`) || !strings.Contains(body, `alt="`+alt+`"`) {
				t.Fatalf("preview with the kept picture: %d\n%s", resp.StatusCode, body)
			}

			f.Set("action", "publish")
			resp, body = b.PostMultipart("/compose", f)
			loc := resp.Header.Get("Location")
			if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, inst.URL+"/users/trust/") {
				t.Fatalf("publish: %d %q\n%s", resp.StatusCode, loc, body)
			}
			_, page := b.get(strings.TrimPrefix(loc, inst.URL))
			img := regexp.MustCompile(`<img src="(/media/[^"]+)" srcset="[^"]+" sizes="[^"]+" alt="` + alt + `"[^>]* loading="lazy"`).FindStringSubmatch(page)
			if img == nil {
				t.Fatalf("the post page lacks the image with its alt text:\n%s", page)
			}
			if status, ct := fetchStatus(t, b, img[1]); status != http.StatusOK || !strings.HasPrefix(ct, "image/") {
				t.Errorf("GET %s: %d %s", img[1], status, ct)
			}
		})
	}
}
