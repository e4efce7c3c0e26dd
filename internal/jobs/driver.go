package jobs

import (
	"database/sql"
	"fmt"

	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"

	"github.com/commonplace-social/commonplace/internal/store"
)

// driverFor builds River's driver over the very *sql.DB that bun uses, so a
// job inserted in a bun transaction commits or rolls back with it. Both
// drivers take *sql.Tx, which keeps the rest of the package dialect-free.
// On Postgres, database/sql gives no LISTEN/NOTIFY: the queue polls.
func driverFor(st *store.Store) (riverdriver.Driver[*sql.Tx], error) {
	switch st.Dialect {
	case store.Postgres:
		return riverdatabasesql.New(st.DB.DB), nil
	case store.SQLite:
		return riversqlite.New(st.DB.DB), nil
	default:
		return nil, fmt.Errorf("job queue: unsupported database dialect %q", st.Dialect)
	}
}
