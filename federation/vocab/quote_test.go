package vocab

import (
	"errors"
	"testing"
)

const mBob = "https://mastodon.example/users/bob"

func init() {
	// Mastodon 4.5's QuoteRequest: ParseActivity reads the generic parts,
	// ParseQuoteRequest the embedded instrument.
	activityFixtures["mastodon_quote_request.json"] = func(t *testing.T, a *Activity) {
		eq(t, "Type", a.Type, "QuoteRequest")
		eq(t, "Actor", a.Actor, mBob)
		q, err := ParseQuoteRequest(a)
		if err != nil {
			t.Fatal(err)
		}
		want := sampleQuoteRequest()
		want.Embedded, want.InstrumentAuthor, want.InstrumentQuotes = true, mBob, want.Object
		eq(t, "QuoteRequest", *q, want)
	}
}

func sampleQuoteRequest() QuoteRequest {
	return QuoteRequest{
		ID: mBob + "/quote_requests/6f1c2b7e-3d4a-4b7b-9a51-2f0e8c6d1a90", Actor: mBob,
		Object:     "https://leeds.commonplace.example/users/hscleeds/posts/01JS2K7V9C",
		Instrument: mBob + "/statuses/115023",
	}
}

// Mastodon 4.5 offers its Quote button on a post whose interactionPolicy
// lets the public quote it; the terms must be defined as Mastodon defines
// them (GoToSocial's namespace, IRIs typed @id) or JSON-LD readers drop them.
func TestPostAdvertisesQuotePolicy(t *testing.T) {
	m := decodeMap(t, must(MarshalPost(sampleArticle())))
	policy, _ := m["interactionPolicy"].(map[string]any)
	canQuote, _ := policy["canQuote"].(map[string]any)
	eq[any](t, "canQuote.automaticApproval", canQuote["automaticApproval"], []any{PublicIRI})
	if _, ok := canQuote["manualApproval"]; ok {
		t.Error("manualApproval is written, but nothing here is approved by hand")
	}
	ctx := m["@context"].([]any)[2].(map[string]any)
	eq[any](t, "gts", ctx["gts"], GoToSocialNS)
	for _, term := range []string{"interactionPolicy", "canQuote", "automaticApproval"} {
		eq[any](t, term, ctx[term], map[string]any{"@id": "gts:" + term, "@type": "@id"})
	}

	p := sampleArticle()
	p.CanQuote = nil
	if _, ok := decodeMap(t, must(MarshalPost(p)))["interactionPolicy"]; ok {
		t.Error("a post without a quote policy advertises one")
	}
}

func TestQuoteAnswers(t *testing.T) {
	req := sampleQuoteRequest()
	stamp := cpOrg + "/quote_authorizations/9f2"
	accept := decodeMap(t, must(MarshalQuoteAnswer(QuoteAnswer{Verb: "Accept", ID: cpOrg + "/activities/1", Actor: cpOrg, Request: req, Result: stamp})))
	eq[any](t, "type", accept["type"], "Accept")
	eq[any](t, "to", accept["to"], []any{mBob})
	eq[any](t, "result", accept["result"], stamp)
	eq[any](t, "object", accept["object"], map[string]any{"id": req.ID, "type": "QuoteRequest", "actor": mBob,
		"object": req.Object, "instrument": req.Instrument})
	if ctx := accept["@context"].([]any)[2].(map[string]any); ctx["QuoteRequest"] != FEP044fNS+"QuoteRequest" {
		t.Errorf("QuoteRequest = %v in the context", ctx["QuoteRequest"])
	}

	reject := decodeMap(t, must(MarshalQuoteAnswer(QuoteAnswer{Verb: "Reject", ID: cpOrg + "/activities/2", Actor: cpOrg, Request: req})))
	if _, ok := reject["result"]; ok || reject["type"] != "Reject" {
		t.Errorf("reject = %v", reject)
	}
	for _, bad := range []QuoteAnswer{
		{Verb: "Accept", ID: cpOrg + "/activities/3", Actor: cpOrg, Request: req},                // no stamp
		{Verb: "Reject", ID: cpOrg + "/activities/4", Actor: cpOrg, Request: req, Result: stamp}, // a stamp on a refusal
		{Verb: "Undo", ID: cpOrg + "/activities/5", Actor: cpOrg, Request: req},
	} {
		if _, err := MarshalQuoteAnswer(bad); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s with result %q: err = %v, want ErrInvalid", bad.Verb, bad.Result, err)
		}
	}
}

// The stamp names both posts and its author and embeds neither post.
func TestQuoteAuthorizationDocument(t *testing.T) {
	req := sampleQuoteRequest()
	m := decodeMap(t, must(MarshalQuoteAuthorization(QuoteAuthorization{ID: cpOrg + "/quote_authorizations/9f2",
		AttributedTo: cpOrg, InteractingObject: req.Instrument, InteractionTarget: req.Object})))
	eq[any](t, "type", m["type"], "QuoteAuthorization")
	eq[any](t, "attributedTo", m["attributedTo"], cpOrg)
	eq[any](t, "interactingObject", m["interactingObject"], req.Instrument)
	eq[any](t, "interactionTarget", m["interactionTarget"], req.Object)
	ctx := m["@context"].([]any)[2].(map[string]any)
	eq[any](t, "QuoteAuthorization", ctx["QuoteAuthorization"], FEP044fNS+"QuoteAuthorization")
	eq[any](t, "interactingObject", ctx["interactingObject"], map[string]any{"@id": "gts:interactingObject", "@type": "@id"})
}

func TestQuoteRequestNeedsObjectAndInstrument(t *testing.T) {
	a, err := ParseActivity([]byte(`{"id":"` + mBob + `/quote_requests/1","type":"QuoteRequest","actor":"` + mBob +
		`","object":"https://leeds.commonplace.example/users/hscleeds/posts/1"}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseQuoteRequest(a); !errors.Is(err, ErrInvalid) {
		t.Errorf("a QuoteRequest without instrument: err = %v, want ErrInvalid", err)
	}
}
