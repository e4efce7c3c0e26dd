package instance_test

import (
	"bytes"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/media"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
)

// A followed organisation's avatar shows on its cards in our combined
// timeline, from our own cache: the card's picture is a /media path here,
// never an address on the other instance.
func TestRemoteOrganisationsAvatarOnTimelineCards(t *testing.T) {
	a := instancetest.Start(t, store.SQLite)
	b := instancetest.Start(t, store.SQLite)
	reader := a.AddOrg(t, orgs.NewOrg{Username: "trust", Name: "The Trust"})
	hospice := b.AddOrg(t, orgs.NewOrg{Username: "hospice", Name: "The Hospice"})
	if _, err := b.Media.SetProfileImage(bg, hospice, media.KindAvatar, bytes.NewReader(pngSquare(t))); err != nil {
		t.Fatal(err)
	}
	target, err := a.Fetcher.Resolve(bg, "@hospice@"+b.Domain)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Follows.Follow(bg, reader, target); err != nil {
		t.Fatal(err)
	}
	instancetest.Eventually(t, wait, "A's follow of B", func() bool { return counts(t, a, reader).Following == 1 })
	if _, err := b.Posts.Publish(bg, hospice, demoDrafts(t)[model.KindUpdate]); err != nil {
		t.Fatal(err)
	}
	card := regexp.MustCompile(`<img class="card-avatar" src="(/media/remote/\d+)"`)
	var src string
	instancetest.Eventually(t, wait, "the hospice's card with its avatar on A's timeline", func() bool {
		_, body := get(t, a.URL+"/")
		m := card.FindStringSubmatch(body)
		if m != nil {
			src = m[1]
		}
		return m != nil && strings.Contains(body, "The Hospice")
	})
	_, body := get(t, a.URL+"/")
	if strings.Contains(body, b.URL+"/media/") {
		t.Error("A's timeline links a picture on B")
	}
	instancetest.Eventually(t, wait, "the avatar served from A's cache", func() bool {
		resp, err := http.Get(a.URL + src) // follows the redirect to /media/KEY on A
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		return resp.StatusCode == http.StatusOK && resp.Header.Get("Content-Type") == "image/png" &&
			strings.HasPrefix(resp.Request.URL.String(), a.URL+"/media/")
	})
}
