package vocab

import (
	"encoding/json"
	stdmaps "maps"
)

// IRIs of the vocabularies our documents use. Every document declares the
// first two by IRI; the others are reached through terms in contextTerms.
const (
	ActivityStreamsNS = "https://www.w3.org/ns/activitystreams"
	SecurityNS        = "https://w3id.org/security/v1"
	// PublicIRI is the special collection that addresses a post to everyone.
	PublicIRI = ActivityStreamsNS + "#Public"
	// CommonplaceNS is the namespace of our own terms (kind, topic).
	CommonplaceNS = "https://commonplace.social/ns#"
	// FEP8a8eNS is the namespace FEP-8a8e (events) defines its terms in.
	FEP8a8eNS = "https://w3id.org/fep/8a8e/"
)

// contextTerms defines every extension term this package writes. go-fed's own
// @context only lists the vocabularies it knows and defines none of these, so
// JSON-LD consumers would drop them. Add a term here in the same change that
// starts emitting it; TestContextDefinesEveryTerm checks the post documents.
//
// schema is mapped to "http://schema.org#" as Mastodon and Mobilizon do: that
// IRI is not schema.org's canonical one, but it is what Mastodon-compatible
// JSON-LD consumers expand PropertyValue and PostalAddress to.
//
// timezone, joinMode and externalParticipationUrl take FEP-8a8e's IRIs: the
// FEP adopts Mobilizon's names (whose own context maps them to mz:), and
// readers match on the names.
//
// interactionPolicy, canQuote, automaticApproval, manualApproval,
// interactingObject and interactionTarget are GoToSocial's, as FEP-044f and
// Mastodon 4.5 use them; QuoteRequest and QuoteAuthorization are the FEP's
// own types. The properties whose values are IRIs are typed @id, as
// Mastodon defines them, so JSON-LD readers expand them as references.
//
// commonplace is our own namespace, for the two terms no vocabulary has:
// kind (meetup_note, guidance, event, update), so another Commonplace files a
// post as its author did, and topic, a guidance post's topic. Keep it stable:
// changing the IRI changes the meaning of every post already sent.
var contextTerms = map[string]any{
	"manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
	"sensitive":                 "as:sensitive",
	"Hashtag":                   "as:Hashtag",
	"toot":                      "http://joinmastodon.org/ns#",
	"discoverable":              "toot:discoverable",
	"indexable":                 "toot:indexable",
	"featured":                  idTerm("toot:featured"),
	"attributionDomains":        idTerm("toot:attributionDomains"),
	"schema":                    "http://schema.org#",
	"PropertyValue":             "schema:PropertyValue",
	"value":                     "schema:value",
	"PostalAddress":             "schema:PostalAddress",
	"address":                   "schema:address",
	"streetAddress":             "schema:streetAddress",
	"addressLocality":           "schema:addressLocality",
	"postalCode":                "schema:postalCode",
	"addressRegion":             "schema:addressRegion",
	"addressCountry":            "schema:addressCountry",
	"timezone":                  FEP8a8eNS + "timezone",
	"joinMode":                  FEP8a8eNS + "joinMode",
	"externalParticipationUrl":  FEP8a8eNS + "externalParticipationUrl",
	"gts":                       GoToSocialNS,
	"interactionPolicy":         idTerm("gts:interactionPolicy"),
	"canQuote":                  idTerm("gts:canQuote"),
	"automaticApproval":         idTerm("gts:automaticApproval"),
	"manualApproval":            idTerm("gts:manualApproval"),
	"interactingObject":         idTerm("gts:interactingObject"),
	"interactionTarget":         idTerm("gts:interactionTarget"),
	"QuoteRequest":              FEP044fNS + "QuoteRequest",
	"QuoteAuthorization":        FEP044fNS + "QuoteAuthorization",
	"commonplace":               CommonplaceNS,
	"kind":                      "commonplace:kind",
	"topic":                     "commonplace:topic",
}

// contextJSON is Context() encoded once: it is the same for every document.
var contextJSON = mustMarshal(Context())

// Context returns the @context written at the top of every document we serve.
// It is a fresh value on each call so a caller cannot alter what others send.
func Context() []any {
	terms := make(map[string]any, len(contextTerms))
	for k, v := range contextTerms {
		if def, ok := v.(map[string]any); ok {
			v = stdmaps.Clone(def)
		}
		terms[k] = v
	}
	return []any{ActivityStreamsNS, SecurityNS, terms}
}

func mustMarshal(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic("vocab: cannot encode @context: " + err.Error())
	}
	return b
}

// idTerm defines a term whose values are IRIs, not strings.
func idTerm(iri string) map[string]any {
	return map[string]any{"@id": iri, "@type": "@id"}
}
