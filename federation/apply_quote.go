package federation

import (
	"context"

	"github.com/commonplace-social/commonplace/federation/transport"
	"github.com/commonplace-social/commonplace/federation/vocab"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/posts"
)

// applyQuoteRequest answers a FEP-044f QuoteRequest for one of our posts.
// The quote post must be the sender's own: on its server and, when
// embedded, attributed to it and quoting the post it asks about. Otherwise
// anyone could obtain a stamp approving someone else's post as a quote.
func (s *Server) applyQuoteRequest(ctx context.Context, act *vocab.Activity) (string, error) {
	q, err := vocab.ParseQuoteRequest(act)
	if err != nil {
		return "", model.Errorf(model.EInvalid, "unusable QuoteRequest: %v", err)
	}
	if !transport.SameOrigin(q.Instrument, act.Actor) {
		return "", model.Errorf(model.EInvalid, "the quote post %s is not on the sender's server", q.Instrument)
	}
	if q.Embedded && q.InstrumentAuthor != act.Actor {
		return "", model.Errorf(model.EInvalid, "the quote post is attributed to %s, not to the sender", q.InstrumentAuthor)
	}
	if q.Embedded && q.InstrumentQuotes != "" && q.InstrumentQuotes != q.Object {
		return "", model.Errorf(model.EInvalid, "the quote post quotes %s, not %s", q.InstrumentQuotes, q.Object)
	}
	requester, err := s.Fetcher.Actor(ctx, act.Actor)
	if err != nil {
		return "", err
	}
	return s.Posts.ReceiveQuoteRequest(ctx, requester, posts.QuoteRequest{ID: q.ID, Object: q.Object, Instrument: q.Instrument})
}

// marshalQuoteAnswer writes the Accept or Reject of a QuoteRequest.
func marshalQuoteAnswer(out model.Outgoing, actor string) ([]byte, error) {
	r := out.QuoteRequest
	return vocab.MarshalQuoteAnswer(vocab.QuoteAnswer{
		Verb: out.Type, ID: out.ID, Actor: actor, Result: r.Result,
		Request: vocab.QuoteRequest{ID: r.ID, Actor: r.Actor, Object: r.Object, Instrument: r.Instrument},
	})
}
