package jobs_test

import (
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"

	"github.com/commonplace-social/commonplace/internal/jobs"
)

func TestDefaultRetryPolicySpansAboutTwoDays(t *testing.T) {
	p := jobs.DefaultRetryPolicy
	if got := p.Ceiling(1); got != 30*time.Second {
		t.Errorf("first ceiling %s, want 30s", got)
	}
	if got := p.Ceiling(p.MaxAttempts); got != 6*time.Hour {
		t.Errorf("last ceiling %s, want the 6h cap", got)
	}
	span := p.ExpectedSpan()
	t.Logf("expected span of %d attempts: %s", p.MaxAttempts, span)
	if span < 40*time.Hour || span > 56*time.Hour {
		t.Errorf("expected span %s, want between 40h and 56h", span)
	}

	// Drawn schedules average out to the same span (standard error of the
	// mean here is about 10 minutes).
	const runs = 2000
	var total time.Duration
	for range runs {
		for n := 1; n < p.MaxAttempts; n++ {
			total += p.Delay(n)
		}
	}
	mean := total / runs
	if mean < 40*time.Hour || mean > 56*time.Hour {
		t.Errorf("mean drawn span %s, want between 40h and 56h", mean)
	}
}

func TestRetryJitterStaysWithinBounds(t *testing.T) {
	for _, p := range []jobs.RetryPolicy{jobs.DefaultRetryPolicy, {Base: 100 * time.Millisecond, Cap: time.Second, MaxAttempts: 10}} {
		for n := 1; n <= p.MaxAttempts+3; n++ {
			ceiling := p.Ceiling(n)
			if ceiling > p.Cap {
				t.Fatalf("ceiling %s after %d failures exceeds cap %s", ceiling, n, p.Cap)
			}
			floor := min(jobs.MinDelay, ceiling/10)
			var lo, hi time.Duration = ceiling, 0
			for range 500 {
				d := p.Delay(n)
				if d < floor || d > ceiling {
					t.Fatalf("delay %s after %d failures outside [%s, %s]", d, n, floor, ceiling)
				}
				lo, hi = min(lo, d), max(hi, d)
			}
			// Full jitter: draws cover most of the range, not one point.
			if hi-lo < ceiling/2 {
				t.Errorf("after %d failures draws span only [%s, %s] of [0, %s]", n, lo, hi, ceiling)
			}
		}
	}
}

func TestNextRetryCountsRecordedErrors(t *testing.T) {
	p := jobs.RetryPolicy{Base: time.Minute, Cap: time.Hour, MaxAttempts: 10}
	// Two recorded errors: this is the third failure, ceiling 4 min, even
	// though snoozes may have left the attempt number lower.
	job := &rivertype.JobRow{Attempt: 1, Errors: make([]rivertype.AttemptError, 2)}
	before := time.Now()
	at := p.NextRetry(job)
	if wait := at.Sub(before); wait < 0 || wait > 4*time.Minute+time.Second {
		t.Errorf("next retry in %s, want within the third ceiling of 4m", wait)
	}
}
