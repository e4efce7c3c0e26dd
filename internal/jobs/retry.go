package jobs

import (
	"errors"
	"math/rand/v2"
	"time"

	"github.com/riverqueue/river/rivertype"
)

// RetryPolicy is exponential backoff with full jitter: after the n-th
// failure the next try waits a uniformly random time in [0, ceiling(n)]
// (raised to a small floor), where ceiling(n) = min(Cap, Base·2^(n-1)).
// Full jitter spreads out the thousands of deliveries that fail together
// when one server goes down, so they do not come back at it in one wave.
type RetryPolicy struct {
	Base        time.Duration // ceiling after the first failure
	Cap         time.Duration // largest ceiling
	MaxAttempts int           // tries in all, the first included
}

// MinDelay is the floor on a wait, so that full jitter never retries in
// the same instant; short (test) policies use a tenth of the ceiling.
const MinDelay = time.Second

// DefaultRetryPolicy retries for about two days. The ceilings are 30 s,
// 1, 2, 4, … 256 min for failures 1–10 (sum 30 s·(2^10−1) ≈ 8.5 h), then
// 6 h for every later one. Full jitter halves the expected wait, so the
// expected span is 8.5 h/2 + k·3 h; k = 15 capped retries give ≈ 49.3 h.
// That is 25 retries, hence 26 attempts.
var DefaultRetryPolicy = RetryPolicy{Base: 30 * time.Second, Cap: 6 * time.Hour, MaxAttempts: 26}

func (p RetryPolicy) validate() error {
	if p.Base <= 0 || p.Cap < p.Base || p.MaxAttempts < 1 {
		return errors.New("retry policy needs 0 < Base <= Cap and MaxAttempts >= 1")
	}
	return nil
}

// Ceiling is the longest wait after the failures-th failure (1-based).
func (p RetryPolicy) Ceiling(failures int) time.Duration {
	d := p.Base
	for i := 1; i < failures && d < p.Cap; i++ {
		d *= 2
	}
	return min(d, p.Cap)
}

// Delay draws the wait after the failures-th failure.
func (p RetryPolicy) Delay(failures int) time.Duration {
	c := p.Ceiling(failures)
	return max(p.floor(c), time.Duration(rand.Int64N(int64(c)+1)))
}

func (p RetryPolicy) floor(ceiling time.Duration) time.Duration {
	return min(MinDelay, ceiling/10)
}

// ExpectedSpan is the mean time from the first try to the last, the sum of
// the mean waits between MaxAttempts tries. The floor adds f²/2c to a mean
// of c/2, under 20 ms a wait for the default policy, and is left out.
func (p RetryPolicy) ExpectedSpan() time.Duration {
	var sum time.Duration
	for n := 1; n < p.MaxAttempts; n++ {
		sum += p.Ceiling(n) / 2
	}
	return sum
}

// NextRetry implements river.ClientRetryPolicy. Failures are counted from
// the recorded errors, not the attempt number, because snoozes (Retry-After)
// give their attempt back and must not push the schedule forward.
func (p RetryPolicy) NextRetry(job *rivertype.JobRow) time.Time {
	return time.Now().UTC().Add(p.Delay(len(job.Errors) + 1))
}
