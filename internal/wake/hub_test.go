package wake

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// The Postgres test schemas share one database, and so one namespace of
// channels: each test listens on a channel of its own.
func uniqueChannel(t *testing.T) string {
	t.Helper()
	var b [6]byte
	_, _ = rand.Read(b[:])
	return "test_" + hex.EncodeToString(b[:])
}

func startHub(t *testing.T, st *store.Store) *Hub {
	t.Helper()
	h := New(st, slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn})))
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if err := h.Start(ctx); err != nil {
		t.Fatal(err)
	}
	return h
}

// woken waits (generously: the machine is shared) for a wake-up on c.
func woken(t *testing.T, c <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-c:
	case <-time.After(20 * time.Second):
		t.Fatalf("no wake-up: %s", what)
	}
}

// quiet says whether c stays without a wake-up for a moment.
func quiet(c <-chan struct{}) bool {
	select {
	case <-c:
		return false
	case <-time.After(200 * time.Millisecond):
		return true
	}
}

// drain takes the wake-up a (re)connection gives every subscriber.
func drain(c <-chan struct{}) {
	for !quiet(c) {
	}
}

func TestNotifyTxWakesAfterCommitOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ch := uniqueChannel(t)
		h := New(st, nil)
		sub := h.Subscribe(ch)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		if err := h.Start(ctx); err != nil {
			t.Fatal(err)
		}
		if st.Dialect == store.Postgres {
			woken(t, sub, "the first connection wakes every subscriber")
		}
		drain(sub)

		inTx := make(chan struct{})
		committed := make(chan error, 1)
		release := make(chan struct{})
		go func() {
			committed <- st.RunInTx(context.Background(), func(ctx context.Context, tx bun.Tx) error {
				if err := h.NotifyTx(ctx, tx, ch); err != nil {
					return err
				}
				close(inTx)
				<-release
				return nil
			})
		}()
		<-inTx
		if !quiet(sub) {
			t.Fatal("woken before the transaction committed")
		}
		close(release)
		if err := <-committed; err != nil {
			t.Fatal(err)
		}
		woken(t, sub, "after commit")

		// A rolled-back transaction wakes nobody.
		boom := errors.New("roll back")
		err := st.RunInTx(context.Background(), func(ctx context.Context, tx bun.Tx) error {
			if err := h.NotifyTx(ctx, tx, ch); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		if !quiet(sub) {
			t.Fatal("woken by a transaction that rolled back")
		}

		// InTx, as the use cases run theirs, wakes too.
		if err := st.InTx(context.Background(), func(tx bun.Tx) error { return h.NotifyTx(context.Background(), tx, ch) }); err != nil {
			t.Fatal(err)
		}
		woken(t, sub, "after InTx")
	})
}

func TestNotifyCoalescesAndReachesEverySubscriber(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	h := New(st, nil)
	ch := uniqueChannel(t)
	a, b, other := h.Subscribe(ch), h.Subscribe(ch), h.Subscribe(ch+"_other")
	for range 5 {
		h.Notify(ch)
	}
	woken(t, a, "first subscriber")
	woken(t, b, "second subscriber")
	if !quiet(a) {
		t.Error("five notifications woke a subscriber twice")
	}
	if !quiet(other) {
		t.Error("a notification woke another channel's subscriber")
	}
}

// On Postgres a notification reaches every process on the database: here
// two Hubs, each with its own connection pool.
func TestNotifyReachesAnotherProcess(t *testing.T) {
	url := storetest.URL(t, store.Postgres)
	open := func() *store.Store {
		st, err := store.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	ch := uniqueChannel(t)
	sender, receiver := startHub(t, open()), New(open(), nil)
	sub := receiver.Subscribe(ch)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := receiver.Start(ctx); err != nil {
		t.Fatal(err)
	}
	woken(t, sub, "connection")
	drain(sub)
	if err := sender.st.InTx(context.Background(), func(tx bun.Tx) error { return sender.NotifyTx(context.Background(), tx, ch) }); err != nil {
		t.Fatal(err)
	}
	woken(t, sub, "notification from the other process")

	// A subscription made after Start is listened to as well.
	late := uniqueChannel(t)
	lateSub := receiver.Subscribe(late)
	woken(t, lateSub, "late subscription taken up")
	drain(lateSub)
	if err := sender.NotifyTx(context.Background(), sender.st.DB, late); err != nil {
		t.Fatal(err)
	}
	woken(t, lateSub, "notification on the late channel")
}

// A listening connection that is cut is reopened, and notifications reach
// the subscribers again.
func TestListenerReconnects(t *testing.T) {
	st := storetest.Open(t, store.Postgres)
	ch := uniqueChannel(t)
	h := New(st, slog.New(slog.DiscardHandler))
	sub := h.Subscribe(ch)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := h.Start(ctx); err != nil {
		t.Fatal(err)
	}
	woken(t, sub, "connection")
	drain(sub)

	// Cut every connection listening on our channel.
	res, err := st.DB.ExecContext(context.Background(),
		"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = ? AND pid <> pg_backend_pid()",
		"LISTEN "+`"`+ch+`"`)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("terminated %d listening connections, want 1", n)
	}
	woken(t, sub, "reconnection wakes every subscriber")
	drain(sub)
	if err := h.NotifyTx(context.Background(), st.DB, ch); err != nil {
		t.Fatal(err)
	}
	woken(t, sub, "notification after reconnecting")
}
