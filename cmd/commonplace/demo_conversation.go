package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/federation/vocab"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/posts"
)

// demoRemark is one thing an organisation does with another's post: a
// reply (Text set), or a like or a boost.
type demoRemark struct {
	From string // username of the organisation that acts
	Post string // key of the post in demoPublished
	Type string // "Like", "Announce" or "Create" (a reply)
	Text string // the reply, as HTML
}

// demoConversation is what the organisations say to one another about the
// first posts, so that every page shows comments, likes and boosts.
var demoConversation = []demoRemark{
	{"stgemmas", "meetup", "Create", "<p>Thank you for making us so welcome. We will bring a cake of our own next time, " +
		"and we are glad to tell the story of our first 6,000 Facebook followers for the toolkit.</p>"},
	{"volition", "meetup", "Create", "<p>One shared site has our vote. A small charity cannot write a social-media " +
		"toolkit on its own, but it can add a page to one.</p>"},
	{"sociable", "stgemmas-hello", "Create", "<p>Welcome aboard! When you have a moment, a few lines on what changed " +
		"once the messages started pouring in would make a good guidance page.</p>"},
	{"leedsth", "toolkit", "Create", "<p>Our staff handbook now links here instead of to a document of our own.</p>"},
	{"leedsth", "meetup", "Like", ""},
	{"stgemmas", "meetup", "Like", ""},
	{"volition", "meetup", "Like", ""},
	{"volition", "leedsth-staff", "Like", ""},
	{"sociable", "volition-joins", "Like", ""},
	{"leedsth", "next-meet", "Announce", ""},
	{"stgemmas", "toolkit", "Announce", ""},
	{"volition", "curry", "Announce", ""},
}

// converse sends demoConversation as the organisations would: signed
// activities through each instance's delivery queue. Likes go to the
// post's author, as Mastodon sends them; replies and boosts go to the
// author and to everyone following the sender, which here is everyone.
func (n *demoNetwork) converse(ctx context.Context) error {
	for _, r := range demoConversation {
		from, post := n.node(r.From), n.published[r.Post]
		if from == nil || post == nil {
			return fmt.Errorf("the demo conversation names %q or %q, which the demo does not have", r.From, r.Post)
		}
		author := n.node(post.Author.Username)
		postIRI := author.Layout.Post(post.Author.Username, post.Token)
		me := from.Layout.Actor(from.Org.Username)
		act := map[string]any{"@context": vocab.ActivityStreamsNS, "id": from.Layout.NewActivityID(from.Org),
			"type": r.Type, "actor": me, "object": postIRI}
		if r.Type != "Like" {
			act["published"] = time.Now().UTC().Format(time.RFC3339)
			act["to"] = []string{vocab.PublicIRI}
			act["cc"] = []string{from.Layout.Followers(from.Org.Username), author.Layout.Actor(post.Author.Username)}
		}
		if r.Type == "Create" {
			note := map[string]any{"id": from.Layout.NewActivityID(from.Org), "type": "Note", "attributedTo": me,
				"inReplyTo": postIRI, "content": r.Text, "published": act["published"], "to": act["to"], "cc": act["cc"]}
			act["object"] = note
		}
		body, err := json.Marshal(act)
		if err != nil {
			return fmt.Errorf("write the demo's %s by %s: %w", r.Type, r.From, err)
		}
		inbox := author.Layout.Inbox(post.Author.Username)
		err = from.Store.InTx(ctx, func(tx bun.Tx) error {
			return from.Deliverer.EnqueueTx(ctx, tx, from.Org, body, r.Type != "Like", []string{inbox})
		})
		if err != nil {
			return fmt.Errorf("%s sends a %s: %w", r.From, r.Type, err)
		}
	}
	return waitFor(ctx, "the replies, likes and boosts to arrive", func() (bool, error) {
		for key, want := range demoExpectedCounts() {
			p := n.published[key]
			got, err := n.node(p.Author.Username).Store.PostByID(ctx, p.ID)
			if err != nil {
				return false, err
			}
			if got.ReplyCount < want.ReplyCount || got.LikeCount < want.LikeCount || got.AnnounceCount < want.AnnounceCount {
				return false, nil
			}
		}
		return true, nil
	})
}

// demoExpectedCounts is what demoConversation adds up to on each post's
// own instance.
func demoExpectedCounts() map[string]model.Post {
	want := map[string]model.Post{}
	for _, r := range demoConversation {
		c := want[r.Post]
		switch r.Type {
		case "Create":
			c.ReplyCount++
		case "Like":
			c.LikeCount++
		case "Announce":
			c.AnnounceCount++
		}
		want[r.Post] = c
	}
	return want
}

// node is the instance of the organisation with that username, or nil.
func (n *demoNetwork) node(username string) *demoNode {
	for _, node := range n.Nodes {
		if node.Org.Username == username {
			return node
		}
	}
	return nil
}

// reviseToolkit edits the toolkit after it went out, so the guidance
// library shows a page that has been kept up to date, on every instance.
func (n *demoNetwork) reviseToolkit(ctx context.Context) error {
	p := n.published["toolkit"]
	node := n.node(p.Author.Username)
	edited, err := node.Posts.Edit(ctx, p, posts.Draft{Kind: p.Kind, Title: p.Title, Topic: p.Topic,
		Tags: []string{"HSCLeeds"}, Body: toolkitGuidance + toolkitRevision})
	if err != nil {
		return fmt.Errorf("edit the toolkit: %w", err)
	}
	n.published["toolkit"] = edited
	iri := node.Layout.Post(p.Author.Username, p.Token)
	return waitFor(ctx, "the toolkit's revision to reach every instance", func() (bool, error) {
		for _, other := range n.Nodes {
			if other == node {
				continue
			}
			copy, err := other.Store.PostByIRI(ctx, iri)
			if err != nil || copy.Updated.IsZero() {
				return false, nil //nolint:nilerr // not arrived yet
			}
		}
		return true, nil
	})
}

const toolkitRevision = `

## Photographs (added after the Tweet Meet)

- Ask everyone in a picture before you share it, and say where it will appear.
- On wards and in people's homes, take no pictures unless the person has agreed and your service allows it.`
