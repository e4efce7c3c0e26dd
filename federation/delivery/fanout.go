package delivery

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/riverqueue/river"
	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/jobs"
	"github.com/commonplace-social/commonplace/internal/model"
)

type fanoutWorker struct {
	river.WorkerDefaults[FanoutArgs]
	d *Deliverer
}

// Work expands a fan-out into delivery jobs. The deliveries are inserted
// and the fan-out completed in one transaction: a crash before the commit
// leaves the fan-out to be run again from scratch, one after it has nothing
// left to redo, so deliveries are neither lost nor queued twice.
func (w *fanoutWorker) Work(ctx context.Context, job *river.Job[FanoutArgs]) error {
	d, a := w.d, job.Args
	inboxes, err := d.recipients(ctx, a)
	if err != nil {
		return err
	}
	dead, err := d.hosts.deadHosts(ctx)
	if err != nil {
		return err
	}
	deliveries := make([]river.JobArgs, 0, len(inboxes))
	skipped := 0
	for _, inbox := range inboxes {
		host, err := inboxHost(inbox)
		if err != nil {
			d.log.WarnContext(ctx, "fan-out: skipping unusable inbox", "inbox", inbox, "sender_id", a.SenderID, "err", err)
			continue
		}
		if dead[host] {
			skipped++
			continue
		}
		deliveries = append(deliveries, DeliverArgs{SenderID: a.SenderID, Inbox: inbox, Activity: a.Activity})
	}
	err = d.store.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := d.queue.InsertManyTx(ctx, tx, deliveries, nil); err != nil {
			return err
		}
		return jobs.CompleteTx(ctx, tx, job)
	})
	if err != nil {
		return fmt.Errorf("fan out activity of actor %d: %w", a.SenderID, err)
	}
	d.log.InfoContext(ctx, "fan-out queued", "sender_id", a.SenderID, "deliveries", len(deliveries), "skipped_dead_hosts", skipped)
	return nil
}

// recipients lists the distinct inboxes of a fan-out: the explicit ones,
// then each follower's shared inbox, or its own inbox when it has none, so
// a server with many followers here gets one delivery. Local followers are
// served in-process and have no inbox here.
func (d *Deliverer) recipients(ctx context.Context, a FanoutArgs) ([]string, error) {
	seen := make(map[string]bool)
	var out []string
	add := func(inbox string) {
		if inbox = strings.TrimSpace(inbox); inbox != "" && !seen[inbox] {
			seen[inbox] = true
			out = append(out, inbox)
		}
	}
	for _, inbox := range a.Inboxes {
		add(inbox)
	}
	if !a.ToFollowers {
		return out, nil
	}
	var followers []string
	err := d.store.DB.NewSelect().
		ColumnExpr("DISTINCT CASE WHEN a.shared_inbox <> '' THEN a.shared_inbox ELSE a.inbox END").
		TableExpr("follows AS f").
		Join("JOIN actors AS a ON a.id = f.follower_id").
		Where("f.followee_id = ?", a.SenderID).
		Where("f.state = ?", model.FollowAccepted).
		Where("NOT a.local").
		Scan(ctx, &followers)
	if err != nil {
		return nil, fmt.Errorf("follower inboxes of actor %d: %w", a.SenderID, err)
	}
	for _, inbox := range followers {
		add(inbox)
	}
	return out, nil
}

// inboxHost is the host[:port] an inbox lives on, the key of host health
// and per-host limits.
func inboxHost(inbox string) (string, error) {
	u, err := url.Parse(inbox)
	if err != nil {
		return "", fmt.Errorf("parse inbox: %w", err)
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", fmt.Errorf("inbox %q is not an absolute http(s) URL", inbox)
	}
	return strings.ToLower(u.Host), nil
}
