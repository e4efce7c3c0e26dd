package vocab

import "encoding/json"

// IRIs of the two vocabularies every document we serve declares.
const (
	ActivityStreamsNS = "https://www.w3.org/ns/activitystreams"
	SecurityNS        = "https://w3id.org/security/v1"
	// PublicIRI is the special collection that addresses a post to everyone.
	PublicIRI = ActivityStreamsNS + "#Public"
)

// contextTerms defines every extension term this package writes. go-fed's own
// @context only lists the vocabularies it knows and defines none of these, so
// JSON-LD consumers would drop them. Add a term here in the same change that
// starts emitting it (Event support will add timezone and the Mobilizon/FEP-8a8e
// terms).
//
// schema is mapped to "http://schema.org#" as Mastodon does: that IRI is not
// schema.org's canonical one, but it is what Mastodon-compatible JSON-LD
// consumers expand PropertyValue to.
var contextTerms = map[string]string{
	"manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
	"sensitive":                 "as:sensitive",
	"Hashtag":                   "as:Hashtag",
	"toot":                      "http://joinmastodon.org/ns#",
	"discoverable":              "toot:discoverable",
	"indexable":                 "toot:indexable",
	"schema":                    "http://schema.org#",
	"PropertyValue":             "schema:PropertyValue",
	"value":                     "schema:value",
}

// contextJSON is Context() encoded once: it is the same for every document.
var contextJSON = mustMarshal(Context())

// Context returns the @context written at the top of every document we serve.
// It is a fresh value on each call so a caller cannot alter what others send.
func Context() []any {
	terms := make(map[string]any, len(contextTerms))
	for k, v := range contextTerms {
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
