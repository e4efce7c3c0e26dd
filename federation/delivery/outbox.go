package delivery

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/wake"
)

// outboxActivity is a row of outbox_activities: one activity, stored once
// however many inboxes it goes to.
type outboxActivity struct {
	bun.BaseModel `bun:"table:outbox_activities,alias:outbox_activities"`

	ID        int64     `bun:"id,pk,autoincrement"`
	SenderID  int64     `bun:"sender_id"`
	Activity  string    `bun:"activity"`
	CreatedAt time.Time `bun:"created_at"`
}

// outboxRow is a row of outbox_deliveries: one activity to one inbox.
type outboxRow struct {
	bun.BaseModel `bun:"table:outbox_deliveries,alias:outbox_deliveries"`

	ID            int64     `bun:"id,pk,autoincrement"`
	Host          string    `bun:"host"`
	Inbox         string    `bun:"inbox"`
	ActivityID    int64     `bun:"activity_id"`
	Attempts      int       `bun:"attempts"`
	NextAttemptAt time.Time `bun:"next_attempt_at,nullzero"`
	CreatedAt     time.Time `bun:"created_at"`
}

// outboxHost is a row of outbox_hosts: a remote host's place in the
// dispatcher's schedule. Times are unix milliseconds, compared in SQL the
// same way on both databases.
type outboxHost struct {
	bun.BaseModel `bun:"table:outbox_hosts,alias:outbox_hosts"`

	Host       string  `bun:"host,pk"`
	Seq        int64   `bun:"seq"`
	NextAt     *int64  `bun:"next_at"`
	Owner      *string `bun:"owner"`
	LeaseUntil *int64  `bun:"lease_until"`
}

// appendTx queues activity for each inbox in tx, skipping dead hosts and
// unusable inboxes: the activity once, a row per inbox, and each host made
// due unless its queue is already waiting on an earlier delivery. The
// dispatchers are woken when tx commits.
func (d *Deliverer) appendTx(ctx context.Context, tx bun.Tx, senderID int64, activity []byte, inboxes []string) error {
	dead, err := d.hosts.deadHosts(ctx, tx)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	hosts := make([]string, 0, len(inboxes))
	kept := make([]string, 0, len(inboxes))
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
		hosts = append(hosts, host)
		kept = append(kept, inbox)
	}
	if len(kept) == 0 {
		d.log.InfoContext(ctx, "fan-out queued", "sender_id", senderID, "deliveries", 0, "skipped_dead_hosts", skipped)
		return nil
	}
	act := &outboxActivity{SenderID: senderID, Activity: string(activity), CreatedAt: now}
	if _, err := tx.NewInsert().Model(act).Returning("id").Exec(ctx); err != nil {
		return fmt.Errorf("queue activity: %w", err)
	}
	if err := d.insertDeliveriesTx(ctx, tx, act.ID, now, hosts, kept); err != nil {
		return err
	}
	if err := d.scheduleHostsTx(ctx, tx, hosts, now); err != nil {
		return err
	}
	if err := d.wake.NotifyTx(ctx, tx, wake.Delivery); err != nil {
		return err
	}
	d.log.InfoContext(ctx, "fan-out queued", "sender_id", senderID, "deliveries", len(kept), "skipped_dead_hosts", skipped)
	return nil
}
