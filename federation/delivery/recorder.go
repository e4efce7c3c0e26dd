package delivery

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/store"
)

// anySeq releases a host whatever was appended to it since it was read.
const anySeq = -1

const (
	// recordBatch is the most operations one transaction records.
	recordBatch = 2000
	// recordRetry bounds the wait before retrying a failed transaction.
	recordRetry = 5 * time.Second
	// finishTimeout bounds the last transaction at shutdown.
	finishTimeout = 10 * time.Second
)

// recOp is what a host's goroutine hands the recorder: rows done with
// (sent or given up), rows to try again later, hosts that answered, and
// a host to hand back once those are recorded.
type recOp struct {
	done     []int64
	postpone []outboxRow
	up       []string
	release  *releaseReq
}

// releaseReq hands a host back, due at nextAt (nil: nothing queued), if its
// seq is still seq (anySeq: whatever it is). reply says whether it was.
type releaseReq struct {
	host   string
	seq    int64
	nextAt *int64
	reply  chan bool
}

// recorder writes the outcomes of every host's deliveries in shared
// transactions, a few milliseconds' worth at a time (group commit), so a
// fan-out costs a handful of commits rather than one per delivery. A
// host's outcomes and its release are recorded in the order it queued
// them, and a release only after the deletes before it have committed, so
// no other process can take the host and send a row again.
type recorder struct {
	d     *Deliverer
	owner string
	every time.Duration
	in    chan recOp
	quit  chan struct{} // closed by finish: record what is left, then end
	ended chan struct{}
	hard  <-chan struct{}
}

func newRecorder(d *Deliverer, owner string, every time.Duration) *recorder {
	return &recorder{d: d, owner: owner, every: every, in: make(chan recOp, 4096),
		quit: make(chan struct{}), ended: make(chan struct{})}
}

// start runs the recorder until finish. The end of ctx is a hard stop:
// from then on a transaction that keeps failing is given up after
// finishTimeout, so that nothing waits on a database that is gone.
func (r *recorder) start(ctx context.Context) {
	r.hard = ctx.Done()
	go r.run(context.WithoutCancel(ctx))
}

// add queues op. It blocks only while the recorder is a full queue behind.
func (r *recorder) add(op recOp) {
	r.in <- op
}

// finish records everything queued and stops the recorder. Nothing may be
// added after it is called.
func (r *recorder) finish() {
	close(r.quit)
	<-r.ended
}

func (r *recorder) run(ctx context.Context) {
	defer close(r.ended)
	for {
		var batch []recOp
		select {
		case op := <-r.in:
			batch = append(batch, op)
		case <-r.quit:
			r.flushLast(ctx)
			return
		}
		window := time.NewTimer(r.every)
	gather:
		for len(batch) < recordBatch {
			select {
			case op := <-r.in:
				batch = append(batch, op)
			case <-window.C:
				break gather
			case <-r.quit:
				break gather
			}
		}
		window.Stop()
		r.flushRetrying(ctx, batch)
	}
}

// flushRetrying records batch, retrying while the database fails; at
// shutdown it tries for finishTimeout and then gives up, leaving the rows
// to be sent again.
func (r *recorder) flushRetrying(ctx context.Context, batch []recOp) {
	pause := 100 * time.Millisecond
	var deadline time.Time
	for {
		err := r.flush(ctx, batch)
		if err == nil {
			return
		}
		if deadline.IsZero() && (isDone(r.quit) || isDone(r.hard)) {
			deadline = time.Now().Add(finishTimeout)
		}
		if !deadline.IsZero() && time.Now().After(deadline) {
			r.d.log.ErrorContext(ctx, "giving up recording delivery outcomes at shutdown; those deliveries will be sent again", "err", err)
			for _, op := range batch {
				if op.release != nil {
					op.release.reply <- true
				}
			}
			return
		}
		r.d.log.ErrorContext(ctx, "recording delivery outcomes", "err", err, "retry_in", pause)
		time.Sleep(pause)
		pause = min(2*pause, recordRetry)
	}
}

// flushLast records what is still queued at shutdown.
func (r *recorder) flushLast(ctx context.Context) {
	for {
		var batch []recOp
		for len(batch) < recordBatch {
			select {
			case op := <-r.in:
				batch = append(batch, op)
				continue
			default:
			}
			break
		}
		if len(batch) == 0 {
			return
		}
		r.flushRetrying(ctx, batch)
	}
}

// flush records batch in one transaction and answers its releases.
func (r *recorder) flush(ctx context.Context, batch []recOp) error {
	var done []int64
	var postpone []outboxRow
	var up []string
	var releases []*releaseReq
	for _, op := range batch {
		done = append(done, op.done...)
		postpone = append(postpone, op.postpone...)
		up = append(up, op.up...)
		if op.release != nil {
			releases = append(releases, op.release)
		}
	}
	up = r.d.hosts.successesDue(up)
	var released map[string]bool
	err := r.d.store.RunInTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		for chunk := range slices.Chunk(done, 1000) {
			if _, err := tx.NewDelete().Model((*outboxRow)(nil)).Where("id IN (?)", bun.In(chunk)).Exec(ctx); err != nil {
				return fmt.Errorf("forget %d deliveries: %w", len(chunk), err)
			}
		}
		for i := range postpone {
			row := &postpone[i]
			if _, err := tx.NewUpdate().Model(row).Column("attempts", "next_attempt_at").WherePK().Exec(ctx); err != nil {
				return fmt.Errorf("postpone delivery %d to %s: %w", row.ID, row.Inbox, err)
			}
		}
		if err := r.d.hosts.recordSuccessesTx(ctx, tx, up); err != nil {
			return err
		}
		var err error
		released, err = r.releaseTx(ctx, tx, releases)
		return err
	})
	if err != nil {
		r.d.hosts.forgetAll(up)
		return err
	}
	for _, req := range releases {
		req.reply <- released[req.host]
	}
	return nil
}

// releaseTx hands hosts back in one statement. On Postgres the rows are
// first locked in byte order of host, the order appends lock them in, so
// the two cannot deadlock.
func (r *recorder) releaseTx(ctx context.Context, tx bun.Tx, reqs []*releaseReq) (map[string]bool, error) {
	released := make(map[string]bool, len(reqs))
	if len(reqs) == 0 {
		return released, nil
	}
	// A host released twice in one batch (a forced hand-back after a
	// failed release) keeps the last request.
	last := make(map[string]*releaseReq, len(reqs))
	for _, q := range reqs {
		last[q.host] = q
	}
	hosts := make([]string, 0, len(last))
	for h := range last {
		hosts = append(hosts, h)
	}
	slices.Sort(hosts)
	if r.d.store.Dialect == store.Postgres {
		if _, err := tx.NewRaw(`SELECT host FROM outbox_hosts WHERE host IN (?) ORDER BY host COLLATE "C" FOR UPDATE`,
			bun.In(hosts)).Exec(ctx); err != nil {
			return nil, fmt.Errorf("lock %d hosts: %w", len(hosts), err)
		}
	}
	var values strings.Builder
	args := make([]any, 0, 3*len(hosts)+2)
	for i, h := range hosts {
		if i > 0 {
			values.WriteString(", ")
		}
		values.WriteString("(?, CAST(? AS BIGINT), CAST(? AS BIGINT))")
		args = append(args, h, last[h].seq, last[h].nextAt)
	}
	args = append(args, bun.In(hosts), r.owner, anySeq)
	var got []string
	err := tx.NewRaw(`WITH v (host, seq, next_at) AS (VALUES `+values.String()+`)
		UPDATE outbox_hosts SET owner = NULL, lease_until = NULL,
			next_at = (SELECT v.next_at FROM v WHERE v.host = outbox_hosts.host)
		WHERE host IN (?) AND owner = ? AND EXISTS (SELECT 1 FROM v WHERE v.host = outbox_hosts.host AND (v.seq = ? OR v.seq = outbox_hosts.seq))
		RETURNING host`, args...).Scan(ctx, &got)
	if err != nil {
		return nil, fmt.Errorf("release %d hosts: %w", len(hosts), err)
	}
	for _, h := range got {
		released[h] = true
	}
	// A forced release of a host no longer held is done with too.
	for h, q := range last {
		if q.seq == anySeq {
			released[h] = true
		}
	}
	return released, nil
}

func isDone(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}
