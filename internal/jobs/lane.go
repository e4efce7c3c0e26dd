package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/uptrace/bun"
)

// Lane is a family of ordered queues kept in tables of the caller's own,
// one queue per key (a remote host, a remote actor). River has no per-key
// FIFO, so order is kept here: at most one job holds a key's lane at a
// time and works its items one after another.
//
// A hold lasts as long as the holding River job is live (not completed,
// cancelled or discarded). A job that stops to wait (snooze, retry) keeps
// its lanes; River's rescue of a crashed process's jobs ends their holds
// with no timers of our own. The lane's seq counts appends: a holder lets
// go only if nothing was appended since it last looked, and an append
// that finds the lane held by a live job leaves the work to that job.
// Appends and releases touch the same row, so on Postgres they serialise
// on its lock; SQLite runs one writer at a time anyway.
type Lane string

// liveStates are the River job states from which a job will run again.
const liveStates = `'available', 'pending', 'retryable', 'running', 'scheduled'`

// AppendedTx notes in tx that items were appended to the lanes of keys and
// returns the keys no live job holds: the caller must queue a job for each,
// in tx, to work them.
func (l Lane) AppendedTx(ctx context.Context, tx bun.Tx, keys []string) ([]string, error) {
	keys = slices.Compact(slices.Sorted(slices.Values(keys))) // one lock order for every appender
	var idle []string
	for chunk := range slices.Chunk(keys, insertBatch) {
		rows := make([]laneRow, len(chunk))
		for i, k := range chunk {
			rows[i] = laneRow{Lane: string(l), Key: k, Seq: 1}
		}
		var got []laneRow
		if err := tx.NewInsert().Model(&rows).Column("lane", "lane_key", "seq").
			On("CONFLICT (lane, lane_key) DO UPDATE").Set("seq = job_lanes.seq + 1").
			Returning("lane_key, holder").Scan(ctx, &got); err != nil {
			return nil, fmt.Errorf("append to %s lanes: %w", l, err)
		}
		var holders []int64
		for _, r := range got {
			if r.Holder.Valid {
				holders = append(holders, r.Holder.Int64)
			}
		}
		live := map[int64]bool{}
		if len(holders) > 0 {
			var ids []int64
			if err := tx.NewSelect().Table("river_job").Column("id").Where("id IN (?)", bun.In(holders)).
				Where("state IN ("+liveStates+")").Scan(ctx, &ids); err != nil {
				return nil, fmt.Errorf("append to %s lanes: holders: %w", l, err)
			}
			for _, id := range ids {
				live[id] = true
			}
		}
		for _, r := range got {
			if !r.Holder.Valid || !live[r.Holder.Int64] {
				idle = append(idle, r.Key)
			}
		}
	}
	return idle, nil
}

// Claim makes job the holder of key's lane unless another live job holds
// it. It returns the lane's seq, which Release needs. A holder calls it
// again before each item, to learn of appends and to check it still holds
// the lane.
func (l Lane) Claim(ctx context.Context, db bun.IDB, key string, job int64) (seq int64, held bool, err error) {
	seq, held, err = l.take(ctx, db, key, job)
	if err == nil && !held {
		// The lane may not exist yet (work queued before lanes were kept).
		var n int64
		if n, err = db.NewSelect().Table("job_lanes").Where("lane = ? AND lane_key = ?", string(l), key).Count(ctx); err == nil && n == 0 {
			if _, err = db.NewInsert().Model(&laneRow{Lane: string(l), Key: key}).Column("lane", "lane_key").
				On("CONFLICT (lane, lane_key) DO NOTHING").Exec(ctx); err == nil {
				seq, held, err = l.take(ctx, db, key, job)
			}
		}
	}
	if err != nil {
		return 0, false, fmt.Errorf("claim %s lane %s: %w", l, key, err)
	}
	return seq, held, nil
}

func (l Lane) take(ctx context.Context, db bun.IDB, key string, job int64) (seq int64, held bool, err error) {
	err = db.NewUpdate().Table("job_lanes").Set("holder = ?", job).
		Where("lane = ? AND lane_key = ?", string(l), key).
		Where("holder IS NULL OR holder = ? OR NOT EXISTS (SELECT 1 FROM river_job WHERE river_job.id = job_lanes.holder AND river_job.state IN ("+liveStates+"))", job).
		Returning("seq").Scan(ctx, &seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	return seq, err == nil, err
}

// Release lets go of key's lane if job holds it and nothing was appended
// since the Claim that returned seq. False means the holder must look
// again: more items came (or the lane was lost, which its next Claim says).
func (l Lane) Release(ctx context.Context, db bun.IDB, key string, job, seq int64) (bool, error) {
	res, err := db.NewUpdate().Table("job_lanes").Set("holder = NULL").
		Where("lane = ? AND lane_key = ? AND holder = ? AND seq = ?", string(l), key, job, seq).Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("release %s lane %s: %w", l, key, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("release %s lane %s: %w", l, key, err)
	}
	return n == 1, nil
}

type laneRow struct {
	bun.BaseModel `bun:"table:job_lanes,alias:job_lanes"`

	Lane   string        `bun:"lane,pk"`
	Key    string        `bun:"lane_key,pk"`
	Seq    int64         `bun:"seq"`
	Holder sql.NullInt64 `bun:"holder"`
}
