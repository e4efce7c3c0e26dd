package config

import (
	"flag"
	"testing"
	"time"
)

func TestInboxSettings(t *testing.T) {
	t.Setenv(EnvInboxRate, "")
	t.Setenv(EnvInboxBurst, "")
	t.Setenv(EnvInboxRetain, "")
	c := FromEnv()
	if c.InboxRate != DefaultInboxRate || c.InboxBurst != DefaultInboxBurst || c.InboxRetention != DefaultInboxRetention {
		t.Errorf("defaults: rate %g burst %d retention %s", c.InboxRate, c.InboxBurst, c.InboxRetention)
	}
	t.Setenv(EnvInboxRate, "5.5")
	t.Setenv(EnvInboxBurst, "20")
	t.Setenv(EnvInboxRetain, "72h")
	c = FromEnv()
	if c.InboxRate != 5.5 || c.InboxBurst != 20 || c.InboxRetention != 72*time.Hour {
		t.Errorf("from env: rate %g burst %d retention %s", c.InboxRate, c.InboxBurst, c.InboxRetention)
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	c.RegisterServer(fs)
	if err := fs.Parse([]string{"--inbox-rate", "0", "--inbox-retention", "720h"}); err != nil {
		t.Fatal(err)
	}
	if c.InboxRate != 0 || c.InboxRetention != 720*time.Hour {
		t.Errorf("from flags: rate %g retention %s", c.InboxRate, c.InboxRetention)
	}

	for _, bad := range []Config{
		{InboxRate: -1},
		{InboxRate: 10, InboxBurst: 0},
		{InboxRetention: time.Hour},
		{InboxRetention: -time.Hour},
	} {
		if err := bad.validateInbox(); err == nil {
			t.Errorf("%+v passed validation", bad)
		}
	}
	for _, good := range []Config{{}, {InboxRate: 50, InboxBurst: 200, InboxRetention: 14 * 24 * time.Hour}} {
		if err := good.validateInbox(); err != nil {
			t.Errorf("%+v: %v", good, err)
		}
	}
}
