package config

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"time"
)

// Inbox defaults. A host's budget is far above what a real server sends us
// (one shared-inbox delivery per activity, however many of its accounts
// follow ours): 50 a second is 180,000 an hour from one host, and a burst
// of 200 lets a server drain a backlog after an outage or answer a popular
// post's boosts at once without a single 429. What it stops is one host
// taking all of the inbox's capacity (a few hundred deliveries a second on
// one core) from everyone else. A refused sender retries later, as Mastodon
// and GoToSocial do on 429.
//
// Processed activities are kept 14 days: only their ids are still needed,
// to recognise a repeated delivery, and senders stop retrying within a few
// days (we after about two).
const (
	DefaultInboxRate      = 50.0
	DefaultInboxBurst     = 200
	DefaultInboxRetention = 14 * 24 * time.Hour

	// MinInboxRetention keeps de-duplication meaningful: a shorter
	// retention would forget an id while its sender may still retry it.
	MinInboxRetention = 24 * time.Hour
)

func (c *Config) inboxFromEnv() {
	c.InboxRate, c.InboxBurst, c.InboxRetention = DefaultInboxRate, DefaultInboxBurst, DefaultInboxRetention
	if v, err := strconv.ParseFloat(os.Getenv(EnvInboxRate), 64); err == nil {
		c.InboxRate = v
	}
	if n, err := strconv.Atoi(os.Getenv(EnvInboxBurst)); err == nil {
		c.InboxBurst = n
	}
	c.InboxRetention = envDuration(EnvInboxRetain, c.InboxRetention)
}

func (c *Config) registerInbox(fs *flag.FlagSet) {
	fs.Float64Var(&c.InboxRate, "inbox-rate", c.InboxRate, "inbox requests per second one remote host may send; 0 turns the limit off (env "+EnvInboxRate+")")
	fs.IntVar(&c.InboxBurst, "inbox-burst", c.InboxBurst, "inbox requests one remote host may send at once above --inbox-rate (env "+EnvInboxBurst+")")
	fs.DurationVar(&c.InboxRetention, "inbox-retention", c.InboxRetention, "how long processed inbox activities are kept, for recognising repeats; 0 keeps them for ever (env "+EnvInboxRetain+")")
}

func (c *Config) validateInbox() error {
	if c.InboxRate < 0 {
		return fmt.Errorf("--inbox-rate must be 0 (no limit) or more, got %g", c.InboxRate)
	}
	if c.InboxRate > 0 && c.InboxBurst < 1 {
		return fmt.Errorf("--inbox-burst must be at least 1 when --inbox-rate is set, got %d", c.InboxBurst)
	}
	if c.InboxRetention < 0 || (c.InboxRetention > 0 && c.InboxRetention < MinInboxRetention) {
		return fmt.Errorf("--inbox-retention must be 0 (keep for ever) or at least %s, got %s: a repeated delivery is only recognised while its id is kept", MinInboxRetention, c.InboxRetention)
	}
	return nil
}
