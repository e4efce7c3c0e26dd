package delivery

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/commonplace-social/commonplace/internal/store"
)

// insertBatch bounds the recipients written by one statement. Each
// statement carries them as one array (Postgres) or one JSON document
// (SQLite) rather than as a row of literals each: a 1,000-row VALUES list
// cost more to parse and plan than to run.
const insertBatch = 5000

// insertDeliveriesTx writes one outbox_deliveries row per recipient, in
// the order given, hosts[i] being the host of inboxes[i].
func (d *Deliverer) insertDeliveriesTx(ctx context.Context, tx bun.Tx, activityID int64, now time.Time, hosts, inboxes []string) error {
	for start := 0; start < len(hosts); start += insertBatch {
		end := min(start+insertBatch, len(hosts))
		h, in := hosts[start:end], inboxes[start:end]
		var err error
		if d.store.Dialect == store.Postgres {
			_, err = tx.NewRaw(`INSERT INTO outbox_deliveries (host, inbox, activity_id, created_at)
				SELECT t.host, t.inbox, ?, ? FROM unnest(?::text[], ?::text[]) WITH ORDINALITY AS t(host, inbox, n)
				ORDER BY t.n`, activityID, now, pgdialect.Array(h), pgdialect.Array(in)).Exec(ctx)
		} else {
			var pairs []byte
			if pairs, err = json.Marshal(zipPairs(h, in)); err != nil {
				return fmt.Errorf("queue %d deliveries: %w", len(h), err)
			}
			_, err = tx.NewRaw(`INSERT INTO outbox_deliveries (host, inbox, activity_id, created_at)
				SELECT value ->> 0, value ->> 1, ?, ? FROM json_each(?) ORDER BY key`,
				activityID, now, string(pairs)).Exec(ctx)
		}
		if err != nil {
			return fmt.Errorf("queue %d deliveries: %w", len(h), err)
		}
	}
	return nil
}

// scheduleHostsTx bumps each host's seq and makes it due now if nothing
// was queued for it. The rows are locked in one order (sorted by bytes,
// as releases lock them) so that concurrent appends and releases cannot
// deadlock; on Postgres the ordinality keeps that order through the
// insert.
func (d *Deliverer) scheduleHostsTx(ctx context.Context, tx bun.Tx, hosts []string, now time.Time) error {
	hosts = slices.Compact(slices.Sorted(slices.Values(hosts)))
	due := now.UnixMilli()
	for chunk := range slices.Chunk(hosts, insertBatch) {
		var err error
		if d.store.Dialect == store.Postgres {
			_, err = tx.NewRaw(`INSERT INTO outbox_hosts (host, seq, next_at)
				SELECT t.host, 1, ? FROM unnest(?::text[]) WITH ORDINALITY AS t(host, n) ORDER BY t.n
				ON CONFLICT (host) DO UPDATE SET seq = outbox_hosts.seq + 1,
					next_at = COALESCE(outbox_hosts.next_at, EXCLUDED.next_at)`,
				due, pgdialect.Array(chunk)).Exec(ctx)
		} else {
			var list []byte
			if list, err = json.Marshal(chunk); err != nil {
				return fmt.Errorf("schedule %d hosts: %w", len(chunk), err)
			}
			// "WHERE true" tells SQLite's parser that ON CONFLICT is not a
			// join constraint.
			_, err = tx.NewRaw(`INSERT INTO outbox_hosts (host, seq, next_at)
				SELECT value, 1, ? FROM json_each(?) WHERE true
				ON CONFLICT (host) DO UPDATE SET seq = outbox_hosts.seq + 1,
					next_at = COALESCE(outbox_hosts.next_at, EXCLUDED.next_at)`,
				due, string(list)).Exec(ctx)
		}
		if err != nil {
			return fmt.Errorf("schedule %d hosts: %w", len(chunk), err)
		}
	}
	return nil
}

// zipPairs pairs a[i] with b[i], for a JSON array of two-string arrays.
func zipPairs(a, b []string) [][2]string {
	out := make([][2]string, len(a))
	for i := range a {
		out[i] = [2]string{a[i], b[i]}
	}
	return out
}
