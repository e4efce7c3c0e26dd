package delivery

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestHostLimiterBoundsEachHost(t *testing.T) {
	l := newHostLimiter(2)
	ctx := context.Background()
	r1, _ := l.acquire(ctx, "a.example")
	r2, _ := l.acquire(ctx, "a.example")
	// Another host is not held up by a full one.
	rb, err := l.acquire(ctx, "b.example")
	if err != nil {
		t.Fatal(err)
	}
	rb()

	// A third slot for a.example waits, and gives up with its context.
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := l.acquire(short, "a.example"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("third slot: %v, want the context's deadline", err)
	}

	got := make(chan func(), 1)
	go func() {
		r, err := l.acquire(ctx, "a.example")
		if err == nil {
			got <- r
		}
	}()
	r1()
	select {
	case r3 := <-got:
		r3()
	case <-time.After(10 * time.Second):
		t.Fatal("a released slot was not handed to the waiter")
	}
	r2()
	if n := l.tracked(); n != 0 {
		t.Errorf("%d hosts still tracked when idle", n)
	}
}
