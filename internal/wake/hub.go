// Package wake tells workers that work is waiting, so that they need not
// poll for it. A change that leaves work behind (a delivery to send, an
// activity to apply) calls NotifyTx in its own transaction; every worker
// subscribed to that channel, in this process or any other on the same
// database, is woken once the transaction commits.
//
// On PostgreSQL this is LISTEN/NOTIFY: NotifyTx runs pg_notify in the
// caller's transaction, which Postgres delivers at commit to every
// listening connection, including this process's own. On SQLite, which is
// one process, NotifyTx wakes this process's subscribers after the commit
// (store.AfterCommit), and what another process (a CLI command) commits is
// seen in the write-ahead log within walWatchEvery. A wake-up is only a
// hint: several coalesce into one, and one can be lost (a dropped
// connection), so workers still look for work on a slow timer of their own.
package wake

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/store"
)

// The channels in use. A channel name is a Postgres identifier: at most 63
// bytes.
const (
	// Delivery: rows were added to outbox_deliveries, or became due.
	Delivery = "commonplace_delivery"
	// Inbox: received activities were recorded and wait to be applied.
	Inbox = "commonplace_inbox"
)

const (
	// healthEvery is how long the listening connection may be silent
	// before it is checked; a dead TCP peer is otherwise never noticed.
	healthEvery = time.Minute
	healthWait  = 10 * time.Second
	// Reconnection backs off from minBackoff to maxBackoff.
	minBackoff = 100 * time.Millisecond
	maxBackoff = 10 * time.Second
	// lateWake is when a notification made in a transaction that
	// AfterCommit does not know (SQLite only) is repeated, in case the
	// first came before the commit.
	lateWake = 50 * time.Millisecond
)

// Hub is one process's wake-ups. Its methods are safe for concurrent use.
type Hub struct {
	st  *store.Store
	log *slog.Logger

	mu      sync.Mutex
	subs    map[string][]chan struct{}
	started bool
	kick    chan struct{} // tells the listener of a new channel
}

// New makes a Hub on st's database. Subscribe and Notify work at once;
// on Postgres, other processes' notifications arrive only after Start.
func New(st *store.Store, log *slog.Logger) *Hub {
	if log == nil {
		log = slog.Default()
	}
	return &Hub{st: st, log: log.With("component", "wake"), subs: make(map[string][]chan struct{}), kick: make(chan struct{}, 1)}
}

// Subscribe returns a channel that receives a value after Notify or a
// committed NotifyTx on channel. It holds at most one pending wake-up:
// many notifications before the subscriber looks count as one. Every
// subscriber is also woken when the Hub (re)connects, since notifications
// may have been missed while it was not listening.
func (h *Hub) Subscribe(channel string) <-chan struct{} {
	c := make(chan struct{}, 1)
	h.mu.Lock()
	h.subs[channel] = append(h.subs[channel], c)
	started := h.started
	h.mu.Unlock()
	if started {
		select {
		case h.kick <- struct{}{}:
		default:
		}
	}
	return c
}

// Notify wakes this process's subscribers of channel now. Use it for work
// that is already committed.
func (h *Hub) Notify(channel string) {
	h.mu.Lock()
	subs := h.subs[channel]
	h.mu.Unlock()
	for _, c := range subs {
		select {
		case c <- struct{}{}:
		default: // a wake-up is already pending
		}
	}
}

// NotifyTx wakes channel's subscribers in every process once db's
// transaction commits, and not at all if it rolls back. With db a *bun.DB
// (no transaction) it is Notify everywhere at once.
func (h *Hub) NotifyTx(ctx context.Context, db bun.IDB, channel string) error {
	if channel == "" {
		return errors.New("wake: empty channel name")
	}
	if h.st.Dialect == store.Postgres {
		if _, err := db.ExecContext(ctx, "SELECT pg_notify(?, '')", channel); err != nil {
			return fmt.Errorf("notify %s: %w", channel, err)
		}
		return nil
	}
	var tx bun.Tx
	switch t := db.(type) {
	case bun.Tx:
		tx = t
	case *bun.Tx:
		tx = *t
	default:
		h.Notify(channel)
		return nil
	}
	if store.AfterCommit(tx, func() { h.Notify(channel) }) {
		return nil
	}
	// A transaction begun outside store.RunInTx: it cannot tell us when it
	// commits, so wake now and once more a moment later. A wake-up before
	// the commit only finds nothing yet.
	h.Notify(channel)
	time.AfterFunc(lateWake, func() { h.Notify(channel) })
	return nil
}

// Start listens for other processes' notifications until ctx ends, on one
// connection of its own that is reopened (with backoff) whenever it fails.
// On SQLite it watches the database's write-ahead log instead.
func (h *Hub) Start(ctx context.Context) error {
	h.mu.Lock()
	if h.started {
		h.mu.Unlock()
		return errors.New("wake: hub already started")
	}
	h.started = true
	h.mu.Unlock()
	if h.st.Dialect != store.Postgres {
		if h.st.File != "" {
			go h.watchWAL(ctx, h.st.File+"-wal")
		}
		return nil
	}
	cfg, err := h.connConfig(ctx)
	if err != nil {
		return err
	}
	go h.listen(ctx, cfg)
	return nil
}

// connConfig copies the settings of the store's own connections, so the
// listener reaches the same database as the same user without a second URL.
func (h *Hub) connConfig(ctx context.Context) (*pgx.ConnConfig, error) {
	conn, err := h.st.DB.DB.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("wake: connection settings: %w", err)
	}
	defer conn.Close()
	var cfg *pgx.ConnConfig
	err = conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("driver connection is %T, not pgx", dc)
		}
		cfg = c.Conn().Config().Copy()
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("wake: connection settings: %w", err)
	}
	// An interrupted wait must leave the connection usable: on a
	// cancelled context, pgx then only sets a read deadline.
	cfg.BuildContextWatcherHandler = func(pc *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.DeadlineContextWatcherHandler{Conn: pc.Conn()}
	}
	// Every notification the connection reads, while waiting or during a
	// LISTEN or health check, is passed on. (The copied setting would
	// hand them to the connection the settings came from.)
	cfg.OnNotification = func(_ *pgconn.PgConn, n *pgconn.Notification) { h.Notify(n.Channel) }
	return cfg, nil
}

// listen keeps a listening connection open until ctx ends.
func (h *Hub) listen(ctx context.Context, cfg *pgx.ConnConfig) {
	backoff := minBackoff
	for ctx.Err() == nil {
		began := time.Now()
		err := h.session(ctx, cfg)
		if ctx.Err() != nil {
			return
		}
		if time.Since(began) > maxBackoff {
			backoff = minBackoff // it had been working
		}
		h.log.WarnContext(ctx, "listening for wake-ups failed; reconnecting", "err", err, "in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, maxBackoff)
	}
}

// session is one listening connection's life: LISTEN on every subscribed
// channel, wake everyone (anything sent before now was missed), then pass
// on notifications until the connection fails or ctx ends.
func (h *Hub) session(ctx context.Context, cfg *pgx.ConnConfig) error {
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
		defer cancel()
		_ = conn.Close(closeCtx) // the connection is being given up
	}()
	listening := make(map[string]bool)
	for {
		if err := h.listenAll(ctx, conn, listening); err != nil {
			return err
		}
		waitCtx, cancel := context.WithTimeout(ctx, healthEvery)
		kicked := make(chan struct{})
		go func() {
			select {
			case <-h.kick:
				close(kicked)
				cancel()
			case <-waitCtx.Done():
			}
		}()
		_, err := conn.WaitForNotification(waitCtx) // OnNotification passes it on
		cancel()
		switch {
		case err == nil:
		case ctx.Err() != nil:
			return ctx.Err()
		case isClosed(kicked):
			// A new subscription: listenAll takes it up.
		case errors.Is(err, context.DeadlineExceeded) || pgconn.Timeout(err):
			pingCtx, cancel := context.WithTimeout(ctx, healthWait)
			err := conn.Ping(pingCtx)
			cancel()
			if err != nil {
				return fmt.Errorf("health check: %w", err)
			}
		default:
			return fmt.Errorf("wait for notification: %w", err)
		}
	}
}

// listenAll issues LISTEN for each subscribed channel not yet listened to
// on conn, and wakes those channels' subscribers.
func (h *Hub) listenAll(ctx context.Context, conn *pgx.Conn, listening map[string]bool) error {
	h.mu.Lock()
	var fresh []string
	for ch := range h.subs {
		if !listening[ch] {
			fresh = append(fresh, ch)
		}
	}
	h.mu.Unlock()
	for _, ch := range fresh {
		if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{ch}.Sanitize()); err != nil {
			return fmt.Errorf("listen %s: %w", ch, err)
		}
		listening[ch] = true
	}
	for _, ch := range fresh {
		h.Notify(ch)
	}
	return nil
}

func isClosed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}
