package accounts

import (
	"testing"
	"time"
)

func testLimiter(now *time.Time) *Limiter {
	return &Limiter{PairFree: 5, BackoffBase: 30 * time.Second, BackoffMax: 15 * time.Minute, Remember: 24 * time.Hour,
		AddrMax: 30, AddrWindow: 15 * time.Minute, Now: func() time.Time { return *now }}
}

func TestLimiterBacksOffPerAddressAndEmail(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	l := testLimiter(&now)
	for i := range 5 {
		if w := l.Wait("1.1.1.1", "a@x"); w != 0 {
			t.Fatalf("waiting %s after %d failures", w, i)
		}
		l.Fail("1.1.1.1", "a@x")
	}
	if w := l.Wait("1.1.1.1", "a@x"); w != 30*time.Second {
		t.Fatalf("after five failures: wait %s", w)
	}
	now = now.Add(30 * time.Second)
	for i, want := range []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 15 * time.Minute, 15 * time.Minute} {
		l.Fail("1.1.1.1", "a@x")
		if w := l.Wait("1.1.1.1", "a@x"); w != want {
			t.Fatalf("after %d failures: wait %s, want %s", 6+i, w, want)
		}
		now = now.Add(want)
	}
	if l.Wait("2.2.2.2", "a@x") != 0 || l.Wait("1.1.1.1", "b@x") != 0 {
		t.Error("another address, or another email from the same address, is held back")
	}
	l.Fail("1.1.1.1", "a@x")
	l.Succeed("1.1.1.1", "a@x")
	if l.Wait("1.1.1.1", "a@x") != 0 {
		t.Error("a correct password does not clear the pair")
	}
}

func TestLimiterCapsAddressAcrossEmails(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	l := testLimiter(&now)
	for i := range 30 {
		l.Fail("1.1.1.1", string(rune('a'+i%26))+"@x"+string(rune('0'+i/26)))
	}
	if w := l.Wait("1.1.1.1", "fresh@x"); w != 15*time.Minute {
		t.Errorf("30 failures over many emails: wait %s for a new one", w)
	}
	if l.Wait("2.2.2.2", "fresh@x") != 0 {
		t.Error("another address is held back")
	}
	l.Succeed("1.1.1.1", "fresh@x")
	if l.Wait("1.1.1.1", "other@x") == 0 {
		t.Error("one success reset the address's count")
	}
	now = now.Add(15 * time.Minute)
	if w := l.Wait("1.1.1.1", "fresh@x"); w != 0 {
		t.Errorf("still waiting %s after the window", w)
	}
}

func TestLimiterForgetsAndStaysBounded(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	l := testLimiter(&now)
	for range 10 {
		l.Fail("1.1.1.1", "a@x")
	}
	now = now.Add(25 * time.Hour)
	l.Fail("1.1.1.1", "a@x")
	if w := l.Wait("1.1.1.1", "a@x"); w != 0 {
		t.Errorf("failures a day old still count: wait %s", w)
	}
	for i := range 3 * maxTracked {
		now = now.Add(time.Second)
		l.Fail(string(rune(i)), "a@x")
	}
	if len(l.pairs) > maxTracked+1 || len(l.addrs) > maxTracked+1 {
		t.Errorf("tracking %d pairs and %d addresses", len(l.pairs), len(l.addrs))
	}
}
