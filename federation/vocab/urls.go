package vocab

import "github.com/commonplace-social/commonplace/internal/remoteurl"

// Every URL read from a remote document goes through one of these two, so
// what the parsers return is either checked or empty.

// canonIRI is for identifying IRIs (id, actor, object, attributedTo, owner):
// the canonical spelling when s is acceptable, so ids compare equal however
// the sender spelt the host; otherwise s as read, for the caller's own
// check to refuse or for a comparison to fail.
func canonIRI(s string) string {
	if c, err := remoteurl.Canonical(s); err == nil {
		return c
	}
	return s
}

// cleanURL is for links: the canonical URL, or "" when s is not one we
// would show, follow or deliver to.
func cleanURL(s string) string { return remoteurl.Clean(s) }

// ownURL is for links a server only publishes on its own origin (a post's
// or actor's url, an actor's endpoints): "" unless on id's origin.
func ownURL(s, id string) string { return remoteurl.SameOrigin(s, id) }
