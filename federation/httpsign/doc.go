// Package httpsign signs outgoing and checks incoming draft-cavage HTTP
// Signatures as Mastodon, GoToSocial and their peers use them. It is the only
// package that touches github.com/go-fed/httpsig, and it adds what that
// library leaves out: the Digest and Date checks, the signed-header policy,
// and safe re-signing of retried requests.
package httpsign
