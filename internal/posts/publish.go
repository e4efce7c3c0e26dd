package posts

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/content"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// Publish validates and stores a new post by one of our organisations and,
// in the same transaction, queues its Create for every follower.
func (s *Service) Publish(ctx context.Context, org *model.Actor, d Draft) (*model.Post, error) {
	p := &model.Post{AuthorID: org.ID, Author: org, Local: true, Token: newToken(), InTimeline: true}
	if err := s.fill(p, org, d); err != nil {
		return nil, err
	}
	p.Published = time.Now().UTC().Truncate(time.Second)
	p.Media = d.Images
	err := s.Store.InTx(ctx, func(tx bun.Tx) error { return s.insertAndSend(ctx, tx, org, p) })
	if err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	return p, nil
}

// insertAndSend stores a filled-in new post and queues its Create, in tx.
func (s *Service) insertAndSend(ctx context.Context, tx bun.Tx, org *model.Actor, p *model.Post) error {
	if err := s.Store.InsertPost(ctx, tx, p); err != nil {
		return err
	}
	for i, m := range p.Media {
		m.PostID, m.Position, m.ActorID = p.ID, i, 0
		if err := s.Store.InsertMedia(ctx, tx, m); err != nil {
			return err
		}
	}
	return s.Send.SendTx(ctx, tx, model.Outgoing{ID: s.activityID(org, p, "create"), Type: "Create", Actor: org, Post: p, ToFollowers: true})
}

// Edit replaces a post's content and queues an Update with the new
// `updated` time, which Mastodon needs to treat it as an edit.
func (s *Service) Edit(ctx context.Context, p *model.Post, d Draft) (*model.Post, error) {
	if !p.Local || p.Deleted() {
		return nil, model.Errorf(model.EInvalid, "only a live post of this instance can be edited")
	}
	if d.Kind == "" {
		d.Kind = p.Kind
	}
	if d.Kind != p.Kind {
		return nil, model.Errorf(model.EInvalid, "a post cannot change kind; delete it and publish a new one")
	}
	if err := s.fill(p, p.Author, d); err != nil {
		return nil, err
	}
	p.Updated = time.Now().UTC().Truncate(time.Second)
	if !p.Updated.After(p.Published) {
		p.Updated = p.Published.Add(time.Second)
	}
	err := s.Store.InTx(ctx, func(tx bun.Tx) error {
		if err := s.Store.UpdatePost(ctx, tx, p); err != nil {
			return err
		}
		// The Update replaces the whole object on other servers, so it
		// carries the images the post keeps.
		media, err := s.Store.PostMedia(ctx, p.ID)
		if err != nil {
			return err
		}
		p.Media = media[p.ID]
		// Servers that fetched the post hold a copy too (store.RecordPostReader).
		readers, err := s.Store.PostReaderInboxes(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		return s.Send.SendTx(ctx, tx, model.Outgoing{ID: s.activityID(p.Author, p, "update"), Type: "Update", Actor: p.Author, Post: p,
			ToFollowers: true, Inboxes: readers})
	})
	if err != nil {
		return nil, fmt.Errorf("edit: %w", err)
	}
	return p, nil
}

// Delete turns a post into a tombstone and queues a Delete for followers
// and the post's readers.
func (s *Service) Delete(ctx context.Context, p *model.Post) error {
	if !p.Local {
		return model.Errorf(model.EInvalid, "only posts of this instance can be deleted here")
	}
	if p.Deleted() {
		return model.Errorf(model.ENotFound, "that post is already deleted")
	}
	return s.Store.InTx(ctx, func(tx bun.Tx) error {
		if err := s.Store.MarkPostDeleted(ctx, tx, p); err != nil {
			return err
		}
		if s.Media != nil {
			if err := s.Media.RemovePostTx(ctx, tx, p.ID); err != nil {
				return err
			}
		}
		readers, err := s.Store.PostReaderInboxes(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		if err := s.Store.DeletePostReaders(ctx, tx, p.ID); err != nil {
			return err
		}
		return s.Send.SendTx(ctx, tx, model.Outgoing{ID: s.activityID(p.Author, p, "delete"), Type: "Delete", Actor: p.Author, Post: p,
			ToFollowers: true, Inboxes: readers})
	})
}

// activityID names the Create/Update/Delete of a post after the post, so the
// ids say what they are about; updates get a timestamp to stay unique.
func (s *Service) activityID(org *model.Actor, p *model.Post, verb string) string {
	id := s.Layout.Post(org.Username, p.Token) + "#" + verb
	if verb == "update" {
		id += "-" + strconv.FormatInt(p.Updated.Unix(), 10)
	}
	return id
}

// fill renders a draft into a post's stored fields.
func (s *Service) fill(p *model.Post, org *model.Actor, d Draft) error {
	d, err := validate(d)
	if err != nil {
		return err
	}
	return s.render(p, org, d)
}

// render fills a post's stored fields from a checked draft.
func (s *Service) render(p *model.Post, org *model.Actor, d Draft) error {
	r, err := content.Render(d.Body, s.Layout.Tag)
	if err != nil {
		return fmt.Errorf("render: %w", err)
	}
	p.Kind, p.APType = d.Kind, apTypes[d.Kind]
	p.Title, p.Source, p.ContentHTML, p.Topic, p.Event = d.Title, d.Body, r.HTML, d.Topic, d.Event
	p.URL = s.Layout.Post(org.Username, p.Token)
	// Hashtags in the title count too: "Next #HSCLeeds Tweet Meet" is about #HSCLeeds.
	title, err := content.Render(d.Title, nil)
	if err != nil {
		return fmt.Errorf("render title: %w", err)
	}
	p.Tags = tagsOf(append(append(title.Tags, r.Tags...), d.Tags...))
	p.Summary = d.Summary
	if p.Summary == "" {
		p.Summary, err = summarise(d, r.Text)
	}
	return err
}

func summarise(d Draft, text string) (string, error) {
	if d.Kind == model.KindEvent {
		e := d.Event
		return content.EventSummary(e.StartTime, e.EndTime, e.TimeZone, e.Venue, e.Address, e.OnlineURL != "", text, maxSummary)
	}
	return content.Summary(text, 280), nil
}

func tagsOf(names []string) []model.Tag {
	var tags []model.Tag
	seen := map[string]bool{}
	for _, n := range names {
		n = strings.TrimPrefix(strings.TrimSpace(n), "#")
		key := content.NormaliseTag(n)
		if key == "" || seen[key] {
			continue
		}
		seen[key] = true
		tags = append(tags, model.Tag{Tag: key, Name: n})
	}
	return tags
}

// Find loads one of our posts from what a person pastes: its URL (id) or
// its token.
func (s *Service) Find(ctx context.Context, ref string) (*model.Post, error) {
	ref = strings.TrimSpace(ref)
	token := ref
	if u, err := url.Parse(ref); err == nil && u.Scheme != "" {
		_, t, ok := s.Layout.PostToken(strings.TrimSuffix(ref, "/"))
		if !ok {
			return nil, model.Errorf(model.ENotFound, "%s is not a post of this instance", ref)
		}
		token = t
	}
	p, err := s.Store.PostByToken(ctx, token)
	if errors.Is(err, store.ErrNotFound) {
		return nil, model.Errorf(model.ENotFound, "no post %q here", ref)
	}
	return p, err
}
