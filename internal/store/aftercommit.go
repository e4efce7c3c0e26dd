package store

import (
	"context"
	"database/sql"
	"sync"

	"github.com/uptrace/bun"
)

// commitHooks holds, for each transaction open in InTx or RunInTx, what to
// run once it has committed. It is keyed by the *sql.Tx, which is unique
// to one transaction while it is open.
var commitHooks sync.Map // *sql.Tx -> *hookList

type hookList struct {
	mu  sync.Mutex
	fns []func()
}

// AfterCommit arranges for fn to run once tx has committed, if tx was begun
// by InTx or RunInTx, and reports whether it will. fn does not run if tx
// rolls back. It is how work that a transaction leaves behind (a delivery,
// an activity to apply) wakes this process's workers on SQLite, which has
// no LISTEN/NOTIFY, without waking them before the rows are visible.
func AfterCommit(tx bun.Tx, fn func()) bool {
	v, ok := commitHooks.Load(tx.Tx)
	if !ok {
		return false
	}
	h := v.(*hookList)
	h.mu.Lock()
	h.fns = append(h.fns, fn)
	h.mu.Unlock()
	return true
}

// RunInTx is bun's RunInTx with AfterCommit hooks: fn's transaction is
// committed if fn returns nil and rolled back otherwise, and the hooks
// registered in it run after a successful commit.
func (s *Store) RunInTx(ctx context.Context, fn func(ctx context.Context, tx bun.Tx) error) error {
	hooks := &hookList{}
	var key *sql.Tx
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		key = tx.Tx
		commitHooks.Store(key, hooks)
		return fn(ctx, tx)
	})
	if key != nil {
		commitHooks.Delete(key)
	}
	if err != nil {
		return err
	}
	hooks.mu.Lock()
	fns := hooks.fns
	hooks.mu.Unlock()
	for _, f := range fns {
		f()
	}
	return nil
}
