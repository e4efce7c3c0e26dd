// Package httpsign signs outgoing requests with draft-cavage HTTP Signatures
// and checks incoming ones in both formats the fediverse sends: draft-cavage,
// as Mastodon, GoToSocial and their peers use it, and RFC 9421 HTTP Message
// Signatures, which Mastodon 4.5+ accepts and WordPress and newer Mastodon
// send. It is the only package that touches github.com/go-fed/httpsig, and it
// adds what that library leaves out: the Digest and Date checks, the
// signed-header policy, and safe re-signing of retried requests. RFC 9421
// fields are parsed with github.com/dunglas/httpsfv; the signature base and
// the policy are built here.
package httpsign
