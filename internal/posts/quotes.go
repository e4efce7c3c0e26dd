package posts

import (
	"context"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// QuoteRequest is a remote actor's request to quote one of our posts
// (FEP-044f), already checked by the federation layer: the quote post is
// the requester's own.
type QuoteRequest struct {
	ID         string // the QuoteRequest activity's id
	Object     string // the post to quote
	Instrument string // the quote post
}

// ReceiveQuoteRequest answers a request to quote one of our posts. Every
// post we publish is public and says the public may quote it, so a request
// for a live post is accepted with a stamp the quoting server can show;
// a request for a deleted or unknown post of one of our organisations is
// rejected, as FEP-044f asks. A request for anything not ours is ignored:
// we are not the authority for it.
func (s *Service) ReceiveQuoteRequest(ctx context.Context, requester *model.Actor, req QuoteRequest) (string, error) {
	username, token, ok := s.Layout.PostToken(req.Object)
	if !ok {
		return "ignored: quote request for a post not on this instance", nil
	}
	org, err := s.Store.LocalActor(ctx, username)
	if errors.Is(err, store.ErrNotFound) {
		return "ignored: quote request for an organisation not on this instance", nil
	}
	if err != nil {
		return "", err
	}
	ref := model.QuoteRequestRef{ID: req.ID, Actor: requester.IRI, Object: req.Object, Instrument: req.Instrument}
	p, err := s.Store.PostByToken(ctx, token)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return "", err
	}
	if err != nil || !p.Local || p.AuthorID != org.ID || p.Deleted() {
		// The same answer whether the post never existed or was deleted.
		err := s.Store.InTx(ctx, func(tx bun.Tx) error { return s.answerQuote(ctx, tx, "Reject", org, requester, ref) })
		if err != nil {
			return "", fmt.Errorf("reject quote request %s: %w", req.ID, err)
		}
		return "applied: quote rejected, no such post", nil
	}
	err = s.Store.InTx(ctx, func(tx bun.Tx) error {
		stamp, err := s.Store.PutQuoteAuthorization(ctx, tx, &model.QuoteAuthorization{
			Token: newToken(), PostID: p.ID, ActorID: requester.ID, QuotingIRI: req.Instrument, RequestIRI: req.ID,
		})
		if err != nil {
			return err
		}
		if stamp.ActorID != requester.ID {
			return model.Errorf(model.EInvalid, "%s was approved as a quote for another actor", req.Instrument)
		}
		ref.Result = s.Layout.QuoteAuthorization(org.Username, stamp.Token)
		return s.answerQuote(ctx, tx, "Accept", org, requester, ref)
	})
	if err != nil {
		return "", fmt.Errorf("accept quote request %s: %w", req.ID, err)
	}
	return "applied: quote accepted", nil
}

// answerQuote sends Accept or Reject of a QuoteRequest to the requester.
func (s *Service) answerQuote(ctx context.Context, tx bun.Tx, verb string, org, requester *model.Actor, ref model.QuoteRequestRef) error {
	return s.Send.SendTx(ctx, tx, model.Outgoing{
		ID: s.Layout.NewActivityID(org), Type: verb, Actor: org,
		QuoteRequest: &ref, To: []*model.Actor{requester},
	})
}

// QuoteAuthorization loads a stamp of one of our organisations' posts, for
// serving at its id. A stamp for a post since deleted is not found.
func (s *Service) QuoteAuthorization(ctx context.Context, username, token string) (*model.QuoteAuthorization, error) {
	q, err := s.Store.QuoteAuthorizationByToken(ctx, token)
	if errors.Is(err, store.ErrNotFound) || err == nil && (q.Post == nil || q.Post.Author == nil || q.Post.Author.Username != username || q.Post.Deleted()) {
		return nil, model.Errorf(model.ENotFound, "no such quote authorization")
	}
	if err != nil {
		return nil, err
	}
	return q, nil
}
