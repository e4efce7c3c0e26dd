package main

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest/gotosocial"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
)

// A person on a real GoToSocial follows a network on instance A, set up
// with the CLI, whose members are an organisation on A and one on B. Each
// member's post shows in her home timeline exactly once, as the network's
// boost. Both members' edits show and their deletes remove the post.
// GoToSocial ignores an Announce of an Update and applies an Update only
// from the post's author: A delivers its member's own Update and Delete to
// the network's followers; B, which does not know them, delivers its
// member's to the servers that fetched the post with a signature (its
// readers), GoToSocial among them since it fetched the boosted post.
func TestGoToSocialFollowsANetwork(t *testing.T) {
	ctx := context.Background()
	peer := gotosocial.Start(t)
	a := instancetest.Start(t, store.Postgres)
	b := instancetest.Start(t, store.SQLite)
	a.AddOrg(t, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's Hospice"})
	b.AddOrg(t, orgs.NewOrg{Username: "volition", Name: "Volition"})
	ja := &journey{t: t, ctx: ctx, inst: a, peer: peer, alice: peer.User(t, "alice")}
	jb := &journey{t: t, ctx: ctx, inst: b, peer: peer, alice: ja.alice}

	if out := ja.cli("network", "add", "hscleeds", "--name", "#HSCLeeds", "--summary", "Health and care in Leeds"); !strings.Contains(out, "@hscleeds@"+a.Domain) {
		t.Errorf("network add printed %q", out)
	}
	ja.cli("network", "member", "add", "hscleeds", "stgemmas")
	ja.cli("network", "member", "add", "hscleeds", "@volition@"+b.Domain)
	net, err := a.Networks.Get(ctx, "hscleeds")
	if err != nil {
		t.Fatal(err)
	}
	ja.eventually("B to accept the network's follow of its organisation", func() bool {
		_, following := ja.followCounts(net)
		return following == 1
	})
	if out := ja.cli("network", "member", "list", "hscleeds"); !strings.Contains(out, "@stgemmas@"+a.Domain) || !strings.Contains(out, "@volition@"+b.Domain) {
		t.Errorf("member list:\n%s", out)
	}

	// A second follower, which records what the network sends, witnesses
	// the activities GoToSocial receives alongside.
	witness := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "witness"})
	if status, msg := witness.Send(t, a.URL+"/inbox", witness.Follow(a.URL+"/users/hscleeds")); status != http.StatusAccepted {
		t.Fatalf("witness follow: %d %s", status, msg)
	}

	group := ja.resolve("hscleeds")
	ja.alice.Follow(group.ID)
	ja.eventually("GoToSocial to see the follow of the network accepted", func() bool { return ja.alice.Relationship(group.ID).Following })

	urlA := ja.publish("stgemmas", "update", "Open day at the hospice on Saturday, all welcome. gtsnetA")
	urlB := jb.publish("volition", "update", "Volunteer fair at the library on Sunday. gtsnetB")
	boostA, boostB := ja.boostOf(urlA), ja.boostOf(urlB)
	// Seen through the network only, once each, for a while.
	for end := time.Now().Add(3 * time.Second); time.Now().Before(end); time.Sleep(500 * time.Millisecond) {
		for _, u := range []string{urlA, urlB} {
			if n := ja.timelineCount(u); n != 1 {
				t.Fatalf("%s shows %d times in her home timeline", u, n)
			}
		}
	}
	if boostA.Account.Acct != "hscleeds@"+a.Domain || !strings.Contains(text(*boostA.Reblog), "gtsnetA") || !strings.Contains(text(*boostB.Reblog), "gtsnetB") {
		t.Errorf("boosts: by %q, %q / %q", boostA.Account.Acct, text(*boostA.Reblog), text(*boostB.Reblog))
	}

	// The edit on A shows.
	ja.cli("edit", urlA, "--file", ja.bodyFile("Open day at the hospice moved to Sunday, all welcome. gtsnetA"))
	ja.eventually("A's edit in GoToSocial", func() bool {
		s, ok := ja.alice.Status(boostA.Reblog.ID)
		return ok && s.EditedAt != nil && strings.Contains(text(s), "moved to Sunday")
	})

	// The edit on B shows too: GoToSocial fetched B's post when the
	// network's boost came, signed with the key of the user it fetched for
	// (not its instance actor), so B sends the author's Update to her inbox.
	onB, err := b.Store.PostByToken(ctx, urlB[strings.LastIndex(urlB, "/")+1:])
	if err != nil {
		t.Fatal(err)
	}
	jb.eventually("B to know GoToSocial as a reader of its post", func() bool {
		readers, err := b.Store.PostReaderInboxes(ctx, b.Store.DB, onB.ID)
		return err == nil && slices.Contains(readers, ja.alice.ActorURL()+"/inbox")
	})
	jb.cli("edit", urlB, "--file", jb.bodyFile("Volunteer fair at the library moved to Monday. gtsnetB"))
	ja.eventually("B's edit in GoToSocial", func() bool {
		s, ok := ja.alice.Status(boostB.Reblog.ID)
		return ok && s.EditedAt != nil && strings.Contains(text(s), "moved to Monday")
	})
	ja.eventually("the network's Announce{Update} of B's post at the witness", func() bool {
		for _, d := range witness.Received() {
			if o, ok := d.Activity["object"].(map[string]any); ok && d.Activity["type"] == "Announce" && o["type"] == "Update" && o["object"] == urlB {
				return true
			}
		}
		return false
	})

	// Deletes on both remove the post from her timeline.
	ja.cli("delete", urlA)
	jb.cli("delete", urlB)
	ja.eventually("both deletes in GoToSocial", func() bool {
		return ja.timelineCount(urlA) == 0 && ja.timelineCount(urlB) == 0
	})
	if _, ok := ja.alice.Status(boostA.Reblog.ID); ok {
		t.Errorf("A's deleted post is still on GoToSocial")
	}
}

// boostOf waits for the network's boost of a post in the home timeline.
func (j *journey) boostOf(postURL string) gotosocial.Status {
	j.t.Helper()
	var boost gotosocial.Status
	j.eventually("the network's boost of "+postURL+" in the GoToSocial home timeline", func() bool {
		for _, s := range j.alice.HomeTimeline() {
			if s.Reblog != nil && s.Reblog.URI == postURL {
				boost = s
				return true
			}
		}
		return false
	})
	return boost
}

// timelineCount counts the home timeline entries showing a post, itself or
// boosted.
func (j *journey) timelineCount(postURL string) int {
	j.t.Helper()
	n := 0
	for _, s := range j.alice.HomeTimeline() {
		if s.URI == postURL || s.Reblog != nil && s.Reblog.URI == postURL {
			n++
		}
	}
	return n
}
