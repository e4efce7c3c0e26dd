package federation

import (
	"context"
	"errors"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/commonplace-social/commonplace/federation/transport"
	"github.com/commonplace-social/commonplace/federation/vocab"
	"github.com/commonplace-social/commonplace/internal/posts"
)

// backfillLimit is how many of a newly followed account's posts we fetch, so
// a new instance's timeline is not empty while staying a bounded fetch.
const backfillLimit = 20

// BackfillWorker brings a newly followed account's recent public posts into
// the combined timeline by reading its outbox with signed GETs.
type BackfillWorker struct {
	river.WorkerDefaults[BackfillArgs]
	Server *Server
}

// Work reads the outbox's first pages until it has backfillLimit posts.
func (w *BackfillWorker) Work(ctx context.Context, job *river.Job[BackfillArgs]) error {
	s := w.Server
	actor, err := s.Fetcher.Actor(ctx, job.Args.ActorIRI)
	if err != nil {
		return err
	}
	if actor.Outbox == "" {
		return nil
	}
	stored := 0
	pageURL, err := s.firstPage(ctx, actor.Outbox)
	for seen := 0; err == nil && pageURL != "" && seen < backfillLimit; {
		var page *vocab.CollectionPage
		page, err = s.fetchPage(ctx, pageURL)
		if err != nil {
			break
		}
		for _, item := range page.Items {
			if seen == backfillLimit {
				break
			}
			seen++
			if ok, err := s.backfillItem(ctx, job.Args.ActorIRI, item); err != nil {
				s.Log.Warn("backfill item skipped", "host", hostOf(job.Args.ActorIRI), "err", err)
			} else if ok {
				stored++
			}
		}
		pageURL = page.Next
	}
	if err != nil {
		return fmt.Errorf("backfill %s: %w", job.Args.ActorIRI, err)
	}
	s.Log.Info("backfilled posts", "actor", job.Args.ActorIRI, "stored", stored)
	return nil
}

func (s *Server) firstPage(ctx context.Context, outbox string) (string, error) {
	body, err := s.Fetcher.get(ctx, outbox)
	if err != nil {
		return "", err
	}
	c, err := vocab.ParseCollectionPage(body)
	if err != nil {
		return "", err
	}
	return c.First, nil
}

func (s *Server) fetchPage(ctx context.Context, pageURL string) (*vocab.CollectionPage, error) {
	body, err := s.Fetcher.get(ctx, pageURL)
	if err != nil {
		return nil, err
	}
	return vocab.ParseCollectionPage(body)
}

// backfillItem stores one outbox entry: a Create with its object embedded
// or named by id (then fetched). Only the outbox owner's own posts count.
func (s *Server) backfillItem(ctx context.Context, actorIRI string, item vocab.Item) (bool, error) {
	if len(item.Raw) == 0 {
		return false, nil // an outbox lists activities; a bare IRI is not worth a fetch each
	}
	act, err := vocab.ParseActivity(item.Raw)
	if err != nil || act.Type != "Create" || act.Actor != actorIRI {
		return false, err
	}
	obj := act.Object
	if obj == nil || len(obj.Raw) == 0 {
		if !transport.SameOrigin(act.ObjectIRI, actorIRI) {
			return false, errors.New("the object is on another server")
		}
		body, err := s.Fetcher.get(ctx, act.ObjectIRI)
		if err != nil {
			return false, err
		}
		if obj, err = vocab.ParseObject(body); err != nil {
			return false, err
		}
		if obj.ID != act.ObjectIRI {
			return false, fmt.Errorf("the object at %s claims the id %s", act.ObjectIRI, obj.ID)
		}
	}
	if !isPublic(act, obj) {
		return false, nil
	}
	if obj.AttributedTo != actorIRI || !transport.SameOrigin(obj.ID, actorIRI) {
		return false, errors.New("the object is not the outbox owner's")
	}
	p, mentions, ok := s.remotePost(obj)
	if !ok || p.InReplyTo != "" {
		return false, nil
	}
	author, err := s.Fetcher.Actor(ctx, actorIRI)
	if err != nil {
		return false, err
	}
	out, err := s.Posts.ReceiveCreate(ctx, author, posts.Remote{Post: p, Mentions: mentions})
	added := err == nil && out == posts.ReceivedToTimeline
	if added {
		s.recordAttachments(ctx, obj, p, true) // its pictures, cached like a delivered post's
	}
	return added, err
}
