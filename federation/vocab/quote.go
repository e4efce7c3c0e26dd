package vocab

import (
	"fmt"
)

// FEP-044f (consent-respecting quote posts) names its types and the quote
// property under this prefix; the policy and stamp properties come from
// GoToSocial's namespace, which the FEP adopts.
const (
	FEP044fNS    = "https://w3id.org/fep/044f#"
	GoToSocialNS = "https://gotosocial.org/ns#"
)

// quoteProps are the properties a quote post may name its quoted object
// with: FEP-044f's own first, then the older ones it lists for
// compatibility.
var quoteProps = []string{"quote", "quoteUrl", "quoteUri", "_misskey_quote"}

// QuoteRequest is an incoming request to quote one of our posts.
type QuoteRequest struct {
	ID, Actor string
	// Object is the post to be quoted.
	Object string
	// Instrument is the quote post. When it was embedded, InstrumentAuthor
	// and InstrumentQuotes are read from it; otherwise they are empty.
	Instrument       string
	InstrumentAuthor string
	InstrumentQuotes string
	Embedded         bool
}

// ParseQuoteRequest reads the FEP-044f parts of an already parsed activity:
// go-fed does not model instrument as we need it, so it is read from the raw
// bytes. Mastodon sends the instrument as an IRI or embeds the Note.
func ParseQuoteRequest(a *Activity) (*QuoteRequest, error) {
	m, err := decodeObject(a.Raw)
	if err != nil {
		return nil, fmt.Errorf("vocab: parse quote request: %w", err)
	}
	q := &QuoteRequest{ID: a.ID, Actor: a.Actor, Object: a.ObjectIRI, Instrument: ref(m["instrument"])}
	if !isHTTPURL(q.Object) || !isHTTPURL(q.Instrument) {
		return nil, fmt.Errorf("vocab: parse quote request %s: %w: object %q and instrument %q must be absolute http(s) URLs",
			a.ID, ErrInvalid, q.Object, q.Instrument)
	}
	if inst := embedded(m["instrument"]); inst != nil {
		q.Embedded = true
		q.InstrumentAuthor = ref(inst["attributedTo"])
		for _, p := range quoteProps {
			if s := ref(inst[p]); s != "" {
				q.InstrumentQuotes = s
				break
			}
		}
	}
	return q, nil
}

// QuoteAnswer is an Accept or Reject of a QuoteRequest. The request is
// repeated whole (id, actor, object, instrument) as FEP-044f shows, so the
// requester can match it without keeping the id.
type QuoteAnswer struct {
	Verb, ID, Actor string
	Request         QuoteRequest
	// Result is the approval stamp's id; set on an Accept only.
	Result string
}

// MarshalQuoteAnswer renders the Accept or Reject, addressed to the
// requester.
func MarshalQuoteAnswer(a QuoteAnswer) ([]byte, error) {
	if a.Verb != "Accept" && a.Verb != "Reject" {
		return nil, fmt.Errorf("vocab: %w: %q is not an answer to a QuoteRequest", ErrInvalid, a.Verb)
	}
	if (a.Verb == "Accept") != (a.Result != "") {
		return nil, fmt.Errorf("vocab: marshal %s %s: %w: an Accept, and only an Accept, has a result", a.Verb, a.ID, ErrInvalid)
	}
	r := a.Request
	if _, err := parseIRIs(map[string]string{"id": a.ID, "actor": a.Actor, "request": r.ID, "requester": r.Actor,
		"object": r.Object, "instrument": r.Instrument}, map[string]string{"result": a.Result}); err != nil {
		return nil, fmt.Errorf("vocab: marshal %s %s: %w", a.Verb, a.ID, err)
	}
	m := map[string]any{
		"id": a.ID, "type": a.Verb, "actor": a.Actor, "to": []any{r.Actor},
		"object": map[string]any{"id": r.ID, "type": "QuoteRequest", "actor": r.Actor, "object": r.Object, "instrument": r.Instrument},
	}
	if a.Result != "" {
		m["result"] = a.Result
	}
	return finish(m)
}

// QuoteAuthorization is an approval stamp, served at its own id so that
// anyone shown the quote can check it. It names the quote post but never
// embeds it (FEP-044f: that could leak a post to those not meant to see it).
type QuoteAuthorization struct {
	ID, AttributedTo  string
	InteractingObject string // the quote post
	InteractionTarget string // our post that it quotes
}

// MarshalQuoteAuthorization renders a stamp.
func MarshalQuoteAuthorization(q QuoteAuthorization) ([]byte, error) {
	if _, err := parseIRIs(map[string]string{"id": q.ID, "attributedTo": q.AttributedTo,
		"interactingObject": q.InteractingObject, "interactionTarget": q.InteractionTarget}, nil); err != nil {
		return nil, fmt.Errorf("vocab: marshal quote authorization %s: %w", q.ID, err)
	}
	return finish(map[string]any{
		"id": q.ID, "type": "QuoteAuthorization", "attributedTo": q.AttributedTo,
		"interactingObject": q.InteractingObject, "interactionTarget": q.InteractionTarget,
	})
}

// quotePolicy is the interactionPolicy advertising who may quote a post
// without asking first. The policy is advisory (FEP-044f): it tells
// Mastodon to offer its Quote button; the stamp is what proves consent.
func quotePolicy(automatic []string) map[string]any {
	list := make([]any, len(automatic))
	for i, s := range automatic {
		list[i] = s
	}
	return map[string]any{"canQuote": map[string]any{"automaticApproval": list}}
}
