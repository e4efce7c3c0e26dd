package network_test

import (
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/iri"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/network"
	"github.com/commonplace-social/commonplace/internal/posts"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// Posts published through the Resharer are announced once by each network
// of their author; the edit adds Announce{Update} and the author's Update
// goes to the network's followers too; the delete withdraws the Announce.
// A non-member's posts pass through untouched.
func TestResharerFollowsThrough(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		svc, _, far := setup(t, st)
		net, err := svc.Create(ctx, network.NewNetwork{Username: "hscleeds", Name: "#HSCLeeds"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AddMember(ctx, net, "stgemmas"); err != nil {
			t.Fatal(err)
		}
		// A follower of the network, whose inbox the author's Update must reach.
		if err := st.InsertFollow(ctx, st.DB, &model.Follow{FollowerID: far.ID, FolloweeID: net.ID,
			ActivityIRI: far.IRI + "#follow", State: model.FollowAccepted}); err != nil {
			t.Fatal(err)
		}
		out := &sent{}
		layout := iri.New("https://hospice.example")
		ps := &posts.Service{Store: st, Layout: layout, Send: &network.Resharer{Next: out, Store: st, Layout: layout}}
		org := mustLocal(t, st, "stgemmas")
		p, err := ps.Publish(ctx, org, posts.Draft{Kind: model.KindUpdate, Body: "Open day on Saturday"})
		if err != nil {
			t.Fatal(err)
		}
		postID := layout.Post("stgemmas", p.Token)
		if got := describe(out); got != "[Create by stgemmas, Announce by hscleeds of "+postID+"]" {
			t.Errorf("publish sent %s", got)
		}
		// A repeated Create (a retried job) is not announced again.
		out.out = nil
		if err := st.InTx(ctx, func(tx bun.Tx) error {
			return (&network.Resharer{Next: out, Store: st, Layout: layout}).SendTx(ctx, tx,
				model.Outgoing{ID: postID + "#create", Type: "Create", Actor: org, Post: p, ToFollowers: true})
		}); err != nil {
			t.Fatal(err)
		}
		if got := describe(out); got != "[Create by stgemmas]" {
			t.Errorf("a second Create sent %s", got)
		}

		out.out = nil
		if _, err := ps.Edit(ctx, p, posts.Draft{Body: "Open day moved to Sunday"}); err != nil {
			t.Fatal(err)
		}
		if got := describe(out); got != "[Update by stgemmas, Announce by hscleeds of Update "+postID+"]" {
			t.Errorf("edit sent %s", got)
		}
		if in := out.out[0].Inboxes; len(in) != 1 || in[0] != far.Inbox {
			t.Errorf("the author's Update went to extra inboxes %v; want the network follower's", in)
		}

		out.out = nil
		if err := ps.Delete(ctx, p); err != nil {
			t.Fatal(err)
		}
		if got := describe(out); got != "[Delete by stgemmas, Announce by hscleeds of Delete "+postID+", Undo by hscleeds of "+postID+"]" {
			t.Errorf("delete sent %s", got)
		}

		// Not a member: nothing more than its own Create.
		out.out = nil
		other, err := svc.Create(ctx, network.NewNetwork{Username: "elsewhere", Name: "Elsewhere"})
		if err != nil || other == nil {
			t.Fatal(err)
		}
		if _, err := svc.RemoveMember(ctx, net, "stgemmas"); err != nil {
			t.Fatal(err)
		}
		if _, err := ps.Publish(ctx, org, posts.Draft{Kind: model.KindUpdate, Body: "After leaving"}); err != nil {
			t.Fatal(err)
		}
		if got := describe(out); got != "[Create by stgemmas]" {
			t.Errorf("a non-member's post sent %s", got)
		}
	})
}

// describe lists what was sent as "Type by actor [of object]".
func describe(s *sent) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, o := range s.out {
		d := o.Type + " by " + o.Actor.Username
		if a := o.Announce; a != nil {
			d += " of "
			if a.Activity != nil {
				d += a.Activity.Type + " "
			}
			d += a.Object
		}
		out = append(out, d)
	}
	return "[" + strings.Join(out, ", ") + "]"
}
