package delivery

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/riverqueue/river"

	"github.com/commonplace-social/commonplace/federation/httpsign"
	"github.com/commonplace-social/commonplace/federation/transport"
	"github.com/commonplace-social/commonplace/internal/metrics"
)

const (
	// maxSnooze caps how long a peer's Retry-After may park a delivery,
	// the same as the longest wait of the retry schedule.
	maxSnooze = 6 * time.Hour
	// maxDeliveryAge ends a delivery that is still pending this long after
	// it was queued. The retry schedule ends first (about two days);
	// this bounds snoozes, which do not use up attempts.
	maxDeliveryAge = 4 * 24 * time.Hour
	// slotWait is how long a delivery waits for one of its host's slots
	// before handing its worker back and trying again slotSnooze later.
	slotWait   = 30 * time.Second
	slotSnooze = 5 * time.Second
)

type deliverWorker struct {
	river.WorkerDefaults[DeliverArgs]
	d *Deliverer
}

// attempt is what a delivery knows of its job, kept apart from River so
// that deliver can be called directly.
type attempt struct {
	number, max int
	queuedAt    time.Time
}

func (w *deliverWorker) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	return w.d.deliver(ctx, job.Args, attempt{number: job.Attempt, max: job.MaxAttempts, queuedAt: job.CreatedAt})
}

// deliver makes one attempt of a delivery job, queued before deliveries
// were ordered per host. Its error tells the queue what to do next: nil
// (done), river.JobSnooze (come back later without spending an attempt),
// river.JobCancel (never retry) or any other error (retry on the backoff
// schedule).
func (d *Deliverer) deliver(ctx context.Context, a DeliverArgs, at attempt) error {
	r := d.send(ctx, a, at)
	switch r.verdict {
	case sent:
		return nil
	case waitFor:
		return river.JobSnooze(r.after)
	case dropped:
		return river.JobCancel(r.err)
	case throttled:
		return river.JobSnooze(slotSnooze)
	}
	return r.err
}

// verdict is what one attempt to send says about the delivery's future.
type verdict int

const (
	sent        verdict = iota
	retryLater          // on the backoff schedule
	waitFor             // the peer's Retry-After, without spending an attempt
	dropped             // never to be sent: refused, dead host, too old, no signer
	throttled           // no slot free for the host: try again soon
	interrupted         // our own shutdown or timeout: not the peer's doing
)

type result struct {
	verdict verdict
	after   time.Duration // for waitFor
	err     error
}

// send makes one signed POST of a to its inbox for a delivery job queued
// before the dispatcher, checking first that it is still worth sending,
// and records what the answer says about the host.
func (d *Deliverer) send(ctx context.Context, a DeliverArgs, at attempt) result {
	m := metrics.From(ctx)
	host, err := inboxHost(a.Inbox)
	if err != nil {
		m.Delivery("cancelled")
		return result{verdict: dropped, err: fmt.Errorf("deliver: %w", err)}
	}
	if res, ok := d.check(ctx, host, a, at); !ok {
		return res
	}
	// A dead host's deliveries are dropped rather than delayed: it has
	// been failing for half a day, and news that reaches it a day late or
	// more is stale. Fan-outs skip it until the period ends; the first
	// delivery after that probes it.
	if until, dead, err := d.hosts.deadUntil(ctx, host); err != nil {
		m.Delivery("retry")
		return result{verdict: retryLater, err: err}
	} else if dead {
		m.Delivery("dead_host")
		d.log.InfoContext(ctx, "delivery cancelled: host marked dead", "host", host, "inbox", a.Inbox, "dead_until", until)
		return result{verdict: dropped, err: fmt.Errorf("deliver to %s: host %s is dead until %s", a.Inbox, host, until.Format(time.RFC3339))}
	}
	signer, res, ok := d.signer(ctx, host, a, time.Time{})
	if !ok {
		return res
	}
	waitCtx, cancel := context.WithTimeout(ctx, slotWait)
	release, err := d.limiter.acquire(waitCtx, host)
	cancel()
	if err != nil {
		if ctx.Err() != nil {
			return result{verdict: interrupted, err: fmt.Errorf("deliver to %s: waiting for a slot: %w", a.Inbox, ctx.Err())}
		}
		m.Delivery("throttled")
		return result{verdict: throttled}
	}
	err = d.transport.Post(ctx, a.Inbox, a.Activity, signer)
	release()
	res, up := d.outcome(ctx, host, a, at, err)
	if up {
		d.recordSuccess(ctx, host)
	}
	return res
}

// check drops a delivery that has been pending too long.
func (d *Deliverer) check(ctx context.Context, host string, a DeliverArgs, at attempt) (result, bool) {
	if !at.queuedAt.IsZero() && time.Since(at.queuedAt) > maxDeliveryAge {
		d.log.WarnContext(ctx, "delivery abandoned: too old", "host", host, "inbox", a.Inbox, "queued_at", at.queuedAt)
		metrics.From(ctx).Delivery("cancelled")
		return result{verdict: dropped, err: fmt.Errorf("deliver to %s: still pending after %s", a.Inbox, maxDeliveryAge)}, false
	}
	return result{}, true
}

// signer returns the sender's signer, with its key as stored after
// freshAfter, or the verdict when there is none: dropped for a sender that
// can never sign, retried for a passing error.
func (d *Deliverer) signer(ctx context.Context, host string, a DeliverArgs, freshAfter time.Time) (*httpsign.Signer, result, bool) {
	signer, err := d.signers.get(ctx, a.SenderID, freshAfter)
	if errors.Is(err, errNoSigner) {
		d.log.ErrorContext(ctx, "delivery cancelled: sender cannot sign", "host", host, "sender_id", a.SenderID, "err", err)
		metrics.From(ctx).Delivery("cancelled")
		return nil, result{verdict: dropped, err: err}, false
	} else if err != nil {
		metrics.From(ctx).Delivery("retry")
		return nil, result{verdict: retryLater, err: err}, false
	}
	return signer, result{}, true
}

// outcome records a failure's bearing on the host's health and maps the
// POST's error to a verdict, logging every failure with the remote host
// named. up says whether the host answered other than with a 5xx, which
// the caller records as a success of the host.
func (d *Deliverer) outcome(ctx context.Context, host string, a DeliverArgs, at attempt, err error) (result, bool) {
	if err == nil {
		metrics.From(ctx).Delivery("delivered")
		return result{verdict: sent}, true
	}
	if ctx.Err() != nil {
		// Our own shutdown or job timeout, not the peer's fault: the
		// delivery is tried again without counting this attempt.
		return result{verdict: interrupted, err: fmt.Errorf("deliver to %s: %w", a.Inbox, err)}, false
	}
	se, answered := errors.AsType[*transport.StatusError](err)
	status := 0
	if answered {
		status = se.Code
	}

	next := result{verdict: retryLater, err: err}
	action := "retry"
	switch {
	case answered && se.RetryAfter > 0 && (se.Code == http.StatusTooManyRequests || se.Code == http.StatusServiceUnavailable):
		action, next = "snooze", result{verdict: waitFor, after: min(se.RetryAfter, maxSnooze), err: err}
	case transport.Retryable(err):
		if at.number >= at.max {
			action = "give up"
		}
	default:
		action, next = "cancel", result{verdict: dropped, err: err}
	}

	// Only silence or a 5xx counts against a host; any other answer, even
	// a refusal, shows that it is up.
	var deadUntil time.Time
	up := false
	switch {
	case !answered && transport.Retryable(err), answered && se.Code >= 500:
		var herr error
		if deadUntil, herr = d.hosts.recordFailure(ctx, host); herr != nil {
			d.log.ErrorContext(ctx, "recording host failure", "host", host, "err", herr)
		}
	case answered:
		up = true
	}

	attrs := []any{"host", host, "inbox", a.Inbox, "status", status, "attempt", at.number, "max_attempts", at.max, "action", action, "err", err}
	if answered && se.RetryAfter > 0 {
		attrs = append(attrs, "retry_after", se.RetryAfter)
	}
	if !deadUntil.IsZero() {
		attrs = append(attrs, "host_dead_until", deadUntil)
	}
	d.log.WarnContext(ctx, "delivery failed", attrs...)
	metrics.From(ctx).Delivery(deliveryOutcomes[action])
	return next, up
}

// deliveryOutcomes are the counter labels of outcome's actions.
var deliveryOutcomes = map[string]string{"retry": "retry", "give up": "gave_up", "snooze": "snoozed", "cancel": "cancelled"}

func (d *Deliverer) recordSuccess(ctx context.Context, host string) {
	if err := d.hosts.recordSuccess(ctx, host); err != nil {
		d.log.ErrorContext(ctx, "recording host success", "host", host, "err", err)
	}
}
