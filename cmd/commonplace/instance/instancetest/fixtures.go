package instancetest

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/federation/vocab"
	"github.com/commonplace-social/commonplace/internal/accounts"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/posts"
	"github.com/commonplace-social/commonplace/internal/store"
)

// The fixtures below are shared by the instance tests and the browser
// journeys, which live in separate packages so that they run side by side.

// Wait is how long a test waits for federation to settle.
const Wait = 15 * time.Second

// TestPassword is the password of every account the tests add.
const TestPassword = "correct horse battery"

// AddAccount adds a login with TestPassword and role for org.
func AddAccount(t testing.TB, inst *Running, email, role string, org *model.Actor) {
	t.Helper()
	if _, err := (&accounts.Service{Store: inst.Store}).Add(context.Background(), email, TestPassword, role, org); err != nil {
		t.Fatal(err)
	}
}

// London is a wall-clock time in Europe/London.
func London(t testing.TB, s string) time.Time {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// DemoDrafts are one post of each kind, with the seed's facts in our words.
func DemoDrafts(t testing.TB) map[string]posts.Draft {
	return map[string]posts.Draft{
		model.KindMeetupNote: {Kind: model.KindMeetupNote, Title: "Notes from the third #HSCLeeds Tweet Meet",
			Body: "Three cakes and a growing agenda. The hospice and the mental-health charity joined for the first time.\n\nWe looked at staff social media toolkits and asked whether one shared site could serve us all. #HSCLeeds"},
		model.KindGuidance: {Kind: model.KindGuidance, Title: "Social media toolkit for staff", Topic: "Social media toolkit",
			Body: "## Before you post\n\nThink about patient confidentiality first.\n\nSee the [example toolkit](https://toolkit.example/social-media) for more. #HSCLeeds"},
		model.KindEvent: {Kind: model.KindEvent, Title: "Next #HSCLeeds Tweet Meet",
			Body: "Bring questions, and maybe cake.", Tags: []string{"TrulySocial"},
			Event: model.Event{StartTime: London(t, "2013-09-10 18:30"), EndTime: London(t, "2013-09-10 20:30"), TimeZone: "Europe/London",
				Venue: "Tech North", Address: "Chapel Allerton, Leeds", BookingURL: "https://tickets.example/tweetmeet"}},
		model.KindUpdate: {Kind: model.KindUpdate, Body: "The Social Care Curry is on 5 September at the Mumtaz. #TrulySocial"},
	}
}

// Timeline is the first 100 posts of inst's combined timeline.
func Timeline(t testing.TB, inst *Running) []*model.Post {
	t.Helper()
	page, err := inst.Store.Timeline(context.Background(), store.TimelineFilter{}, nil, 100)
	if err != nil {
		t.Fatal(err)
	}
	return page.Posts
}

// ByKind indexes the remote posts of a timeline by kind.
func ByKind(ps []*model.Post) map[string]*model.Post {
	m := map[string]*model.Post{}
	for _, p := range ps {
		if !p.Local {
			m[p.Kind] = p
		}
	}
	return m
}

// Counts are org's follower and following counts.
func Counts(t testing.TB, inst *Running, org *model.Actor) store.FollowCounts {
	t.Helper()
	c, err := inst.Store.CountFollows(context.Background(), org.ID)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// PNGPicture is a w×h opaque PNG with a gradient, as an upload.
func PNGPicture(t testing.TB, w, h int) []byte {
	t.Helper()
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			m.Set(x, y, color.NRGBA{uint8(x), uint8(y), 120, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Received reports whether r was delivered an activity of that type.
func Received(r *Remote, typ string) bool {
	for _, d := range r.Received() {
		if d.Activity["type"] == typ {
			return true
		}
	}
	return false
}

// ReplyTo has r comment on a local post and waits until it shows.
func ReplyTo(t testing.TB, inst *Running, r *Remote, postURL, text string) {
	t.Helper()
	id := r.NewID("statuses")
	reply := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": id + "/activity",
		"type": "Create", "actor": r.ActorID, "to": []any{vocab.PublicIRI},
		"object": map[string]any{"id": id, "type": "Note", "attributedTo": r.ActorID, "to": []any{vocab.PublicIRI},
			"inReplyTo": postURL, "content": "<p>" + text + "</p>"}}
	if status, msg := r.Send(t, inst.URL+"/inbox", reply); status != http.StatusAccepted {
		t.Fatalf("reply: %d %s", status, msg)
	}
	Eventually(t, Wait, "the reply to show", func() bool {
		p, err := inst.Posts.Find(context.Background(), postURL)
		return err == nil && p.ReplyCount >= 1
	})
}

// FollowedRemote starts a remote account that org follows, its Accept
// applied, so that its public posts go on the timeline.
func FollowedRemote(t testing.TB, inst *Running, org *model.Actor, username string) *Remote {
	t.Helper()
	r, follow := FollowRemote(t, inst, org, username)
	accept := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": r.NewID("accepts"),
		"type": "Accept", "actor": r.ActorID, "object": follow}
	if out := Deliver(t, inst, r, accept); out != "applied: follow accepted" {
		t.Fatalf("Accept applied as %q", out)
	}
	return r
}

// FollowRemote has org follow a new remote account and returns it with the
// Follow it received, not yet answered.
func FollowRemote(t testing.TB, inst *Running, org *model.Actor, username string) (*Remote, map[string]any) {
	t.Helper()
	r := NewRemote(t, RemoteOptions{Username: username})
	target, err := inst.Fetcher.Resolve(context.Background(), r.ActorID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := inst.Follows.Follow(context.Background(), org, target); err != nil {
		t.Fatal(err)
	}
	var follow map[string]any
	Eventually(t, Wait, "our Follow to arrive", func() bool {
		for _, d := range r.Received() {
			if d.Activity["type"] == "Follow" {
				follow = d.Activity
			}
		}
		return follow != nil
	})
	return r, follow
}

// Deliver sends act from r to inst's inbox and waits for its outcome.
func Deliver(t testing.TB, inst *Running, r *Remote, act map[string]any) string {
	t.Helper()
	if status, msg := r.Send(t, inst.URL+"/inbox", act); status != http.StatusAccepted {
		t.Fatalf("%s: %d %s", act["type"], status, msg)
	}
	var outcome string
	Eventually(t, Wait, "the "+act["type"].(string)+" to be applied", func() bool {
		var rows []string
		err := inst.Store.DB.NewSelect().Table("inbox_activities").Column("outcome").
			Where("activity_iri = ?", act["id"]).Where("processed_at IS NOT NULL").Scan(context.Background(), &rows)
		if err != nil || len(rows) == 0 {
			return false
		}
		outcome = rows[0]
		return true
	})
	return outcome
}
