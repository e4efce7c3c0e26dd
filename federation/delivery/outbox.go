package delivery

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/riverqueue/river"
	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/jobs"
)

// hostLane orders deliveries per remote host rather than per inbox: the
// Accept of a follow goes to the follower's own inbox and posts go to its
// server's shared inbox, and the server must see them in that order.
const hostLane jobs.Lane = "delivery"

// outboxRow is a row of outbox_deliveries: one activity to one inbox.
type outboxRow struct {
	bun.BaseModel `bun:"table:outbox_deliveries"`

	ID            int64     `bun:"id,pk,autoincrement"`
	Host          string    `bun:"host"`
	Inbox         string    `bun:"inbox"`
	SenderID      int64     `bun:"sender_id"`
	Activity      string    `bun:"activity"`
	Attempts      int       `bun:"attempts"`
	NextAttemptAt time.Time `bun:"next_attempt_at,nullzero"`
	CreatedAt     time.Time `bun:"created_at"`
}

func (r *outboxRow) args() DeliverArgs {
	return DeliverArgs{SenderID: r.SenderID, Inbox: r.Inbox, Activity: json.RawMessage(r.Activity)}
}

// appendBatch bounds one insert: every row carries the whole activity.
const appendBatch = 500

// appendTx queues activity for each inbox in tx, skipping dead hosts and
// unusable inboxes, and queues a drain job for every host whose lane no
// live job holds.
func (d *Deliverer) appendTx(ctx context.Context, tx bun.Tx, senderID int64, activity []byte, inboxes []string) error {
	dead, err := d.hosts.deadHosts(ctx, tx)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	rows := make([]outboxRow, 0, len(inboxes))
	var hosts []string
	skipped := 0
	for _, inbox := range inboxes {
		host, err := inboxHost(inbox)
		if err != nil {
			d.log.WarnContext(ctx, "fan-out: skipping unusable inbox", "inbox", inbox, "sender_id", senderID, "err", err)
			continue
		}
		if dead[host] {
			skipped++
			continue
		}
		rows = append(rows, outboxRow{Host: host, Inbox: inbox, SenderID: senderID, Activity: string(activity), CreatedAt: now})
		hosts = append(hosts, host)
	}
	for chunk := range slices.Chunk(rows, appendBatch) {
		if _, err := tx.NewInsert().Model(&chunk).Exec(ctx); err != nil {
			return fmt.Errorf("queue %d deliveries: %w", len(chunk), err)
		}
	}
	idle, err := hostLane.AppendedTx(ctx, tx, hosts)
	if err != nil {
		return err
	}
	drains := make([]river.JobArgs, len(idle))
	for i, h := range idle {
		drains[i] = DrainArgs{Host: h}
	}
	if err := d.queue.InsertManyTx(ctx, tx, drains, nil); err != nil {
		return err
	}
	d.log.InfoContext(ctx, "fan-out queued", "sender_id", senderID, "deliveries", len(rows), "skipped_dead_hosts", skipped)
	return nil
}

// head returns the host's next activity: its oldest row and the rows right
// after it that carry the same activity to other inboxes on that host,
// at most perHostConcurrency. They may go out together; nothing queued
// later goes out before all of them are done.
func (d *Deliverer) head(ctx context.Context, host string) ([]outboxRow, error) {
	var rows []outboxRow
	if err := d.store.DB.NewSelect().Model(&rows).Where("host = ?", host).
		OrderExpr("id").Limit(perHostConcurrency).Scan(ctx); err != nil {
		return nil, fmt.Errorf("queued deliveries to %s: %w", host, err)
	}
	for i := 1; i < len(rows); i++ {
		if rows[i].SenderID != rows[0].SenderID || rows[i].Activity != rows[0].Activity {
			return rows[:i], nil
		}
	}
	return rows, nil
}

// forget deletes rows that are done with: sent or given up.
func (d *Deliverer) forget(ctx context.Context, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	if _, err := d.store.DB.NewDelete().Model((*outboxRow)(nil)).Where("id IN (?)", bun.In(ids)).Exec(ctx); err != nil {
		return fmt.Errorf("forget %d deliveries: %w", len(ids), err)
	}
	return nil
}

// postpone records a failed attempt (counted or not) and when to try again.
func (d *Deliverer) postpone(ctx context.Context, r *outboxRow) error {
	if _, err := d.store.DB.NewUpdate().Model(r).Column("attempts", "next_attempt_at").WherePK().Exec(ctx); err != nil {
		return fmt.Errorf("postpone delivery %d to %s: %w", r.ID, r.Inbox, err)
	}
	return nil
}
