package network

import (
	"context"
	"fmt"
	"slices"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/iri"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// How a member's post reaches a network's followers (FEP-1b12, checked
// against what Mastodon and GoToSocial really do):
//
//   - Published: each network sends Announce{object: the post's id}, which
//     every server shows as a boost and which brings in the original.
//   - Edited: the network sends Announce{Update} for FEP-1b12 readers
//     (Lemmy, Friendica). Mastodon and GoToSocial ignore an Announce of an
//     activity, and both apply an Update only from the post's author
//     (GoToSocial takes one from anyone else as a hint to re-fetch, but
//     only once its copy is two hours old). So a LOCAL member's own,
//     author-signed Update is also delivered to its networks' followers.
//     For a remote member we hold no key: its server must send the Update
//     itself. A Commonplace member's server does, to the post's readers
//     (the servers that fetched it with a signature, as each follower's
//     server did on the boost; see posts.Service.Edit).
//   - Deleted: the network withdraws its boost with Undo{Announce}, which
//     both take off the timeline, and sends Announce{Delete} for FEP-1b12
//     readers; a local member's Delete also goes to the networks'
//     followers, which removes the original itself (a remote Commonplace
//     member's goes to the post's readers).
//
// Only public top-level posts are re-shared: comments and replies never,
// Announces never (a network in a network must not loop), and each post at
// most once per network (network_announces).

// Resharer is the Sender our organisations' posts go out through. It passes
// every activity on and, when a member of networks publishes, edits or
// deletes a post, has each network follow through in the same transaction.
type Resharer struct {
	Next   model.Sender
	Store  *store.Store
	Layout iri.Layout
}

// SendTx implements model.Sender.
func (r *Resharer) SendTx(ctx context.Context, tx bun.Tx, out model.Outgoing) error {
	p, org := out.Post, out.Actor
	if p == nil || org == nil || !org.Local || org.Type != model.ActorOrganization || !reshareable(p) ||
		!slices.Contains([]string{"Create", "Update", "Delete"}, out.Type) {
		return r.Next.SendTx(ctx, tx, out)
	}
	nets, err := r.Store.NetworksOfMemberTx(ctx, tx, org.ID)
	if err != nil || len(nets) == 0 {
		if err != nil {
			return err
		}
		return r.Next.SendTx(ctx, tx, out)
	}
	if out.Type != "Create" {
		// The author's own Update or Delete is what Mastodon and GoToSocial
		// act on, so the networks' followers get it too.
		ids := make([]int64, len(nets))
		for i, n := range nets {
			ids[i] = n.ID
		}
		inboxes, err := r.Store.NetworkFollowerInboxes(ctx, tx, ids)
		if err != nil {
			return err
		}
		out.Inboxes = append(out.Inboxes, inboxes...)
	}
	if err := r.Next.SendTx(ctx, tx, out); err != nil {
		return err
	}
	return followThrough(ctx, tx, r.Store, r.Layout, r.Next, nets, r.Layout.Post(org.Username, p.Token),
		&model.ActivityRef{ID: out.ID, Type: out.Type, Actor: r.Layout.IDOf(org)})
}

// ReshareRemote has the networks a remote member belongs to follow through
// on one of its activities (Create, Update or Delete) about a post. The
// federation layer calls it once the activity is applied; p is our copy.
func (s *Service) ReshareRemote(ctx context.Context, author *model.Actor, p *model.Post, activity model.ActivityRef) error {
	if author.Local || p == nil || p.IRI == "" || !reshareable(p) {
		return nil
	}
	nets, err := s.Store.NetworksOfMember(ctx, author.ID)
	if err != nil || len(nets) == 0 {
		return err
	}
	return s.Store.InTx(ctx, func(tx bun.Tx) error {
		return followThrough(ctx, tx, s.Store, s.Layout, s.Send, nets, p.IRI, &activity)
	})
}

// reshareable is a top-level post of one of the published kinds: never a
// comment or reply. (Local posts are always public; the federation layer
// drops remote posts that are not before they reach here.)
func reshareable(p *model.Post) bool {
	return p.InReplyTo == "" && p.ThreadRootID == 0 && slices.Contains(model.PublishedKinds, p.Kind)
}

// followThrough sends each network's Announce of a new post, or its
// Announce of an edit, or withdraws its Announce of a deleted post.
func followThrough(ctx context.Context, tx bun.Tx, st *store.Store, l iri.Layout, send model.Sender, nets []*model.Actor, objectIRI string, act *model.ActivityRef) error {
	if act.Type == "Create" {
		for _, n := range nets {
			id := l.NewActivityID(n)
			fresh, err := st.RecordNetworkAnnounce(ctx, tx, &model.NetworkAnnounce{NetworkID: n.ID, ObjectIRI: objectIRI, ActivityIRI: id})
			if err != nil {
				return err
			}
			if !fresh {
				continue // announced before: never twice
			}
			if err := send.SendTx(ctx, tx, model.Outgoing{ID: id, Type: "Announce", Actor: n,
				Announce: &model.AnnounceRef{Object: objectIRI}, ToFollowers: true}); err != nil {
				return fmt.Errorf("network %s announces %s: %w", n.Username, objectIRI, err)
			}
		}
		return nil
	}
	live, err := st.LiveNetworkAnnounces(ctx, tx, objectIRI)
	if err != nil {
		return err
	}
	for _, a := range live {
		i := slices.IndexFunc(nets, func(n *model.Actor) bool { return n.ID == a.NetworkID })
		if i < 0 {
			continue // the member left that network; its boost stays as it was
		}
		n := nets[i]
		if err := send.SendTx(ctx, tx, model.Outgoing{ID: l.NewActivityID(n), Type: "Announce", Actor: n,
			Announce: &model.AnnounceRef{Object: objectIRI, Activity: act}, ToFollowers: true}); err != nil {
			return fmt.Errorf("network %s announces the %s of %s: %w", n.Username, act.Type, objectIRI, err)
		}
		if act.Type != "Delete" {
			continue
		}
		if err := send.SendTx(ctx, tx, model.Outgoing{ID: l.NewActivityID(n), Type: "Undo", Actor: n,
			Announce: &model.AnnounceRef{ID: a.ActivityIRI, Object: objectIRI}, ToFollowers: true}); err != nil {
			return fmt.Errorf("network %s withdraws its announce of %s: %w", n.Username, objectIRI, err)
		}
		if err := st.MarkNetworkAnnounceUndone(ctx, tx, a.ID); err != nil {
			return err
		}
	}
	return nil
}

// joiningTypes are the actor types whose Follow of a network is also a
// request to join it: organisations and the other non-person accounts.
var joiningTypes = []string{model.ActorOrganization, model.ActorGroup, model.ActorService, model.ActorApplication}

// ReceiveFollow records a request to join when an organisation (rather than
// a person) follows the network; the follow itself is handled as any other.
// requested is true when a new request was recorded.
func (s *Service) ReceiveFollow(ctx context.Context, network, follower *model.Actor) (requested bool, err error) {
	if network.Type != model.ActorGroup || !network.Local || follower.Local || !slices.Contains(joiningTypes, follower.Type) {
		return false, nil
	}
	return s.Store.AddNetworkMember(ctx, s.Store.DB, network.ID, follower.ID, model.NetworkStateRequested)
}
