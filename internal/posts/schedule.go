package posts

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/jobs"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// Jobs is the part of the job queue that scheduling needs.
type Jobs interface {
	InsertTx(ctx context.Context, tx bun.Tx, args river.JobArgs, opts *river.InsertOpts) error
}

// maxScheduleAhead bounds how far ahead a post can be scheduled: further
// than a year is more likely a mistyped year than a plan.
const maxScheduleAhead = 366 * 24 * time.Hour

// Scheduled is a post waiting for its time, as its author sees it listed.
type Scheduled struct {
	Token     string
	Org       *model.Actor
	PublishAt time.Time // in the zone it was given in
	Draft     Draft
}

// scheduledJSON is what the store keeps of a scheduled post: the checked
// draft, and the zone its time was given in, to show it back the same way.
type scheduledJSON struct {
	Draft Draft  `json:"draft"`
	Zone  string `json:"zone,omitempty"`
}

func encodeScheduled(d Draft, at time.Time) (string, error) {
	zone := at.Location().String()
	if _, err := time.LoadLocation(zone); err != nil || zone == "Local" {
		zone = ""
	}
	raw, err := json.Marshal(scheduledJSON{Draft: d, Zone: zone})
	return string(raw), err
}

// Schedule checks a draft as Publish would and keeps it, unpublished and
// unsent, until at; a job then publishes it. Nothing about it is visible
// to readers or other servers before then.
func (s *Service) Schedule(ctx context.Context, org *model.Actor, accountID int64, d Draft, at time.Time) (*Scheduled, error) {
	d, err := s.checkSchedule(d, at)
	if err != nil {
		return nil, err
	}
	raw, err := encodeScheduled(d, at)
	if err != nil {
		return nil, fmt.Errorf("schedule: %w", err)
	}
	sp := &store.ScheduledPost{Token: newToken(), OrgID: org.ID, AccountID: accountID, PublishAt: at.UTC(), Draft: raw}
	err = s.Store.InTx(ctx, func(tx bun.Tx) error {
		if err := s.Store.InsertScheduledPost(ctx, tx, sp); err != nil {
			return err
		}
		return s.queuePublish(ctx, tx, sp)
	})
	if err != nil {
		return nil, fmt.Errorf("schedule: %w", err)
	}
	return &Scheduled{Token: sp.Token, Org: org, PublishAt: at, Draft: d}, nil
}

// Reschedule replaces a scheduled post's content and time. The job queued
// for the old time finds the post not yet due (or gone) and does nothing.
func (s *Service) Reschedule(ctx context.Context, sc *Scheduled, d Draft, at time.Time) error {
	if d.Kind == "" {
		d.Kind = sc.Draft.Kind
	}
	if d.Kind != sc.Draft.Kind {
		return model.Errorf(model.EInvalid, "a post cannot change kind; cancel it and write a new one")
	}
	d, err := s.checkSchedule(d, at)
	if err != nil {
		return err
	}
	raw, err := encodeScheduled(d, at)
	if err != nil {
		return fmt.Errorf("reschedule: %w", err)
	}
	sp, err := s.Store.ScheduledPostByToken(ctx, sc.Token)
	if err == nil {
		sp.PublishAt, sp.Draft = at.UTC(), raw
		err = s.Store.InTx(ctx, func(tx bun.Tx) error {
			if err := s.Store.UpdateScheduledPost(ctx, tx, sp); err != nil {
				return err
			}
			return s.queuePublish(ctx, tx, sp)
		})
	}
	if errors.Is(err, store.ErrNotFound) {
		return model.Errorf(model.ENotFound, "that post is no longer scheduled: it was published or cancelled")
	}
	if err != nil {
		return fmt.Errorf("reschedule: %w", err)
	}
	sc.PublishAt, sc.Draft = at, d
	return nil
}

// CancelScheduled drops a scheduled post before it is published.
func (s *Service) CancelScheduled(ctx context.Context, sc *Scheduled) error {
	ok, err := s.Store.DeleteScheduledPost(ctx, sc.Token)
	if err != nil {
		return err
	}
	if !ok {
		return model.Errorf(model.ENotFound, "that post is no longer scheduled: it was published or cancelled")
	}
	return nil
}

// FindScheduled loads one scheduled post by its token.
func (s *Service) FindScheduled(ctx context.Context, token string) (*Scheduled, error) {
	sp, err := s.Store.ScheduledPostByToken(ctx, token)
	if errors.Is(err, store.ErrNotFound) {
		return nil, model.Errorf(model.ENotFound, "no scheduled post %q here", token)
	}
	if err != nil {
		return nil, err
	}
	return scheduledOf(sp)
}

// ScheduledOf lists the organisations' scheduled posts, soonest first.
func (s *Service) ScheduledOf(ctx context.Context, orgs []*model.Actor) ([]*Scheduled, error) {
	ids := make([]int64, len(orgs))
	for i, o := range orgs {
		ids[i] = o.ID
	}
	sps, err := s.Store.ScheduledPostsOf(ctx, ids, 100)
	if err != nil {
		return nil, err
	}
	out := make([]*Scheduled, 0, len(sps))
	for _, sp := range sps {
		sc, err := scheduledOf(sp)
		if err != nil {
			return nil, err
		}
		out = append(out, sc)
	}
	return out, nil
}

func scheduledOf(sp *store.ScheduledPost) (*Scheduled, error) {
	var stored scheduledJSON
	if err := json.Unmarshal([]byte(sp.Draft), &stored); err != nil {
		return nil, fmt.Errorf("scheduled post %s: %w", sp.Token, err)
	}
	at := sp.PublishAt.UTC()
	if loc, err := time.LoadLocation(stored.Zone); err == nil && stored.Zone != "" {
		at = at.In(loc)
	}
	return &Scheduled{Token: sp.Token, Org: sp.Org, PublishAt: at, Draft: stored.Draft}, nil
}

func (s *Service) checkSchedule(d Draft, at time.Time) (Draft, error) {
	d, err := validate(d)
	var ps Problems
	errors.As(err, &ps)
	now := time.Now()
	switch {
	case !at.After(now):
		ps = append(ps, Problem{Field: "publish_at", Message: "the time to publish has already passed; leave it empty to publish now"})
	case at.Sub(now) > maxScheduleAhead:
		ps = append(ps, Problem{Field: "publish_at", Message: "posts can be scheduled at most a year ahead"})
	}
	return d, ps.Err()
}

func (s *Service) queuePublish(ctx context.Context, tx bun.Tx, sp *store.ScheduledPost) error {
	if s.Jobs == nil {
		return errors.New("no job queue to publish scheduled posts with")
	}
	return s.Jobs.InsertTx(ctx, tx, PublishScheduledArgs{ID: sp.ID}, &river.InsertOpts{ScheduledAt: sp.PublishAt})
}

// PublishScheduledArgs asks for one scheduled post to be published if its
// time has come.
type PublishScheduledArgs struct {
	ID int64 `json:"id"`
}

// Kind names the job in River.
func (PublishScheduledArgs) Kind() string { return "publish_scheduled" }

// ScheduledWorker publishes scheduled posts when they fall due.
type ScheduledWorker struct {
	river.WorkerDefaults[PublishScheduledArgs]
	Posts *Service
	Log   *slog.Logger // slog.Default() when nil
}

// dueSlack lets a job that River starts a moment before the post's time
// (their clocks are read separately) publish it rather than skip it.
const dueSlack = time.Second

// Work publishes the post and removes it from the schedule in one
// transaction, which also completes the job: a crash publishes it exactly
// once, later. A post cancelled or moved later is left alone; the job for
// its new time publishes it.
func (w *ScheduledWorker) Work(ctx context.Context, job *river.Job[PublishScheduledArgs]) error {
	s := w.Posts
	var published *model.Post
	err := s.Store.InTx(ctx, func(tx bun.Tx) error {
		sp, err := s.Store.TakeDueScheduledPost(ctx, tx, job.Args.ID, time.Now().Add(dueSlack))
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		sc, err := scheduledOf(sp)
		if err != nil {
			return err
		}
		p := &model.Post{AuthorID: sp.OrgID, Author: sp.Org, Local: true, Token: newToken(), InTimeline: true}
		if err := s.fill(p, sp.Org, sc.Draft); err != nil {
			return err
		}
		p.Published = time.Now().UTC().Truncate(time.Second)
		if err := s.insertAndSend(ctx, tx, sp.Org, p); err != nil {
			return err
		}
		published = p
		return jobs.CompleteTx(ctx, tx, job)
	})
	if err != nil {
		return fmt.Errorf("publish scheduled post %d: %w", job.Args.ID, err)
	}
	if published != nil {
		log := w.Log
		if log == nil {
			log = slog.Default()
		}
		log.InfoContext(ctx, "published a scheduled post", "post", published.Token, "scheduled_id", job.Args.ID)
	}
	return nil
}
