// Package iri is the one place that knows the URL layout of this instance:
// every id we mint and every local path we recognise comes from here, so the
// federation handlers, the web pages and the use cases always agree.
package iri

import (
	"net/url"
	"strings"
)

// Layout builds and parses this instance's URLs under one base, e.g.
// https://hospice.example or http://127.0.0.1:7001 in local-testing mode.
type Layout struct {
	Base string // scheme://host[:port], no trailing slash
}

// New returns the layout for a base URL.
func New(base string) Layout { return Layout{Base: strings.TrimRight(base, "/")} }

// Host is the host[:port] part of the base, as used in handles.
func (l Layout) Host() string {
	u, err := url.Parse(l.Base)
	if err != nil {
		return ""
	}
	return u.Host
}

// Actor is an organisation's id: /users/{username}. Browsers get its profile
// page at the same URL.
func (l Layout) Actor(username string) string { return l.Base + "/users/" + username }

// Key is the id of an actor's public key, a fragment of the actor document so
// that dereferencing it yields the actor, as Mastodon expects.
func (l Layout) Key(username string) string { return l.Actor(username) + "#main-key" }

// Inbox is an actor's own inbox.
func (l Layout) Inbox(username string) string { return l.Actor(username) + "/inbox" }

// Outbox is an actor's outbox collection.
func (l Layout) Outbox(username string) string { return l.Actor(username) + "/outbox" }

// Followers is an actor's followers collection.
func (l Layout) Followers(username string) string { return l.Actor(username) + "/followers" }

// Following is an actor's following collection.
func (l Layout) Following(username string) string { return l.Actor(username) + "/following" }

// Featured is an actor's collection of pinned posts.
func (l Layout) Featured(username string) string { return l.Actor(username) + "/featured" }

// Profile is an organisation's web page, the actor's `url`.
func (l Layout) Profile(username string) string { return l.Base + "/@" + username }

// Post is the id of one of an organisation's posts. The token is random, so
// ids cannot be guessed or enumerated.
func (l Layout) Post(username, token string) string { return l.Actor(username) + "/posts/" + token }

// Replies is the collection of replies to a post.
func (l Layout) Replies(username, token string) string { return l.Post(username, token) + "/replies" }

// Tag is the page of a hashtag on this instance.
func (l Layout) Tag(tag string) string { return l.Base + "/tags/" + tag }

// PostToken reads the username and token of a local post id, or false when
// the IRI is not one of our posts.
func (l Layout) PostToken(id string) (username, token string, ok bool) {
	rest, found := strings.CutPrefix(id, l.Base+"/users/")
	if !found {
		return "", "", false
	}
	username, token, found = strings.Cut(rest, "/posts/")
	if !found || username == "" || token == "" || strings.ContainsAny(username, "/?#") || strings.ContainsAny(token, "/?#") {
		return "", "", false
	}
	return username, token, true
}

// SharedInbox receives activities for every actor on this instance, so a
// server with many followers here delivers each activity once.
func (l Layout) SharedInbox() string { return l.Base + "/inbox" }

// InstanceActor is the Application actor that signs this server's fetches.
func (l Layout) InstanceActor() string { return l.Base + "/actor" }

// WebFinger is the WebFinger endpoint.
func (l Layout) WebFinger() string { return l.Base + "/.well-known/webfinger" }

// NodeInfo is the NodeInfo 2.1 document.
func (l Layout) NodeInfo() string { return l.Base + "/nodeinfo/2.1" }

// LocalActorUsername returns the username of a local actor id, or false when
// the IRI is not one of ours.
func (l Layout) LocalActorUsername(id string) (string, bool) {
	rest, ok := strings.CutPrefix(id, l.Base+"/users/")
	if !ok || rest == "" || strings.ContainsAny(rest, "/?#") {
		return "", false
	}
	return rest, true
}

// IsLocal reports whether an IRI is under this instance's base.
func (l Layout) IsLocal(id string) bool {
	return id == l.Base || strings.HasPrefix(id, l.Base+"/")
}
