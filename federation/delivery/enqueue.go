package delivery

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
)

// EnqueueTx queues the delivery of activity, sent as sender, to inboxes and
// (with toFollowers) to every accepted follower, one row per inbox, all in
// tx: the delivery happens if and only if tx commits, and each server gets
// it after everything queued for it before (followers as of this moment,
// so a follow accepted earlier gets its Accept first).
func (d *Deliverer) EnqueueTx(ctx context.Context, tx bun.Tx, sender *model.Actor, activity []byte, toFollowers bool, inboxes []string) error {
	if sender == nil || !sender.Local || sender.ID == 0 {
		return errors.New("enqueue delivery: the sender must be a stored local actor")
	}
	// Checked here, where the caller can still fail its transaction, rather
	// than in a worker days later; invalid UTF-8 would not survive the queue.
	if !json.Valid(activity) || !utf8.Valid(activity) {
		return fmt.Errorf("enqueue delivery by %s: activity is not valid UTF-8 JSON", sender.Username)
	}
	if !toFollowers && len(inboxes) == 0 {
		return nil
	}
	all, err := d.recipients(ctx, tx, FanoutArgs{SenderID: sender.ID, ToFollowers: toFollowers, Inboxes: inboxes})
	if err == nil {
		err = d.appendTx(ctx, tx, sender.ID, bytes.Clone(activity), all)
	}
	if err != nil {
		return fmt.Errorf("enqueue delivery by %s: %w", sender.Username, err)
	}
	return nil
}
