package jobs

import (
	"context"
	"fmt"

	"github.com/riverqueue/river/rivermigrate"

	"github.com/commonplace-social/commonplace/internal/store"
)

// migrateLockKey is a Postgres advisory lock id ("CPRIVER\0" as bytes) held
// while River's tables are migrated, so two processes starting at once do
// not both create them.
const migrateLockKey int64 = 0x4350524956455200

// Migrate creates or upgrades River's own tables (river_job and friends) on
// either database. River records applied versions, so it is safe to run on
// every start.
func Migrate(ctx context.Context, st *store.Store) error {
	driver, err := driverFor(st)
	if err != nil {
		return err
	}
	m, err := rivermigrate.New(driver, nil)
	if err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	if st.Dialect == store.Postgres {
		// A transaction-scoped lock in a transaction of its own, held while
		// River's migrator runs each version in its own transaction on the
		// pool; ending the transaction always releases it.
		lock, err := st.DB.DB.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("job queue migrations: %w", err)
		}
		defer lock.Rollback() //nolint:errcheck // nothing was written
		if _, err := lock.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", migrateLockKey); err != nil {
			return fmt.Errorf("job queue migrations: lock: %w", err)
		}
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	return nil
}
