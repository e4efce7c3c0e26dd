package jobs

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
)

// Defaults for Options. The job timeout bounds one delivery attempt (the
// transport gives up on a request after 30 s); the rescue delay must exceed
// it, or a job still being worked would be handed to a second process.
const (
	DefaultMaxWorkers       = 32
	DefaultPollInterval     = time.Second
	DefaultJobTimeout       = 2 * time.Minute
	DefaultRescueStuckAfter = 5 * time.Minute

	// maxFetchCooldown is River's own default; a shorter poll interval
	// lowers it too, since River requires cooldown <= poll interval.
	maxFetchCooldown = 100 * time.Millisecond
)

// Options configures a Queue. Zero values take the defaults above.
type Options struct {
	// Workers are the job kinds this process works. Nil makes an
	// insert-only queue, as the CLI uses: it commits jobs and leaves the
	// work to the running server.
	Workers *river.Workers
	// MaxWorkers bounds how many jobs run at once in this process.
	MaxWorkers int
	// PollInterval is how often the queue looks for new jobs. Without
	// LISTEN/NOTIFY it is the longest a committed job waits to be picked up.
	PollInterval time.Duration
	// RescueStuckAfter is how long a job may stay running before another
	// process takes it over, e.g. after a crash. Must exceed JobTimeout.
	RescueStuckAfter time.Duration
	// JobTimeout cancels a job's context after this long.
	JobTimeout time.Duration
	// RetryPolicy schedules retries of failed jobs; zero means
	// DefaultRetryPolicy. Tests use a short one.
	RetryPolicy RetryPolicy
	// Logger gets River's own logs as well as the queue's.
	Logger *slog.Logger
}

func (o Options) withDefaults() (Options, error) {
	if o.MaxWorkers <= 0 {
		o.MaxWorkers = DefaultMaxWorkers
	}
	if o.PollInterval <= 0 {
		o.PollInterval = DefaultPollInterval
	}
	if o.JobTimeout <= 0 {
		o.JobTimeout = DefaultJobTimeout
	}
	if o.RescueStuckAfter <= 0 {
		o.RescueStuckAfter = DefaultRescueStuckAfter
	}
	if o.RetryPolicy == (RetryPolicy{}) {
		o.RetryPolicy = DefaultRetryPolicy
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.RescueStuckAfter <= o.JobTimeout {
		return o, fmt.Errorf("queue options: RescueStuckAfter (%s) must exceed JobTimeout (%s), or running jobs would be worked twice",
			o.RescueStuckAfter, o.JobTimeout)
	}
	if err := o.RetryPolicy.validate(); err != nil {
		return o, fmt.Errorf("queue options: %w", err)
	}
	return o, nil
}
