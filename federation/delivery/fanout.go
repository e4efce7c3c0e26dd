package delivery

import (
	"context"
	"fmt"
	"strings"

	"github.com/riverqueue/river"
	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/jobs"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/remoteurl"
)

type fanoutWorker struct {
	river.WorkerDefaults[FanoutArgs]
	d *Deliverer
}

// Work appends the deliveries of a fan-out queued before EnqueueTx did
// that itself. The rows are appended and the fan-out completed in one
// transaction, so a crash neither loses nor repeats them.
func (w *fanoutWorker) Work(ctx context.Context, job *river.Job[FanoutArgs]) error {
	d, a := w.d, job.Args
	err := d.store.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		inboxes, err := d.recipients(ctx, tx, a)
		if err != nil {
			return err
		}
		if err := d.appendTx(ctx, tx, a.SenderID, a.Activity, inboxes); err != nil {
			return err
		}
		return jobs.CompleteTx(ctx, tx, job)
	})
	if err != nil {
		return fmt.Errorf("fan out activity of actor %d: %w", a.SenderID, err)
	}
	return nil
}

// recipients lists the distinct inboxes of a fan-out: the explicit ones,
// then each follower's shared inbox, or its own inbox when it has none, so
// a server with many followers here gets one delivery. Local followers are
// served in-process and have no inbox here.
func (d *Deliverer) recipients(ctx context.Context, db bun.IDB, a FanoutArgs) ([]string, error) {
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
	err := db.NewSelect().
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

// inboxHost is the host[:port] an inbox lives on, the key of host health,
// dead hosts, per-host limits and the per-host ordering lane. It is the
// canonical spelling (remoteurl.Host), so EXAMPLE.org. and example.org:443
// share one lane and one health record rather than escaping each other.
func inboxHost(inbox string) (string, error) {
	host, err := remoteurl.URLHost(inbox)
	if err != nil {
		return "", fmt.Errorf("inbox: %w", err)
	}
	return host, nil
}
