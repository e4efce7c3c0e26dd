package main

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest/gotosocial"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// A person on a real GoToSocial finds our organisations, follows them, reads
// each kind of post, replies, favourites and boosts; our organisations
// follow her back, by the CLI and the admin page, and see her posts, edits
// and deletes; locked organisations hold her requests; unfollows go both
// ways; and blocking her server stops both directions. One GoToSocial serves
// the run on each of our databases.
func TestGoToSocialJourney(t *testing.T) {
	peer := gotosocial.Start(t)
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			inst := instancetest.Start(t, d)
			j := &journey{t: t, ctx: context.Background(), inst: inst, peer: peer,
				alice: peer.User(t, "alice_"+string(d))}
			j.run()
		})
	}
}

func (j *journey) run() {
	t, inst := j.t, j.inst
	leeds := inst.AddOrg(t, orgs.NewOrg{Username: "leedsth", Name: "Leeds Teaching Hospitals NHS Trust"})
	hospice := inst.AddOrg(t, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's Hospice", ManuallyApprovesFollowers: true})
	inst.AddOrg(t, orgs.NewOrg{Username: "volition", Name: "Volition", ManuallyApprovesFollowers: true})
	j.cli("user", "add", "admin@stgemmas.example", "--org", "stgemmas", "--role", "admin")

	// She finds the trust by search, follows, and the follow is accepted.
	trust := j.resolve("leedsth")
	j.alice.Follow(trust.ID)
	j.eventually("GoToSocial to see the follow accepted", func() bool { return j.alice.Relationship(trust.ID).Following })
	if followers, _ := j.followCounts(leeds); followers != 1 {
		t.Fatalf("the trust has %d followers, want her", followers)
	}
	if j.peer.LogContains("error fetching account featured collection") {
		t.Error("GoToSocial could not fetch our featured collection")
	}

	note, event := j.eachKindReachesHer()
	j.herInteractionsShowHere(note)
	j.editAndDeleteReachHer(event)
	j.weFollowHer()
	hospicePost := j.lockedOrganisations(hospice)
	j.unfollowBothWays(trust, leeds)
	j.blockingHerServer(hospice, hospicePost)
}

// eachKindReachesHer publishes a meetup note, guidance, an event and an
// update, and checks each shows once in her home timeline with what a person
// needs: title, summary and link, and for the event when and where.
func (j *journey) eachKindReachesHer() (note, event gotosocial.Status) {
	t := j.t
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	day := time.Now().In(london).AddDate(0, 1, 0)
	start := time.Date(day.Year(), day.Month(), day.Day(), 18, 30, 0, 0, london)
	urls := map[string]string{
		"note": j.publish("leedsth", "note", "Jostaberry cake, sweet sesame cake and baklava fuelled the third meet. #HSCLeeds",
			"--title", "Tweet Meet three notes", "--summary", "Cake, new faces and one shared site"),
		"guidance": j.publish("leedsth", "guidance", "Speak as yourself, and never identify a patient.",
			"--title", "Social media at work toolkit", "--summary", "What staff may post", "--topic", "Staff toolkit"),
		"event": j.publish("leedsth", "event", "Bring questions; cake is expected.", "--title", "Next Tweet Meet",
			"--start", start.Format(time.RFC3339), "--end", start.Add(2*time.Hour).Format(time.RFC3339),
			"--timezone", "Europe/London", "--venue", "Tech North", "--address", "Chapel Allerton, Leeds"),
		"update": j.publish("leedsth", "update", "St Gemma's and Volition joined #HSCLeeds this week."),
	}
	got := map[string]gotosocial.Status{}
	for kind, u := range urls {
		s := j.timelineStatus(u)
		got[kind] = s
		if s.URL != u {
			t.Errorf("%s: GoToSocial links to %q, want %q", kind, s.URL, u)
		}
	}
	for kind, want := range map[string][]string{
		"note":     {"Tweet Meet three notes", "Cake, new faces and one shared site", "Jostaberry cake", urls["note"][len("http://"):]},
		"guidance": {"Social media at work toolkit", "What staff may post", "Speak as yourself", urls["guidance"][len("http://"):]},
		"event": {"Next Tweet Meet", start.Format("Monday 2 January 2006"), "6:30pm", "Tech North", "Chapel Allerton",
			urls["event"][len("http://"):]},
		"update": {"St Gemma's and Volition joined"},
	} {
		shown := got[kind].SpoilerText + "\n" + text(got[kind])
		for _, w := range want {
			if !strings.Contains(shown, w) {
				t.Errorf("%s as GoToSocial shows it lacks %q:\n%s", kind, w, shown)
			}
		}
	}
	if got["update"].SpoilerText != "" {
		t.Errorf("the update carries a content warning %q", got["update"].SpoilerText)
	}
	return got["note"], got["event"]
}

// herInteractionsShowHere: her reply is a comment under the post on our
// page, her favourite and boost are counted, and so are their Undos.
func (j *journey) herInteractionsShowHere(note gotosocial.Status) {
	t := j.t
	path := strings.TrimPrefix(note.URI, j.inst.URL)
	j.alice.Post("@leedsth@"+j.inst.Domain+" Thank you for writing this up, see you at the next one!", note.ID)
	j.alice.Favourite(note.ID)
	j.alice.Reblog(note.ID)
	j.eventually("her reply, like and boost on our post page", func() bool {
		p := j.page(path)
		l, b, c := counts(t, p)
		return l == 1 && b == 1 && c == 1 && strings.Contains(p, "Thank you for writing this up")
	})
	if p := j.page(path); !strings.Contains(p, j.alice.Handle()[1:]) {
		t.Errorf("the comment does not name her handle %s", j.alice.Handle())
	}
	j.alice.Unfavourite(note.ID)
	j.alice.Unreblog(note.ID)
	j.eventually("her Undo of the like and the boost", func() bool {
		l, b, c := counts(t, j.page(path))
		return l == 0 && b == 0 && c == 1
	})
}

// editAndDeleteReachHer: an edit shows as edited there; a delete makes the
// status 404 there.
func (j *journey) editAndDeleteReachHer(event gotosocial.Status) {
	j.cli("edit", event.URI, "--title", "Next Tweet Meet, now upstairs", "--file", j.bodyFile("Bring questions; cake is expected."))
	j.eventually("the edit in GoToSocial", func() bool {
		s, ok := j.alice.Status(event.ID)
		return ok && s.EditedAt != nil && strings.Contains(text(s), "now upstairs")
	})
	j.cli("delete", event.URI)
	j.eventually("the delete in GoToSocial", func() bool {
		_, ok := j.alice.Status(event.ID)
		return !ok
	})
}

// weFollowHer: the trust follows her by the CLI, the hospice from the admin
// page; her public posts appear in our combined timeline, and so do her edit
// and her delete.
func (j *journey) weFollowHer() {
	t := j.t
	out := j.cli("follow", "--org", "leedsth", j.alice.Handle())
	if !strings.Contains(out, j.alice.ActorURL()) {
		t.Errorf("follow printed %q", out)
	}
	b := instancetest.NewBrowser(t, j.inst.URL)
	if resp, body := b.Login("admin@stgemmas.example", testPassword); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("admin login: %d %s", resp.StatusCode, body)
	}
	resp, body := b.Post("/admin/following", url.Values{"csrf_token": {b.Token("/admin")}, "org": {"stgemmas"},
		"handle": {j.alice.Handle()}, "action": {"follow"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("follow from the admin page: %d %s", resp.StatusCode, body)
	}
	j.eventually("GoToSocial to count both organisations as her followers", func() bool {
		n := 0
		for _, a := range j.alice.Followers(j.alice.ID) {
			if a.Acct == "leedsth@"+j.inst.Domain || a.Acct == "stgemmas@"+j.inst.Domain {
				n++
			}
		}
		return n == 2
	})

	s := j.alice.Post("Our ward teams now post their own updates #HSCLeeds", "")
	j.eventually("her post in our combined timeline", func() bool {
		return strings.Contains(j.page("/"), "Our ward teams now post their own updates")
	})
	j.alice.Edit(s.ID, "Our ward teams now post their own updates, with a checklist #HSCLeeds")
	j.eventually("her edit in our combined timeline", func() bool {
		return strings.Contains(j.page("/"), "with a checklist")
	})
	j.alice.Delete(s.ID)
	j.eventually("her delete in our combined timeline", func() bool {
		return !strings.Contains(j.page("/"), "Our ward teams now post")
	})
}

// lockedOrganisations: the hospice approves followers by hand, so her
// follow waits for an admin, who approves it on the admin page; Volition
// rejects hers by the CLI, and she never sees its posts. It returns a hospice
// post as she sees it.
func (j *journey) lockedOrganisations(hospice *model.Actor) gotosocial.Status {
	t := j.t
	h := j.resolve("stgemmas")
	if r := j.alice.Follow(h.ID); r.Following {
		t.Fatal("the hospice approves followers by hand, but her follow was accepted at once")
	}
	var pending []*model.Follow
	j.eventually("her request to wait for the hospice's admin", func() bool {
		var err error
		pending, err = j.inst.Follows.Pending(j.ctx, hospice)
		return err == nil && len(pending) == 1
	})
	if r := j.alice.Relationship(h.ID); !r.Requested || r.Following {
		t.Errorf("before approval GoToSocial shows %+v, want requested", r)
	}
	b := instancetest.NewBrowser(t, j.inst.URL)
	b.Login("admin@stgemmas.example", testPassword)
	resp, body := b.Post("/admin/followers", url.Values{"csrf_token": {b.Token("/admin")}, "org": {"stgemmas"},
		"follower": {strconv.FormatInt(pending[0].FollowerID, 10)}, "decision": {"approve"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("approve from the admin page: %d %s", resp.StatusCode, body)
	}
	j.eventually("GoToSocial to see the approval", func() bool { return j.alice.Relationship(h.ID).Following })

	charity, err := j.inst.Orgs.Get(j.ctx, "volition")
	if err != nil {
		t.Fatal(err)
	}
	v := j.resolve("volition")
	j.alice.Follow(v.ID)
	j.eventually("her request to Volition", func() bool {
		p, err := j.inst.Follows.Pending(j.ctx, charity)
		return err == nil && len(p) == 1
	})
	j.cli("follower", "reject", "--org", "volition", j.alice.Handle())
	j.eventually("GoToSocial to see the rejection", func() bool {
		r := j.alice.Relationship(v.ID)
		return !r.Requested && !r.Following
	})
	rejected := j.publish("volition", "update", "Volition's news, for its followers.")
	control := j.timelineStatus(j.publish("stgemmas", "update", "The hospice's news, for its followers."))
	j.absentFromTimeline(rejected, 3*time.Second)
	return control
}

// unfollowBothWays: her unfollow reaches us, and ours reaches her.
func (j *journey) unfollowBothWays(trust gotosocial.Account, leeds *model.Actor) {
	t := j.t
	j.alice.Unfollow(trust.ID)
	j.eventually("her unfollow to reach the trust", func() bool {
		followers, _ := j.followCounts(leeds)
		return followers == 0
	})
	j.cli("unfollow", "--org", "leedsth", j.alice.Handle())
	j.eventually("our unfollow to reach GoToSocial", func() bool {
		for _, a := range j.alice.Followers(j.alice.ID) {
			if a.Acct == "leedsth@"+j.inst.Domain {
				return false
			}
		}
		return true
	})
	if _, following := j.followCounts(leeds); following != 0 {
		t.Errorf("the trust still follows %d accounts", following)
	}
}

// blockingHerServer: a domain block, made on the admin page, ends the follows both ways, refuses her
// server's deliveries, and stops ours to her.
func (j *journey) blockingHerServer(hospice *model.Actor, hospicePost gotosocial.Status) {
	t := j.t
	refusedBefore := j.inboxRefusals("Create", http.StatusForbidden)
	// From the admin page, which applies at once; a block by the CLI reaches
	// a running server within blocks.DefaultTTL.
	b := instancetest.NewBrowser(t, j.inst.URL)
	b.Login("admin@stgemmas.example", testPassword)
	resp, body := b.Post("/admin/blocks", url.Values{"csrf_token": {b.Token("/admin")}, "kind": {"domain"},
		"value": {j.peer.Host}, "reason": {"journey test"}, "action": {"block"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("block from the admin page: %d %s", resp.StatusCode, body)
	}
	if followers, following := j.followCounts(hospice); followers != 0 || following != 0 {
		t.Errorf("after the block the hospice has %d followers and follows %d", followers, following)
	}
	j.alice.Post("@stgemmas@"+j.inst.Domain+" Is anyone there?", hospicePost.ID)
	j.eventually("our inbox to refuse her reply", func() bool {
		return j.inboxRefusals("Create", http.StatusForbidden) > refusedBefore
	})
	if p := j.page(strings.TrimPrefix(hospicePost.URI, j.inst.URL)); strings.Contains(p, "Is anyone there?") {
		t.Error("her reply from a blocked server shows as a comment")
	}
	j.absentFromTimeline(j.publish("stgemmas", "update", "News after the block."), 3*time.Second)
}
