package accounts

import (
	"testing"
	"time"
)

func TestLimiterBlocksAfterMaxFailuresInWindow(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	l := NewLimiter(5, 15*time.Minute)
	l.Now = func() time.Time { return now }
	for i := range 5 {
		if l.Blocked("ip:1", "email:a") {
			t.Fatalf("blocked after %d failures", i)
		}
		l.Fail("ip:1", "email:a")
	}
	if !l.Blocked("ip:1") || !l.Blocked("ip:2", "email:a") || l.Blocked("ip:2", "email:b") {
		t.Error("the 6th attempt is not blocked per IP and per email, or others are")
	}
	l.Reset("email:a")
	if l.Blocked("email:a") || !l.Blocked("ip:1") {
		t.Error("Reset")
	}
	now = now.Add(15 * time.Minute)
	if l.Blocked("ip:1") {
		t.Error("still blocked after the window")
	}
}
