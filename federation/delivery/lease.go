package delivery

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/commonplace-social/commonplace/internal/store"
)

// hostLease is one host this process holds: what its goroutine knows.
type hostLease struct {
	host     string
	seq      int64       // outbox_hosts.seq when last read
	rows     []outboxRow // queued rows read ahead, oldest first
	complete bool        // rows held every queued row when read
	dead     bool        // the host was dead when leased

	ctx    context.Context // ends when the lease is lost or at a hard stop
	cancel context.CancelFunc

	// Under dispatcher.mu:
	slowPosts int  // POSTs running for longer than SlowAnswer
	parked    bool // not holding a slot meanwhile
}

// lease takes up to n due hosts for this process: hosts whose oldest row is
// due, or whose holder's lease ran out. Holding a host moves its next_at
// to the lease's end, so that it is due again, for everyone, only if the
// lease is not renewed. On Postgres, rows another transaction has locked
// (an append, another process leasing) are skipped, not waited for.
func (p *dispatcher) lease(ctx context.Context, n int) ([]*hostLease, error) {
	now := time.Now()
	until := now.Add(p.opts.LeaseTTL).UnixMilli()
	lock := ""
	if p.d.store.Dialect == store.Postgres {
		lock = "FOR UPDATE SKIP LOCKED"
	}
	var got []struct {
		Host string `bun:"host"`
		Seq  int64  `bun:"seq"`
	}
	err := p.d.store.DB.NewRaw(`UPDATE outbox_hosts SET owner = ?, lease_until = ?, next_at = ?
		WHERE host IN (SELECT host FROM outbox_hosts WHERE next_at <= ? ORDER BY next_at LIMIT ? `+lock+`)
		RETURNING host, seq`, p.owner, until, until, now.UnixMilli(), n).Scan(ctx, &got)
	if err != nil {
		return nil, fmt.Errorf("lease hosts: %w", err)
	}
	leases := make([]*hostLease, len(got))
	for i, g := range got {
		leases[i] = &hostLease{host: g.Host, seq: g.Seq}
	}
	return leases, nil
}

// prefetch reads the first rows of every leased host in one query, and
// their activities in another, rather than a query per host.
func (p *dispatcher) prefetch(ctx context.Context, leases []*hostLease) error {
	hosts := make([]string, len(leases))
	byHost := make(map[string]*hostLease, len(leases))
	for i, l := range leases {
		hosts[i] = l.host
		byHost[l.host] = l
	}
	var rows []outboxRow
	var err error
	if p.d.store.Dialect == store.Postgres {
		err = p.d.store.DB.NewRaw(`SELECT d.id, d.host, d.inbox, d.activity_id, d.attempts, d.next_attempt_at, d.created_at
			FROM unnest(?::text[]) AS h(host)
			CROSS JOIN LATERAL (SELECT * FROM outbox_deliveries AS o WHERE o.host = h.host ORDER BY o.id LIMIT ?) AS d
			ORDER BY d.host, d.id`, pgdialect.Array(hosts), prefetchRows).Scan(ctx, &rows)
	} else {
		// SQLite has no LATERAL; a correlated subquery per host does the
		// same, each an index range of at most prefetchRows.
		values := strings.TrimSuffix(strings.Repeat("(?), ", len(hosts)), ", ")
		args := make([]any, 0, len(hosts)+1)
		for _, h := range hosts {
			args = append(args, h)
		}
		args = append(args, prefetchRows)
		err = p.d.store.DB.NewRaw(`WITH h (host) AS (VALUES `+values+`)
			SELECT d.id, d.host, d.inbox, d.activity_id, d.attempts, d.next_attempt_at, d.created_at
			FROM h, outbox_deliveries AS d
			WHERE d.id IN (SELECT o.id FROM outbox_deliveries AS o WHERE o.host = h.host ORDER BY o.id LIMIT ?)
			ORDER BY d.host, d.id`, args...).Scan(ctx, &rows)
	}
	if err != nil {
		return fmt.Errorf("first deliveries of %d hosts: %w", len(hosts), err)
	}
	ids := make(map[int64]bool)
	for _, r := range rows {
		l := byHost[r.Host]
		l.rows = append(l.rows, r)
		ids[r.ActivityID] = true
	}
	for _, l := range leases {
		l.complete = len(l.rows) < prefetchRows
	}
	return p.acts.preload(ctx, ids)
}

// more reads a host's next queued rows after the id it has reached.
func (p *dispatcher) more(ctx context.Context, host string, after int64) ([]outboxRow, error) {
	var rows []outboxRow
	if err := p.d.store.DB.NewSelect().Model(&rows).Where("host = ? AND id > ?", host, after).
		OrderExpr("id").Limit(prefetchRows).Scan(ctx); err != nil {
		return nil, fmt.Errorf("queued deliveries to %s: %w", host, err)
	}
	return rows, nil
}

// reread returns the host's seq, or false if this process no longer
// holds it.
func (p *dispatcher) reread(ctx context.Context, host string) (int64, bool, error) {
	var seq int64
	err := p.d.store.DB.NewSelect().Model((*outboxHost)(nil)).Column("seq").
		Where("host = ? AND owner = ?", host, p.owner).Scan(ctx, &seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("lease on %s: %w", host, err)
	}
	return seq, true, nil
}

// nextDue is when the earliest host comes due (or its lease runs out).
func (p *dispatcher) nextDue(ctx context.Context) (time.Time, bool, error) {
	var next sql.NullInt64
	if err := p.d.store.DB.NewSelect().Model((*outboxHost)(nil)).ColumnExpr("min(next_at)").
		Where("next_at IS NOT NULL").Scan(ctx, &next); err != nil {
		return time.Time{}, false, fmt.Errorf("next due host: %w", err)
	}
	if !next.Valid {
		return time.Time{}, false, nil
	}
	return time.UnixMilli(next.Int64), true, nil
}

// renewLeases extends this process's leases on hosts and returns those it
// no longer holds. A host whose row another transaction has locked is
// left for the next round rather than waited for.
func (p *dispatcher) renewLeases(ctx context.Context, hosts []string) (lost []string, err error) {
	if len(hosts) == 0 {
		return nil, nil
	}
	until := time.Now().Add(p.opts.LeaseTTL).UnixMilli()
	lock := ""
	if p.d.store.Dialect == store.Postgres {
		lock = "FOR UPDATE SKIP LOCKED"
	}
	if _, err := p.d.store.DB.NewRaw(`UPDATE outbox_hosts SET lease_until = ?, next_at = ?
		WHERE host IN (SELECT host FROM outbox_hosts WHERE host IN (?) AND owner = ? `+lock+`)`,
		until, until, bun.In(hosts), p.owner).Exec(ctx); err != nil {
		return nil, fmt.Errorf("renew %d leases: %w", len(hosts), err)
	}
	var held []string
	if err := p.d.store.DB.NewSelect().Model((*outboxHost)(nil)).Column("host").
		Where("host IN (?) AND owner = ?", bun.In(hosts), p.owner).Scan(ctx, &held); err != nil {
		return nil, fmt.Errorf("check %d leases: %w", len(hosts), err)
	}
	still := make(map[string]bool, len(held))
	for _, h := range held {
		still[h] = true
	}
	for _, h := range hosts {
		if !still[h] {
			lost = append(lost, h)
		}
	}
	return lost, nil
}

// sweep deletes activities whose deliveries are all done, a batch at a
// time. An activity and its rows are committed together, so one with no
// rows left never gets more.
func (p *dispatcher) sweep(ctx context.Context) error {
	for {
		res, err := p.d.store.DB.NewRaw(`DELETE FROM outbox_activities WHERE id IN (
			SELECT a.id FROM outbox_activities AS a
			WHERE NOT EXISTS (SELECT 1 FROM outbox_deliveries AS d WHERE d.activity_id = a.id) LIMIT 1000)`).Exec(ctx)
		if err != nil {
			return fmt.Errorf("sweep activities: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n < 1000 {
			return err
		}
	}
}
