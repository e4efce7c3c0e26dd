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
// timeline, and its posts' pictures with their alt text, all from our own
// cache: every picture is a /media path here, never an address on the other
// instance. The post published before the follow arrives by backfill.
func TestRemoteOrganisationsAvatarOnTimelineCards(t *testing.T) {
	a := instancetest.Start(t, store.SQLite)
	b := instancetest.Start(t, store.SQLite)
	reader := a.AddOrg(t, orgs.NewOrg{Username: "trust", Name: "The Trust"})
	hospice := b.AddOrg(t, orgs.NewOrg{Username: "hospice", Name: "The Hospice"})
	if _, err := b.Media.SetProfileImage(bg, hospice, media.KindAvatar, bytes.NewReader(pngSquare(t))); err != nil {
		t.Fatal(err)
	}
	photo, err := b.Media.Prepare(bg, media.Owner{}, media.KindAttachment, bytes.NewReader(pngPicture(t, 320, 200)), "Volunteers around a cake stall")
	if err != nil {
		t.Fatal(err)
	}
	early := demoDrafts(t)[model.KindUpdate]
	early.Images = []*model.Media{photo}
	if _, err := b.Posts.Publish(bg, hospice, early); err != nil {
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
	picture := regexp.MustCompile(`<div class="card-images"><img src="(/media/remote/\d+)" alt="Volunteers around a cake stall" width="\d+" height="\d+"`)
	var photoSrc string
	instancetest.Eventually(t, wait, "the backfilled post's picture on its card", func() bool {
		_, body := get(t, a.URL+"/")
		m := picture.FindStringSubmatch(body)
		if m != nil {
			photoSrc = m[1]
		}
		return m != nil
	})
	_, body := get(t, a.URL+"/")
	if strings.Contains(body, b.URL+"/media/") || strings.Contains(body, b.Domain+"/media/") {
		t.Error("A's timeline links a picture on B")
	}
	for what, path := range map[string]string{"the avatar": src, "the picture": photoSrc} {
		instancetest.Eventually(t, wait, what+" served from A's cache", func() bool {
			resp, err := http.Get(a.URL + path) // follows the redirect to /media/KEY on A
			if err != nil {
				return false
			}
			defer resp.Body.Close()
			ct := resp.Header.Get("Content-Type")
			return resp.StatusCode == http.StatusOK && (ct == "image/png" || ct == "image/jpeg") &&
				strings.HasPrefix(resp.Request.URL.String(), a.URL+"/media/")
		})
	}
}
