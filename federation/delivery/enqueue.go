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
// (with toFollowers) to every accepted follower. It only inserts one
// fan-out job in tx, so the delivery happens if and only if tx commits.
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
	args := FanoutArgs{SenderID: sender.ID, Activity: bytes.Clone(activity), ToFollowers: toFollowers, Inboxes: inboxes}
	if err := d.queue.InsertTx(ctx, tx, args, nil); err != nil {
		return fmt.Errorf("enqueue delivery by %s: %w", sender.Username, err)
	}
	return nil
}
