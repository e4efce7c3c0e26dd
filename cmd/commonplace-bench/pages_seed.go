package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
)

// The seeded network: a few organisations here, more elsewhere that they
// follow, and many people who follow and comment. Posts span ten years.
const (
	seedRemoteOrgs  = 36
	seedPeople      = 20_000
	seedComments    = 1_000
	seedBatch       = 1_000
	seedSpan        = 10 * 365 * 24 * time.Hour
	seedDeleteEvery = 997 // one post in this many is deleted afterwards
)

// pagesSeed is what the page list needs to know about the seeded data.
type pagesSeed struct {
	posts          int
	now            time.Time // events end before or after this
	orgs           []*model.Actor
	commonTag      string // on about 30% of posts
	rareTag        string // on about 1%
	commonTagCount int
	rareTagCount   int
	events         int
	guidance       int
	comments       int
	thread         *model.Post // the post with seedComments comments
}

// seedPages fills the database through the store: organisations through
// the same use case as `commonplace org add`, remote accounts and follows
// as rows, posts in batches of seedBatch per transaction.
func seedPages(ctx context.Context, site *pagesSite, n int) (*pagesSeed, error) {
	s := site.store()
	seed := &pagesSeed{posts: n, now: time.Now().UTC(), commonTag: "hscleeds", rareTag: "tweetmeet"}
	for i, name := range []string{"Leeds Teaching Hospitals", "St Gemma's Hospice", "Leeds Mind", "Leeds City Council"} {
		org, err := site.inst.Orgs.Create(ctx, orgs.NewOrg{Username: fmt.Sprintf("org%d", i), Name: name,
			Summary: "A health and social care organisation in Leeds, sharing notes, guidance and events."})
		if err != nil {
			return nil, fmt.Errorf("create organisation: %w", err)
		}
		seed.orgs = append(seed.orgs, org)
	}
	remotes, err := seedRemoteActors(ctx, s, seedRemoteOrgs, model.ActorOrganization, "org")
	if err != nil {
		return nil, err
	}
	people, err := seedRemoteActors(ctx, s, seedPeople, model.ActorPerson, "person")
	if err != nil {
		return nil, err
	}
	if err := seedFollows(ctx, s, seed.orgs, remotes, people); err != nil {
		return nil, err
	}
	if err := seedPosts(ctx, s, seed, remotes); err != nil {
		return nil, err
	}
	if err := seedThread(ctx, s, seed, people); err != nil {
		return nil, err
	}
	return seed, nil
}

// seedRemoteActors inserts n remote accounts in batches; each is on its own
// host, as accounts met through federation are.
func seedRemoteActors(ctx context.Context, s *store.Store, n int, typ, prefix string) ([]*model.Actor, error) {
	now := time.Now().UTC()
	all := make([]*model.Actor, 0, n)
	for start := 0; start < n; start += seedBatch {
		batch := make([]*model.Actor, 0, seedBatch)
		for i := start; i < min(n, start+seedBatch); i++ {
			host := fmt.Sprintf("%s%d.example", prefix, i)
			iri := "https://" + host + "/users/" + prefix
			batch = append(batch, &model.Actor{Username: prefix, Host: host, IRI: iri, Type: typ,
				Name: fmt.Sprintf("%s %d", prefix, i), URL: "https://" + host + "/@" + prefix,
				Inbox: iri + "/inbox", SharedInbox: "https://" + host + "/inbox", Outbox: iri + "/outbox",
				Followers: iri + "/followers", Following: iri + "/following",
				PublicKeyID: iri + "#main-key", PublicKeyPEM: "(seeded; never used to verify)",
				Discoverable: true, CreatedAt: now, UpdatedAt: now, FetchedAt: now})
		}
		if _, err := s.DB.NewInsert().Model(&batch).Returning("id").Exec(ctx); err != nil {
			return nil, fmt.Errorf("insert remote accounts: %w", err)
		}
		all = append(all, batch...)
	}
	return all, nil
}

// seedFollows: every organisation here follows every remote one; the
// first is followed by every person, the second by a tenth of them.
func seedFollows(ctx context.Context, s *store.Store, local, remotes, people []*model.Actor) error {
	now := time.Now().UTC()
	var fs []*model.Follow
	add := func(from, to *model.Actor) {
		fs = append(fs, &model.Follow{FollowerID: from.ID, FolloweeID: to.ID, State: model.FollowAccepted,
			ActivityIRI: fmt.Sprintf("https://follows.example/%d/%d", from.ID, to.ID), CreatedAt: now, UpdatedAt: now})
	}
	for _, o := range local {
		for _, r := range remotes {
			add(o, r)
		}
	}
	for i, p := range people {
		add(p, local[0])
		if i%10 == 0 {
			add(p, local[1])
		}
	}
	for start := 0; start < len(fs); start += seedBatch {
		batch := fs[start:min(len(fs), start+seedBatch)]
		if _, err := s.DB.NewInsert().Model(&batch).Exec(ctx); err != nil {
			return fmt.Errorf("insert follows: %w", err)
		}
	}
	return nil
}

// seedPosts inserts the timeline, oldest first, as it would have arrived.
func seedPosts(ctx context.Context, s *store.Store, seed *pagesSeed, remotes []*model.Actor) error {
	n := seed.posts
	rng := rand.New(rand.NewPCG(11, uint64(n)))
	newest := seed.now.Truncate(time.Second).Add(-time.Hour)
	step := max(time.Second, (seedSpan / time.Duration(n)).Truncate(time.Second))
	threadAt := min(1000, n/2)
	var doomed []*model.Post
	started := time.Now()
	batch := make([]*model.Post, 0, seedBatch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := s.InTx(ctx, func(tx bun.Tx) error { return s.InsertPosts(ctx, tx, batch) })
		batch = make([]*model.Post, 0, seedBatch)
		return err
	}
	for i := n - 1; i >= 0; i-- {
		// Pairs of posts share a second, so cursors must break ties by id.
		published := newest.Add(-time.Duration(i-i%2) * step)
		p := seedPost(rng, seed, remotes, i, published)
		if i == threadAt {
			p.AuthorID, p.Author, p.Local, p.IRI, p.URL, p.Raw = seed.orgs[0].ID, seed.orgs[0], true, "", "", ""
			p.Token, p.Kind, p.APType, p.Event = "thread", model.KindMeetupNote, "Article", model.Event{}
			p.Title = "A meetup note with 1,000 comments"
			seed.thread = p
		}
		seed.count(p)
		if i%seedDeleteEvery == 7 && i != threadAt {
			doomed = append(doomed, p)
		}
		batch = append(batch, p)
		if len(batch) == seedBatch {
			if err := flush(); err != nil {
				return err
			}
		}
		if done := n - i; done%100_000 == 0 {
			fmt.Fprintf(os.Stderr, "pages: %d posts seeded in %s\n", done, time.Since(started).Round(time.Second))
		}
	}
	if err := flush(); err != nil {
		return err
	}
	for _, p := range doomed {
		if err := s.MarkPostDeleted(ctx, s.DB, p); err != nil {
			return err
		}
		seed.uncount(p)
	}
	return nil
}

// count keeps the totals the report prints.
func (seed *pagesSeed) count(p *model.Post) { seed.tally(p, 1) }

func (seed *pagesSeed) uncount(p *model.Post) { seed.tally(p, -1) }

func (seed *pagesSeed) tally(p *model.Post, d int) {
	switch p.Kind {
	case model.KindEvent:
		seed.events += d
	case model.KindGuidance:
		seed.guidance += d
	}
	for _, t := range p.Tags {
		switch t.Tag {
		case seed.commonTag:
			seed.commonTagCount += d
		case seed.rareTag:
			seed.rareTagCount += d
		}
	}
}

// seedThread adds seedComments comments under one post, through the same
// store call the inbox uses, so the post's reply count is kept too.
func seedThread(ctx context.Context, s *store.Store, seed *pagesSeed, people []*model.Actor) error {
	root := seed.thread
	return s.InTx(ctx, func(tx bun.Tx) error {
		for j := range seedComments {
			a := people[j%200]
			c := &model.Post{AuthorID: a.ID, Local: false, IRI: fmt.Sprintf("%s/statuses/%d", a.IRI, j),
				URL: fmt.Sprintf("https://%s/@person/%d", a.Host, j), Kind: model.KindComment, APType: "Note",
				ContentHTML: fmt.Sprintf("<p>Comment %d: %s</p>", j, sentence(rand.New(rand.NewPCG(uint64(j), 3)), 18)),
				InReplyTo:   "http://" + pagesDomain + "/users/org0/posts/thread", ThreadRootID: root.ID,
				Published: root.Published.Add(time.Duration(j/2) * time.Minute)}
			if j%10 == 0 { // tags on comments, which tag pages must leave out
				c.Tags = []model.Tag{{Tag: seed.commonTag, Name: "HSCLeeds"}}
			}
			if err := s.InsertComment(ctx, tx, c); err != nil {
				return err
			}
			seed.comments++
		}
		return nil
	})
}
