package delivery

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/uptrace/bun"
)

// The dead-host rules, after honk: a host is dead once it has failed at
// least deadAfterFailures times in a row over at least deadAfterFailingFor,
// and stays dead for deadFor. Both conditions matter: ten failures in one
// bad minute are a blip, and one failure a day is not an outage. When the
// period ends the host gets deliveries again; the first failure marks it
// dead anew (its run of failures was never broken), the first success
// clears it. Only silence and 5xx answers count as failures.
const (
	deadAfterFailures   = 10
	deadAfterFailingFor = 12 * time.Hour
	deadFor             = 24 * time.Hour
	// successRecordEvery spares the database one write per delivery to a
	// healthy host. Skipping writes cannot let a healthy host be marked
	// dead: its failure run is still reset at least this often.
	successRecordEvery = time.Minute
	// maxRecorded is when stale entries of that memory are swept.
	maxRecorded = 10_000
)

// hostRow is a row of delivery_hosts.
type hostRow struct {
	bun.BaseModel `bun:"table:delivery_hosts,alias:delivery_hosts"`

	Host                string    `bun:"host,pk"`
	ConsecutiveFailures int       `bun:"consecutive_failures"`
	FirstFailureAt      time.Time `bun:"first_failure_at,nullzero"`
	LastFailureAt       time.Time `bun:"last_failure_at,nullzero"`
	LastSuccessAt       time.Time `bun:"last_success_at,nullzero"`
	DeadUntil           time.Time `bun:"dead_until,nullzero"`
}

// shouldMarkDead applies the rules to a host's row just after a failure.
func shouldMarkDead(r *hostRow, now time.Time) bool {
	return r.ConsecutiveFailures >= deadAfterFailures &&
		!r.FirstFailureAt.IsZero() && now.Sub(r.FirstFailureAt) >= deadAfterFailingFor &&
		!r.DeadUntil.After(now)
}

// hostHealth keeps delivery_hosts, shared by every process delivering.
type hostHealth struct {
	db  *bun.DB
	now func() time.Time

	mu       sync.Mutex
	recorded map[string]time.Time // when this process last wrote a success per host
}

func newHostHealth(db *bun.DB) *hostHealth {
	return &hostHealth{db: db, now: time.Now, recorded: make(map[string]time.Time)}
}

// recordSuccess ends the host's failure run and any dead period.
func (h *hostHealth) recordSuccess(ctx context.Context, host string) error {
	now := h.now().UTC()
	h.mu.Lock()
	if last, ok := h.recorded[host]; ok && now.Sub(last) < successRecordEvery {
		h.mu.Unlock()
		return nil
	}
	if len(h.recorded) >= maxRecorded {
		for k, t := range h.recorded {
			if now.Sub(t) >= successRecordEvery {
				delete(h.recorded, k)
			}
		}
	}
	h.recorded[host] = now
	h.mu.Unlock()

	_, err := h.db.NewInsert().Model(&hostRow{Host: host, LastSuccessAt: now}).
		On("CONFLICT (host) DO UPDATE").
		Set("consecutive_failures = 0, first_failure_at = NULL, dead_until = NULL").
		Set("last_success_at = EXCLUDED.last_success_at").
		Exec(ctx)
	if err != nil {
		h.forget(host)
		return fmt.Errorf("record delivery success for %s: %w", host, err)
	}
	return nil
}

// recordFailure extends the host's failure run and, when the rules say so,
// marks it dead; it returns the end of the new dead period, if any.
func (h *hostHealth) recordFailure(ctx context.Context, host string) (deadUntil time.Time, err error) {
	now := h.now().UTC()
	h.forget(host) // the next success must be written
	err = h.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		// The upsert locks the row (Postgres) or the database (SQLite's
		// immediate transactions) until commit, so concurrent failures
		// count one by one and mark the host dead once.
		_, err := tx.NewInsert().Model(&hostRow{Host: host, ConsecutiveFailures: 1, FirstFailureAt: now, LastFailureAt: now}).
			On("CONFLICT (host) DO UPDATE").
			Set("consecutive_failures = delivery_hosts.consecutive_failures + 1").
			Set("first_failure_at = COALESCE(delivery_hosts.first_failure_at, EXCLUDED.first_failure_at)").
			Set("last_failure_at = EXCLUDED.last_failure_at").
			Exec(ctx)
		if err != nil {
			return err
		}
		row := &hostRow{Host: host}
		if err := tx.NewSelect().Model(row).WherePK().Scan(ctx); err != nil {
			return err
		}
		if !shouldMarkDead(row, now) {
			return nil
		}
		deadUntil = now.Add(deadFor)
		_, err = tx.NewUpdate().Model(row).Set("dead_until = ?", deadUntil).WherePK().Exec(ctx)
		return err
	})
	if err != nil {
		return time.Time{}, fmt.Errorf("record delivery failure for %s: %w", host, err)
	}
	return deadUntil, nil
}

// deadUntil reports whether host is dead now, and until when.
func (h *hostHealth) deadUntil(ctx context.Context, host string) (time.Time, bool, error) {
	var rows []hostRow
	if err := h.db.NewSelect().Model(&rows).Column("dead_until").Where("host = ?", host).Scan(ctx); err != nil {
		return time.Time{}, false, fmt.Errorf("health of host %s: %w", host, err)
	}
	if len(rows) == 0 || !rows[0].DeadUntil.After(h.now()) {
		return time.Time{}, false, nil
	}
	return rows[0].DeadUntil, true, nil
}

// deadHosts lists the hosts dead now. There are few, so the comparison with
// now is done here rather than in SQL, where SQLite compares text.
func (h *hostHealth) deadHosts(ctx context.Context, db bun.IDB) (map[string]bool, error) {
	var rows []hostRow
	if err := db.NewSelect().Model(&rows).Column("host", "dead_until").Where("dead_until IS NOT NULL").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list dead hosts: %w", err)
	}
	now := h.now()
	dead := make(map[string]bool)
	for _, r := range rows {
		if r.DeadUntil.After(now) {
			dead[r.Host] = true
		}
	}
	return dead, nil
}

// successesDue returns the distinct hosts among up whose success this
// process has not written in the last successRecordEvery, and notes them
// as written; forgetAll undoes that if the write fails.
func (h *hostHealth) successesDue(up []string) []string {
	if len(up) == 0 {
		return nil
	}
	now := h.now().UTC()
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.recorded) >= maxRecorded {
		for k, t := range h.recorded {
			if now.Sub(t) >= successRecordEvery {
				delete(h.recorded, k)
			}
		}
	}
	var due []string
	for _, host := range up {
		if last, ok := h.recorded[host]; ok && now.Sub(last) < successRecordEvery {
			continue
		}
		h.recorded[host] = now
		due = append(due, host)
	}
	return due
}

// recordSuccessesTx is recordSuccess for many hosts in tx, in byte order
// of host so that concurrent writers lock rows in one order.
func (h *hostHealth) recordSuccessesTx(ctx context.Context, tx bun.Tx, hosts []string) error {
	if len(hosts) == 0 {
		return nil
	}
	hosts = slices.Sorted(slices.Values(hosts))
	now := h.now().UTC()
	rows := make([]hostRow, len(hosts))
	for i, host := range hosts {
		rows[i] = hostRow{Host: host, LastSuccessAt: now}
	}
	_, err := tx.NewInsert().Model(&rows).
		On("CONFLICT (host) DO UPDATE").
		Set("consecutive_failures = 0, first_failure_at = NULL, dead_until = NULL").
		Set("last_success_at = EXCLUDED.last_success_at").
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("record delivery success for %d hosts: %w", len(hosts), err)
	}
	return nil
}

func (h *hostHealth) forgetAll(hosts []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, host := range hosts {
		delete(h.recorded, host)
	}
}

func (h *hostHealth) forget(host string) {
	h.mu.Lock()
	delete(h.recorded, host)
	h.mu.Unlock()
}
