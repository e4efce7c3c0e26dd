package instance_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/network"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/posts"
	"github.com/commonplace-social/commonplace/internal/store"
)

// networkMail sorts what a follower received from the network: bare
// Announces by post id, Announces of activities by their type, and Undos
// of Announces by post id.
type networkMail struct {
	announced map[string]int   // post id -> Announces of it
	of        map[string]int   // "Update post-id" -> Announce{Update}s
	undone    map[string]int   // post id -> Undo{Announce}s
	direct    map[string]int   // "Update post-id" -> the author's own activity
	all       []map[string]any // everything, for failure messages
}

func mailOf(r *instancetest.Remote, networkID string) networkMail {
	m := networkMail{announced: map[string]int{}, of: map[string]int{}, undone: map[string]int{}, direct: map[string]int{}}
	for _, d := range r.Received() {
		act := d.Activity
		m.all = append(m.all, act)
		typ, _ := act["type"].(string)
		if act["actor"] != networkID {
			if o, ok := act["object"].(map[string]any); ok {
				m.direct[fmt.Sprint(typ, " ", o["id"])]++
			}
			continue
		}
		switch o := act["object"].(type) {
		case string:
			if typ == "Announce" {
				m.announced[o]++
			}
		case map[string]any:
			if typ == "Announce" {
				m.of[fmt.Sprint(o["type"], " ", o["object"])]++
			}
			if typ == "Undo" && o["type"] == "Announce" {
				m.undone[fmt.Sprint(o["object"])]++
			}
		}
	}
	return m
}

// A network on A with a member organisation on A, one on B and one on a
// Mastodon-like server: a follower of the network receives exactly one
// Announce of each member's public post, none of replies, private posts
// or the members' own boosts, and sees edits and deletes follow through.
func TestNetworkResharesMembersPosts(t *testing.T) {
	a := instancetest.Start(t, store.Postgres)
	b := instancetest.Start(t, store.SQLite)
	hospice := a.AddOrg(t, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's Hospice"})
	charity := b.AddOrg(t, orgs.NewOrg{Username: "volition", Name: "Volition"})
	net, err := a.Networks.Create(bg, network.NewNetwork{Username: "hscleeds", Name: "#HSCLeeds", Summary: "Health and care in Leeds"})
	if err != nil {
		t.Fatal(err)
	}
	netID := a.URL + "/users/hscleeds"

	// Served as a Group, found by WebFinger.
	if _, body := get(t, a.URL+"/.well-known/webfinger?resource=acct:hscleeds@"+a.Domain); !strings.Contains(body, netID) {
		t.Fatalf("WebFinger: %s", body)
	}
	if f := fetch(t, netID, "application/activity+json"); f.status != http.StatusOK || !strings.Contains(string(f.body), `"type":"Group"`) {
		t.Fatalf("actor: %d %s", f.status, f.body)
	}

	if _, err := a.Networks.AddMember(bg, net, "stgemmas"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Networks.AddMember(bg, net, "@volition@"+b.Domain); err != nil {
		t.Fatal(err)
	}
	bob := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "bob"})
	if _, err := a.Networks.AddMember(bg, net, bob.ActorID); err != nil {
		t.Fatal(err)
	}
	var follow map[string]any
	instancetest.Eventually(t, wait, "the network's Follow at bob", func() bool {
		for _, d := range bob.Received() {
			if d.Activity["type"] == "Follow" {
				follow = d.Activity
			}
		}
		return follow != nil
	})
	if out := deliver(t, a, bob, map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": bob.NewID("accepts"),
		"type": "Accept", "actor": bob.ActorID, "object": follow}); out != "applied: follow accepted" {
		t.Fatalf("bob's Accept: %s", out)
	}
	instancetest.Eventually(t, wait, "B to accept the network's follow", func() bool { return counts(t, a, net).Following == 2 })

	// A follower as strict as Mastodon.
	alice := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "alice", StrictFollows: true})
	if status, msg := alice.Send(t, a.URL+"/inbox", alice.Follow(netID)); status != http.StatusAccepted {
		t.Fatalf("follow: %d %s", status, msg)
	}
	instancetest.Eventually(t, wait, "the network to accept alice", func() bool { return counts(t, a, net).Followers == 1 })

	note := func(title string) posts.Draft {
		return posts.Draft{Kind: model.KindUpdate, Body: title + " — see you there. #HSCLeeds"}
	}
	onA, err := a.Posts.Publish(bg, hospice, note("Open day at the hospice"))
	if err != nil {
		t.Fatal(err)
	}
	onB, err := b.Posts.Publish(bg, charity, note("Volunteer fair"))
	if err != nil {
		t.Fatal(err)
	}
	idA := a.URL + "/users/stgemmas/posts/" + onA.Token
	idB := b.URL + "/users/volition/posts/" + onB.Token
	idBob := bob.ActorID + "/statuses/1"
	// bob posts publicly (twice, as a retry would), replies, posts to his
	// followers only, and boosts someone: only the first is re-shared.
	for _, act := range []map[string]any{
		wrap(bob, "Create", map[string]any{"id": idBob, "type": "Note", "content": "<p>Carers café</p>", "to": []any{asPublic}}),
		wrap(bob, "Create", map[string]any{"id": idBob, "type": "Note", "content": "<p>Carers café</p>", "to": []any{asPublic}}),
		wrap(bob, "Create", map[string]any{"id": bob.ActorID + "/statuses/2", "type": "Note", "content": "<p>Reply</p>",
			"to": []any{asPublic}, "inReplyTo": idA}),
		wrap(bob, "Create", map[string]any{"id": bob.ActorID + "/statuses/3", "type": "Note", "content": "<p>Private</p>",
			"to": []any{bob.ActorID + "/followers"}}),
		{"@context": "https://www.w3.org/ns/activitystreams", "id": bob.NewID("announces"), "type": "Announce",
			"actor": bob.ActorID, "object": idA, "to": []any{asPublic}},
	} {
		if act["type"] == "Create" { // each delivered as its own activity
			act["id"] = bob.NewID("creates")
		}
		deliver(t, a, bob, act)
	}

	instancetest.Eventually(t, wait, "Announces of the three posts", func() bool {
		m := mailOf(alice, netID)
		return m.announced[idA] >= 1 && m.announced[idB] >= 1 && m.announced[idBob] >= 1
	})

	// Edits: A's member is ours, so its own Update reaches the network's
	// followers as well as Announce{Update}; B's member's edit arrives as
	// Announce{Update}.
	if _, err := a.Posts.Edit(bg, onA, note("Open day moved to Sunday")); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Posts.Edit(bg, onB, note("Volunteer fair, now in the afternoon")); err != nil {
		t.Fatal(err)
	}
	instancetest.Eventually(t, wait, "the edits to follow through", func() bool {
		m := mailOf(alice, netID)
		return m.of["Update "+idA] == 1 && m.of["Update "+idB] == 1 && m.direct["Update "+idA] == 1
	})

	// Deletes: the network withdraws its boosts.
	if err := a.Posts.Delete(bg, onA); err != nil {
		t.Fatal(err)
	}
	if err := b.Posts.Delete(bg, onB); err != nil {
		t.Fatal(err)
	}
	instancetest.Eventually(t, wait, "the deletes to follow through", func() bool {
		m := mailOf(alice, netID)
		return m.undone[idA] == 1 && m.undone[idB] == 1 && m.of["Delete "+idA] == 1 && m.of["Delete "+idB] == 1
	})

	m := mailOf(alice, netID)
	for id, n := range m.announced {
		if id != idA && id != idB && id != idBob || n != 1 {
			t.Errorf("%d Announces of %s; want one each of the three public posts only", n, id)
		}
	}
	if len(m.announced) != 3 {
		t.Errorf("Announces of %v", m.announced)
	}
	if n := len(alice.Dropped()); n != 0 {
		t.Errorf("alice dropped %d activities", n)
	}
	if t.Failed() {
		for _, act := range m.all {
			t.Logf("alice received %s %v", act["type"], act["object"])
		}
	}
	// The outbox lists the live re-share; the followers collection counts alice.
	if f := fetch(t, netID+"/outbox?page=true", "application/activity+json"); f.status != http.StatusOK ||
		!strings.Contains(string(f.body), idBob) || strings.Contains(string(f.body), idA) {
		t.Errorf("outbox: %d %s", f.status, f.body)
	}
	if f := fetch(t, netID+"/followers", "application/activity+json"); f.status != http.StatusOK || !strings.Contains(string(f.body), `"totalItems":1`) {
		t.Errorf("followers: %d %s", f.status, f.body)
	}
	// The records: three re-shares, two of them withdrawn.
	var live int64
	live, err = a.Store.DB.NewSelect().Table("network_announces").Where("undone_at IS NULL").Count(bg)
	if err != nil || live != 1 {
		t.Errorf("live announces = %d, %v; want bob's only", live, err)
	}
}

// An organisation's Follow of the network is accepted like anyone's and
// waits as a request to join; approving it makes the network follow back.
// A person's Follow is only a follow.
func TestOrganisationAsksToJoinANetwork(t *testing.T) {
	a := instancetest.Start(t, store.SQLite)
	b := instancetest.Start(t, store.Postgres)
	charity := b.AddOrg(t, orgs.NewOrg{Username: "volition", Name: "Volition"})
	net, err := a.Networks.Create(bg, network.NewNetwork{Username: "hscleeds", Name: "#HSCLeeds"})
	if err != nil {
		t.Fatal(err)
	}
	target, err := b.Fetcher.Resolve(bg, "@hscleeds@"+a.Domain)
	if err != nil {
		t.Fatal(err)
	}
	if target.Type != model.ActorGroup {
		t.Errorf("the network resolved as a %s", target.Type)
	}
	if _, err := b.Follows.Follow(bg, charity, target); err != nil {
		t.Fatal(err)
	}
	alice := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "alice"})
	deliver(t, a, alice, alice.Follow(a.URL+"/users/hscleeds"))
	instancetest.Eventually(t, wait, "B's follow accepted", func() bool { return counts(t, b, charity).Following == 1 })
	var reqs []network.Member
	instancetest.Eventually(t, wait, "the request to join", func() bool {
		reqs, err = a.Networks.Requests(bg, net)
		return err == nil && len(reqs) == 1
	})
	if reqs[0].Actor.IRI != b.URL+"/users/volition" {
		t.Fatalf("requests = %+v", reqs[0].Actor)
	}
	if _, err := a.Networks.Approve(bg, net, "@volition@"+b.Domain); err != nil {
		t.Fatal(err)
	}
	instancetest.Eventually(t, wait, "the network following B's organisation back", func() bool {
		return counts(t, a, net).Following == 1 && counts(t, b, charity).Followers == 1
	})
	if members, _ := a.Networks.Members(bg, net); len(members) != 1 {
		t.Errorf("members = %+v", members)
	}
	if c := counts(t, a, net); c.Followers != 2 {
		t.Errorf("network followers = %+v", c)
	}
}

// An organisation on B follows a network on A and one of its members
// directly. The member's post reaches B twice (its Create, the network's
// Announce) and shows once; another member's post, which B does not follow,
// comes in through the network alone, fetched from A, and goes again when
// it is deleted. The web page shows each once.
func TestFollowedNetworkPostsShowOnce(t *testing.T) {
	a := instancetest.Start(t, store.SQLite)
	b := instancetest.Start(t, store.Postgres)
	hospice := a.AddOrg(t, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's Hospice"})
	trust := a.AddOrg(t, orgs.NewOrg{Username: "leedsth", Name: "Leeds Teaching Hospitals"})
	reader := b.AddOrg(t, orgs.NewOrg{Username: "reader", Name: "Reader"})
	net, err := a.Networks.Create(bg, network.NewNetwork{Username: "hscleeds", Name: "#HSCLeeds"})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"stgemmas", "leedsth"} {
		if _, err := a.Networks.AddMember(bg, net, m); err != nil {
			t.Fatal(err)
		}
	}
	for _, handle := range []string{"@hscleeds@" + a.Domain, "@stgemmas@" + a.Domain} {
		target, err := b.Fetcher.Resolve(bg, handle)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.Follows.Follow(bg, reader, target); err != nil {
			t.Fatal(err)
		}
	}
	instancetest.Eventually(t, wait, "both follows accepted", func() bool { return counts(t, b, reader).Following == 2 })

	direct, err := a.Posts.Publish(bg, hospice, posts.Draft{Kind: model.KindUpdate, Body: "Open day on Saturday zq1direct"})
	if err != nil {
		t.Fatal(err)
	}
	viaNet, err := a.Posts.Publish(bg, trust, posts.Draft{Kind: model.KindUpdate, Body: "New ward opens zq1network"})
	if err != nil {
		t.Fatal(err)
	}
	idDirect, idNet := a.URL+"/users/stgemmas/posts/"+direct.Token, a.URL+"/users/leedsth/posts/"+viaNet.Token
	shown := func(iri string) int {
		n := 0
		for _, p := range timeline(t, b) {
			if p.IRI == iri {
				n++
			}
		}
		return n
	}
	instancetest.Eventually(t, wait, "both posts on B's timeline", func() bool { return shown(idDirect) == 1 && shown(idNet) == 1 })
	// Both boosts are counted, which shows the Announces were applied.
	instancetest.Eventually(t, wait, "the network's Announces applied on B", func() bool {
		n, err := b.Store.DB.NewSelect().Table("interactions").Where("type = ?", model.InteractionAnnounce).Count(bg)
		return err == nil && n == 2
	})
	for _, iri := range []string{idDirect, idNet} {
		var rows int64
		rows, err = b.Store.DB.NewSelect().Table("posts").Where("iri = ?", iri).Count(bg)
		if err != nil || rows != 1 || shown(iri) != 1 {
			t.Errorf("%s: %d rows, shown %d times (%v)", iri, rows, shown(iri), err)
		}
	}
	if _, body := get(t, b.URL+"/"); strings.Count(body, "zq1direct") != 1 || strings.Count(body, "zq1network") != 1 {
		t.Errorf("B's home page shows zq1direct %d and zq1network %d times", strings.Count(body, "zq1direct"), strings.Count(body, "zq1network"))
	}

	if err := a.Posts.Delete(bg, viaNet); err != nil {
		t.Fatal(err)
	}
	instancetest.Eventually(t, wait, "the delete on B", func() bool { return shown(idNet) == 0 })
}
