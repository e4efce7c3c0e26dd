package instance_test

import (
	"bytes"
	"errors"
	"html"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/media"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
)

// A reply from another server with images: the picture it links is fetched
// in the background, re-encoded without its metadata and shown under the
// comment from our own /media with its alt text, beside the commenter's
// avatar; an oversized file and a web page posing as an image are refused
// with the reason recorded; pruning drops our copy and the next view
// fetches it again.
func TestRemoteReplyImagesAreCachedAndServedFromHere(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) { remoteReplyImages(t, d) })
	}
}

func remoteReplyImages(t *testing.T, d store.Dialect) {
	a := instancetest.Start(t, d)
	org := a.AddOrg(t, orgs.NewOrg{Username: "hscleeds", Name: "The Sociable Organisation"})
	p, err := a.Posts.Publish(bg, org, demoDrafts(t)[model.KindUpdate])
	if err != nil {
		t.Fatal(err)
	}
	postURL := a.URL + "/users/hscleeds/posts/" + p.Token

	alice := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "alice"})
	photo := jpegWithGPS(t)
	photoURL := alice.ServeFile("/media/cake.jpg", "image/jpeg", photo)
	bigURL := alice.ServeFile("/media/huge.jpg", "image/jpeg", make([]byte, media.MaxBytes+1))
	pageURL := alice.ServeFile("/media/page.jpg", "text/html; charset=utf-8", []byte("<!doctype html><p>not a picture</p>"))
	avatarURL := alice.ServeFile("/media/alice.png", "image/png", pngSquare(t))
	alice.TamperActor(func(doc map[string]any) {
		doc["icon"] = map[string]any{"type": "Image", "mediaType": "image/png", "url": avatarURL}
	})

	replyID := alice.ActorID + "/statuses/1"
	image := func(url, alt string) map[string]any {
		return map[string]any{"type": "Document", "mediaType": "image/jpeg", "url": url, "name": alt,
			"blurhash": "LEHV6nWB2yk8pyo0adR*.7kCMdnj", "width": 640, "height": 480}
	}
	create := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": replyID + "/activity", "type": "Create",
		"actor": alice.ActorID, "to": []any{"https://www.w3.org/ns/activitystreams#Public"}, "cc": []any{a.URL + "/users/hscleeds"},
		"object": map[string]any{"id": replyID, "type": "Note", "attributedTo": alice.ActorID, "inReplyTo": postURL,
			"to":        []any{"https://www.w3.org/ns/activitystreams#Public"},
			"published": time.Now().UTC().Format(time.RFC3339), "content": "<p>We brought cake!</p>",
			"attachment": []any{image(photoURL, "A lemon cake on a blue plate"), image(bigURL, "Too big"), image(pageURL, "Not a picture")}}}
	if status, msg := alice.Send(t, a.URL+"/inbox", create); status != http.StatusAccepted {
		t.Fatalf("reply: %d %s", status, msg)
	}

	// The background job caches the photo and refuses the other two.
	var rows []*model.RemoteMedia
	instancetest.Eventually(t, wait, "the reply's images to be cached or refused", func() bool {
		reply, err := a.Store.PostByIRI(bg, replyID)
		if err != nil {
			return false
		}
		all, err := a.Store.RemoteMediaOfPosts(bg, reply.ID)
		rows = all[reply.ID]
		return err == nil && len(rows) == 3 && rows[0].FileKey != "" && rows[1].Failure != "" && rows[2].Failure != ""
	})
	if !strings.Contains(rows[1].Failure, "larger than 10 MB") || rows[1].FileKey != "" {
		t.Errorf("oversized image: key %q, failure %q", rows[1].FileKey, rows[1].Failure)
	}
	if !strings.Contains(rows[2].Failure, "not a JPEG, PNG, WebP or GIF") || rows[2].FileKey != "" {
		t.Errorf("web page as image: key %q, failure %q", rows[2].FileKey, rows[2].Failure)
	}

	// The post page shows the photo from our cache with its alt text, the
	// refused ones by their alt text alone, and never a remote address.
	status, body := get(t, postURL)
	if status != http.StatusOK {
		t.Fatalf("post page: %d", status)
	}
	imgs := regexp.MustCompile(`<img [^>]*>`).FindAllString(body, -1)
	var photoTag, avatarTag string
	for _, tag := range imgs {
		if strings.Contains(tag, alice.Server.URL) {
			t.Errorf("the page hot-links a remote picture: %s", tag)
		}
		if strings.Contains(tag, `alt="A lemon cake on a blue plate"`) {
			photoTag = tag
		}
		if strings.Contains(tag, `class="comment-avatar"`) {
			avatarTag = tag
		}
	}
	if photoTag == "" || avatarTag == "" {
		t.Fatalf("post page lacks the reply's photo or the commenter's avatar; images: %q", imgs)
	}
	photoPath := attr(photoTag, "src")
	if photoPath != media.RemotePath(rows[0].ID) {
		t.Errorf("photo src = %q", photoPath)
	}
	served := fetchImage(t, a.URL+photoPath)
	if served.key != rows[0].FileKey || served.contentType != "image/jpeg" {
		t.Errorf("served %s as %s, want our copy %s", served.key, served.contentType, rows[0].FileKey)
	}
	for _, marker := range []string{"Exif", "GPS", "Secret Garden"} {
		if bytes.Contains(served.body, []byte(marker)) {
			t.Errorf("our copy still carries %q", marker)
		}
	}
	if !bytes.Contains(photo, []byte("Exif")) {
		t.Fatal("the fixture has no EXIF to strip; the test proves nothing")
	}
	for _, refused := range rows[1:] {
		if status, _ := get(t, a.URL+media.RemotePath(refused.ID)); status != http.StatusNotFound {
			t.Errorf("refused picture %d answered %d, want 404", refused.ID, status)
		}
	}
	if n := alice.FileGets("/media/huge.jpg"); n != 1 {
		t.Errorf("the oversized picture was fetched %d times, want once", n)
	}
	if avatar := fetchImage(t, a.URL+attr(avatarTag, "src")); avatar.contentType != "image/png" {
		t.Errorf("avatar served as %s", avatar.contentType)
	}

	// Pruning everything older than a nanosecond drops our copy; the next
	// view fetches the photo again and serves the same picture.
	gets := alice.FileGets("/media/cake.jpg")
	prune := *a.RemoteMedia
	prune.MaxAge = time.Nanosecond
	if n, err := prune.Prune(bg, time.Now()); err != nil || n != 2 {
		t.Fatalf("prune dropped %d copies (want the photo and the avatar), %v", n, err)
	}
	if _, err := a.Media.Files.Open(bg, rows[0].FileKey); !errors.Is(err, media.ErrNotExist) {
		t.Fatalf("after pruning the photo's file is still there: %v", err)
	}
	if status, _ := get(t, a.URL+media.Path(rows[0].FileKey)); status != http.StatusNotFound {
		t.Errorf("pruned file still served: %d", status)
	}
	again := fetchImage(t, a.URL+photoPath)
	if again.key != rows[0].FileKey || alice.FileGets("/media/cake.jpg") != gets+1 {
		t.Errorf("after pruning: served %s (want %s), remote GETs %d → %d", again.key, rows[0].FileKey, gets, alice.FileGets("/media/cake.jpg"))
	}
}

type servedImage struct {
	key, contentType string
	body             []byte
}

// fetchImage GETs a picture's path on our site, which redirects to the
// cached file at /media/KEY, and returns what /media served.
func fetchImage(t *testing.T, url string) servedImage {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Request.URL.Path, "/media/") {
		t.Fatalf("GET %s: %d at %s: %s", url, resp.StatusCode, resp.Request.URL, body)
	}
	return servedImage{key: strings.TrimPrefix(resp.Request.URL.Path, "/media/"), contentType: resp.Header.Get("Content-Type"), body: body}
}

// attr reads one attribute of an HTML tag.
func attr(tag, name string) string {
	m := regexp.MustCompile(` ` + name + `="([^"]*)"`).FindStringSubmatch(tag)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// jpegWithGPS is a photo carrying an EXIF segment with a GPS tag and a
// place name, as a phone would write.
func jpegWithGPS(t *testing.T) []byte {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, 320, 240))
	for y := range 240 {
		for x := range 320 {
			m.Set(x, y, color.RGBA{uint8(x), uint8(y), 90, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, nil); err != nil {
		t.Fatal(err)
	}
	plain := buf.Bytes()
	payload := append([]byte("Exif\x00\x00"), []byte("GPS 53.8008N 1.5491W Secret Garden")...)
	seg := []byte{0xFF, 0xE1, byte((len(payload) + 2) >> 8), byte(len(payload) + 2)}
	out := append([]byte{}, plain[:2]...) // SOI
	out = append(out, seg...)
	out = append(out, payload...)
	return append(out, plain[2:]...)
}

func pngSquare(t *testing.T) []byte {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, 64, 64))
	for i := range m.Pix {
		m.Pix[i] = uint8(i)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
