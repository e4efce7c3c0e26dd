package iri

// QuoteAuthorization is the id of an approval stamp (FEP-044f) for a quote
// of one of an organisation's posts. Like post tokens, stamp tokens are
// random, so stamps cannot be enumerated.
func (l Layout) QuoteAuthorization(username, token string) string {
	return l.Actor(username) + "/quote_authorizations/" + token
}
