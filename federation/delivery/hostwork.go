package delivery

import (
	"sync"
	"time"

	"github.com/commonplace-social/commonplace/internal/metrics"
)

// work sends one leased host's queued rows in id order until its queue is
// empty or its head must wait (a retry, the peer's Retry-After, a slow
// host's pause), then hands the host back with the time it is next due.
// Rows for one activity to several of the host's inboxes go out together,
// up to the host's concurrency; nothing queued later starts before they
// are done.
func (p *dispatcher) work(l *hostLease) {
	defer p.ended(l)
	var cursor int64 // the last row id handled since the rows were last read from the start
	for {
		if len(l.rows) == 0 && !l.complete {
			rows, err := p.more(l.ctx, l.host, cursor)
			if err != nil {
				p.d.log.ErrorContext(l.ctx, "reading queued deliveries", "host", l.host, "err", err)
				p.handBack(l, time.Now().Add(errorPause))
				return
			}
			l.rows, l.complete = rows, len(rows) < prefetchRows
		}
		if len(l.rows) == 0 {
			if !p.releaseOrReread(l, nil) {
				return
			}
			cursor = 0
			continue
		}
		if l.ctx.Err() != nil || p.isStopping() {
			p.handBack(l, time.Now())
			return
		}
		now := time.Now()
		if head := l.rows[0]; head.NextAttemptAt.After(now) {
			if !p.releaseOrReread(l, &head.NextAttemptAt) {
				return
			}
			cursor = 0
			continue
		}
		batch := p.nextBatch(l, now)
		wait, stop := p.sendBatch(l, batch)
		cursor = batch[len(batch)-1].ID
		l.rows = l.rows[len(batch):]
		if stop {
			if wait.IsZero() { // interrupted: due again at once, for any process
				p.handBack(l, time.Now())
				return
			}
			if !p.releaseOrReread(l, &wait) {
				return
			}
			cursor = 0
		}
	}
}

// nextBatch is the head row and the due rows right after it that carry the
// same activity, up to the host's concurrency.
func (p *dispatcher) nextBatch(l *hostLease, now time.Time) []outboxRow {
	limit := p.pace.concurrency(l.host)
	n := 1
	for n < len(l.rows) && n < limit && l.rows[n].ActivityID == l.rows[0].ActivityID && !l.rows[n].NextAttemptAt.After(now) {
		n++
	}
	return l.rows[:n]
}

// sendBatch sends rows at once and queues their outcomes for recording. It
// reports whether the host must stop here and, if so, until when (zero:
// interrupted by our own shutdown or a lost lease).
func (p *dispatcher) sendBatch(l *hostLease, rows []outboxRow) (wait time.Time, stop bool) {
	policy := p.d.queue.RetryPolicy()
	results := make([]result, len(rows))
	took := make([]time.Duration, len(rows))
	up := make([]bool, len(rows))
	var wg sync.WaitGroup
	for i := range rows {
		wg.Go(func() {
			results[i], up[i], took[i] = p.send(l, rows[i], policy.MaxAttempts)
		})
	}
	wg.Wait()

	var op recOp
	var slowest time.Duration
	for i := range rows {
		r, res := rows[i], results[i]
		slowest = max(slowest, took[i])
		if up[i] {
			op.up = append(op.up, l.host)
		}
		switch res.verdict {
		case sent, dropped:
			op.done = append(op.done, r.ID)
			continue
		case retryLater:
			if r.Attempts++; r.Attempts >= policy.MaxAttempts {
				op.done = append(op.done, r.ID) // given up; outcome logged and counted it
				continue
			}
			r.NextAttemptAt = time.Now().Add(policy.Delay(r.Attempts))
		case waitFor:
			r.NextAttemptAt = time.Now().Add(res.after)
		case throttled, interrupted:
			stop, wait = true, time.Time{}
			continue
		}
		op.postpone = append(op.postpone, r)
		if !stop || (!wait.IsZero() && r.NextAttemptAt.Before(wait)) {
			wait = r.NextAttemptAt
		}
		stop = true
	}
	p.rec.add(op)
	if pause := p.pace.observe(l.host, slowest); pause > 0 && !stop {
		return time.Now().Add(pause), true
	}
	return wait, stop
}

// send makes one attempt of one row. It reports the verdict, whether the
// host answered (so is up), and how long the POST took.
func (p *dispatcher) send(l *hostLease, r outboxRow, maxAttempts int) (result, bool, time.Duration) {
	ctx := l.ctx
	m := metrics.From(ctx)
	a := DeliverArgs{Inbox: r.Inbox}
	at := attempt{number: r.Attempts + 1, max: maxAttempts, queuedAt: r.CreatedAt}
	if l.dead {
		m.Delivery("dead_host")
		p.d.log.InfoContext(ctx, "delivery cancelled: host marked dead", "host", l.host, "inbox", r.Inbox)
		return result{verdict: dropped}, false, 0
	}
	act, err := p.acts.get(ctx, r.ActivityID)
	if err != nil {
		if ctx.Err() != nil {
			return result{verdict: interrupted, err: err}, false, 0
		}
		if errNoActivity(err) {
			p.d.log.ErrorContext(ctx, "delivery dropped: its activity is gone", "host", l.host, "inbox", r.Inbox, "activity_id", r.ActivityID)
			m.Delivery("cancelled")
			return result{verdict: dropped, err: err}, false, 0
		}
		m.Delivery("retry")
		return result{verdict: retryLater, err: err}, false, 0
	}
	a.SenderID, a.Activity = act.senderID, act.body
	if res, ok := p.d.check(ctx, l.host, a, at); !ok {
		return res, false, 0
	}
	signer, res, ok := p.d.signer(ctx, l.host, a, act.loadedAt)
	if !ok {
		return res, false, 0
	}
	select {
	case p.inflight <- struct{}{}:
	case <-ctx.Done():
		return result{verdict: interrupted, err: ctx.Err()}, false, 0
	}
	// A POST that turns out slow gives back its in-flight token and its
	// host's slot: waiting on a slow server must not hold up others.
	var giveBack sync.Once
	release := func() { giveBack.Do(func() { <-p.inflight }) }
	start := time.Now()
	slow := time.AfterFunc(p.opts.SlowAnswer, func() {
		release()
		p.slowPost(l, true)
	})
	err = p.d.transport.Post(ctx, r.Inbox, a.Activity, signer)
	took := time.Since(start)
	if !slow.Stop() {
		p.slowPost(l, false)
	}
	release()
	res, up := p.d.outcome(ctx, l.host, a, at, err)
	return res, up, took
}

func (p *dispatcher) isStopping() bool {
	select {
	case <-p.stopping:
		return true
	default:
		return false
	}
}

// releaseOrReread hands the host back, due at next (nil: nothing queued),
// if nothing was appended since its seq was read, and reports false: the
// goroutine is done. If more was appended it rereads the seq and the rows
// from the start and reports true; if the lease was lost, false.
func (p *dispatcher) releaseOrReread(l *hostLease, next *time.Time) bool {
	if p.release(l, l.seq, next) {
		return false
	}
	seq, held, err := p.reread(l.ctx, l.host)
	if err != nil || !held {
		if err != nil && l.ctx.Err() == nil {
			p.d.log.ErrorContext(l.ctx, "rereading host lease", "host", l.host, "err", err)
			p.handBack(l, time.Now().Add(errorPause))
		}
		return false
	}
	l.seq, l.rows, l.complete = seq, nil, false
	return true
}

// handBack gives the host up whatever was appended, due at next.
func (p *dispatcher) handBack(l *hostLease, next time.Time) {
	p.release(l, anySeq, &next)
}

// release asks the recorder to hand the host back, after the outcomes
// queued before it, and waits for the answer.
func (p *dispatcher) release(l *hostLease, seq int64, next *time.Time) bool {
	req := &releaseReq{host: l.host, seq: seq, reply: make(chan bool, 1)}
	if next != nil {
		ms := next.UnixMilli()
		req.nextAt = &ms
	}
	p.rec.add(recOp{release: req})
	return <-req.reply
}
