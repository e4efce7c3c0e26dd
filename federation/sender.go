package federation

import (
	"context"
	"fmt"
	"net/url"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/federation/vocab"
	"github.com/commonplace-social/commonplace/internal/iri"
	"github.com/commonplace-social/commonplace/internal/model"
)

// Enqueuer queues one activity for delivery, inside a transaction.
type Enqueuer interface {
	EnqueueTx(ctx context.Context, tx bun.Tx, sender *model.Actor, activity []byte, toFollowers bool, inboxes []string) error
}

// Outbox turns the use cases' outgoing activities into ActivityStreams JSON
// and queues them for delivery. It implements follows.Sender.
type Outbox struct {
	Layout  iri.Layout
	Deliver Enqueuer
}

// SendTx serialises the activity now, so what is delivered is what was true
// when it happened, and queues it in the caller's transaction.
func (o *Outbox) SendTx(ctx context.Context, tx bun.Tx, out model.Outgoing) error {
	body, err := o.marshal(out)
	if err != nil {
		return fmt.Errorf("send %s: %w", out.Type, err)
	}
	var inboxes []string
	for _, to := range out.To {
		if to.Local || to.Inbox == "" {
			continue
		}
		inboxes = append(inboxes, to.Inbox)
	}
	inboxes = append(inboxes, out.Inboxes...)
	return o.Deliver.EnqueueTx(ctx, tx, out.Actor, body, out.ToFollowers, inboxes)
}

func (o *Outbox) marshal(out model.Outgoing) ([]byte, error) {
	actor := o.Layout.IDOf(out.Actor)
	switch {
	case out.Follow != nil && out.Type == "Follow":
		return vocab.MarshalFollow(vocab.Follow(*out.Follow))
	case out.Follow != nil:
		return vocab.MarshalFollowAnswer(out.Type, out.ID, actor, vocab.Follow(*out.Follow))
	case out.Announce != nil:
		return marshalAnnounce(o.Layout, out, actor)
	case out.QuoteRequest != nil:
		return marshalQuoteAnswer(out, actor)
	case out.ActorObject != nil && out.Type == "Update":
		return vocab.MarshalUpdateActor(out.ID, ActorDocument(o.Layout, out.ActorObject))
	case out.Post != nil && out.Type == "Delete":
		p := out.Post
		return vocab.MarshalDelete(out.ID, actor, o.Layout.Post(p.Author.Username, p.Token), p.APType, p.DeletedAt,
			[]string{vocab.PublicIRI}, []string{o.Layout.Followers(p.Author.Username)})
	case out.Post != nil && out.Type == "Create":
		return vocab.MarshalCreate(out.ID, actor, PostDocument(o.Layout, out.Post, nil))
	case out.Post != nil && out.Type == "Update":
		return vocab.MarshalUpdate(out.ID, actor, PostDocument(o.Layout, out.Post, nil))
	}
	return nil, fmt.Errorf("no way to write a %s of this object", out.Type)
}

func hostFromURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	return u.Host
}
