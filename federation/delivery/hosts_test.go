package delivery

import (
	"context"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// clockedHealth is host health on a real table with a clock the test moves.
type clockedHealth struct {
	*hostHealth
	clock time.Time
}

func newClockedHealth(st *store.Store) *clockedHealth {
	c := &clockedHealth{hostHealth: newHostHealth(st.DB), clock: time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)}
	c.now = func() time.Time { return c.clock }
	return c
}

func (c *clockedHealth) fail(t *testing.T, host string) time.Time {
	t.Helper()
	until, err := c.recordFailure(context.Background(), host)
	if err != nil {
		t.Fatal(err)
	}
	return until
}

func (c *clockedHealth) succeed(t *testing.T, host string) {
	t.Helper()
	if err := c.recordSuccess(context.Background(), host); err != nil {
		t.Fatal(err)
	}
}

func (c *clockedHealth) isDead(t *testing.T, host string) bool {
	t.Helper()
	_, dead, err := c.deadUntil(context.Background(), host)
	if err != nil {
		t.Fatal(err)
	}
	all, err := c.deadHosts(context.Background(), c.db)
	if err != nil {
		t.Fatal(err)
	}
	if all[host] != dead {
		t.Fatalf("deadUntil says %v, deadHosts says %v", dead, all[host])
	}
	return dead
}

func (c *clockedHealth) row(t *testing.T, host string) *hostRow {
	t.Helper()
	r := &hostRow{Host: host}
	if err := c.db.NewSelect().Model(r).WherePK().Scan(context.Background()); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestHostDiesAfterTenFailuresOverTwelveHours(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		h := newClockedHealth(st)
		const host = "slow.example"
		// Nine failures 90 minutes apart span 12 h, but nine is too few.
		for range 9 {
			if until := h.fail(t, host); !until.IsZero() {
				t.Fatalf("dead after %d failures", h.row(t, host).ConsecutiveFailures)
			}
			h.clock = h.clock.Add(90 * time.Minute)
		}
		if h.isDead(t, host) {
			t.Fatal("dead after nine failures")
		}
		until := h.fail(t, host)
		if want := h.clock.Add(deadFor); !until.Equal(want) {
			t.Fatalf("tenth failure over 13.5h: dead until %v, want %v", until, want)
		}
		if !h.isDead(t, host) {
			t.Fatal("not dead after the tenth failure")
		}
		// Failures while dead do not extend the period.
		h.clock = h.clock.Add(time.Hour)
		if again := h.fail(t, host); !again.IsZero() || !h.row(t, host).DeadUntil.Equal(until) {
			t.Errorf("a failure while dead moved dead_until to %v", h.row(t, host).DeadUntil)
		}
	})
}

func TestBurstOfFailuresIsNotDeath(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		h := newClockedHealth(st)
		const host = "blip.example"
		for range 50 {
			h.fail(t, host)
			h.clock = h.clock.Add(time.Second)
		}
		if h.isDead(t, host) {
			t.Fatal("dead after a one-minute burst")
		}
		// Still failing twelve hours after the run began: now it dies.
		h.clock = h.row(t, host).FirstFailureAt.Add(deadAfterFailingFor)
		if h.fail(t, host).IsZero() || !h.isDead(t, host) {
			t.Fatal("not dead after failing for twelve hours")
		}
	})
}

func TestSuccessRevivesHost(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		h := newClockedHealth(st)
		const host = "back.example"
		h.succeed(t, host) // a success this process will remember
		for range deadAfterFailures {
			h.fail(t, host)
			h.clock = h.clock.Add(2 * time.Hour)
		}
		if !h.isDead(t, host) {
			t.Fatal("not dead")
		}
		// The failure forgot the earlier success, so this one is written.
		h.succeed(t, host)
		r := h.row(t, host)
		if h.isDead(t, host) || r.ConsecutiveFailures != 0 || !r.FirstFailureAt.IsZero() || !r.LastSuccessAt.Equal(h.clock) {
			t.Fatalf("after a success: %+v", r)
		}
		// A single new failure starts a new run.
		h.fail(t, host)
		if h.isDead(t, host) || h.row(t, host).ConsecutiveFailures != 1 {
			t.Fatal("old failures counted after a success")
		}
	})
}

func TestDeadPeriodEndsAndOneFailureRenewsIt(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		h := newClockedHealth(st)
		const host = "gone.example"
		for range deadAfterFailures {
			h.fail(t, host)
			h.clock = h.clock.Add(2 * time.Hour)
		}
		h.clock = h.clock.Add(deadFor + time.Minute)
		if h.isDead(t, host) {
			t.Fatal("still dead after the period")
		}
		// Let back in on probation: the run was never broken.
		if h.fail(t, host).IsZero() {
			t.Fatal("a failure after the dead period did not renew it")
		}
	})
}

func TestSuccessWritesAreThrottled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		h := newClockedHealth(st)
		const host = "busy.example"
		first := h.clock
		h.succeed(t, host)
		h.clock = h.clock.Add(successRecordEvery / 2)
		h.succeed(t, host)
		if got := h.row(t, host).LastSuccessAt; !got.Equal(first) {
			t.Errorf("second success within %s was written (%v)", successRecordEvery, got)
		}
		h.clock = first.Add(successRecordEvery)
		h.succeed(t, host)
		if got := h.row(t, host).LastSuccessAt; !got.Equal(h.clock) {
			t.Errorf("success after %s not written (last %v)", successRecordEvery, got)
		}
	})
}
