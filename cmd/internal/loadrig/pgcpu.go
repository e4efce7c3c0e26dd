package loadrig

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/commonplace-social/commonplace/internal/store"
)

// Postmaster finds the PID of the local PostgreSQL server st is connected
// to: the parent of its own backend. It fails when the database runs on
// another machine (or in a container whose PIDs we cannot see).
func Postmaster(ctx context.Context, st *store.Store) (int, error) {
	var backend int
	if err := st.DB.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&backend); err != nil {
		return 0, fmt.Errorf("find our backend: %w", err)
	}
	s, err := readStat(backend)
	if err != nil {
		return 0, fmt.Errorf("the database is not a local process: %w", err)
	}
	return s.ppid, nil
}

// ClusterCPU is the CPU the whole PostgreSQL cluster has used: the
// postmaster, its live children, and every child it has reaped (their time
// is added to its cutime and cstime). Backends come and go with the
// servers' connection pools, so counting only the live ones would miss
// most of it. It includes other databases on the same cluster.
func ClusterCPU(postmaster int) (time.Duration, error) {
	pm, err := readStat(postmaster)
	if err != nil {
		return 0, err
	}
	total := pm.cpu + pm.children
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0, fmt.Errorf("list processes: %w", err)
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == postmaster {
			continue
		}
		// A process may end while we look; then its time is in the
		// postmaster's children, read above or in the next mark.
		if s, err := readStat(pid); err == nil && s.ppid == postmaster {
			total += s.cpu
		}
	}
	return total, nil
}

// SharedNote says, when other databases on the run's PostgreSQL server have
// clients, that its CPU figure includes their work; "" otherwise.
func (e *Env) SharedNote(ctx context.Context) string {
	if e.postmaster == 0 {
		return ""
	}
	var n int
	err := e.Store.DB.QueryRowContext(ctx, "SELECT count(*) FROM pg_stat_activity"+
		" WHERE backend_type = 'client backend' AND datname <> current_database()").Scan(&n)
	if err != nil || n == 0 {
		return ""
	}
	return fmt.Sprintf("note: %d connections to other databases on this PostgreSQL server; its CPU figure includes their work\n", n)
}

// databaseBackendsCPU reads the CPU so far of each backend connected to
// the run's database (ours included), by PID. Unlike the cluster's figure
// it leaves out other databases' work, which on a shared machine can be
// most of it; it misses backends that end between two marks.
func databaseBackendsCPU(ctx context.Context, st *store.Store) map[int]time.Duration {
	rows, err := st.DB.QueryContext(ctx, "SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
	if err != nil {
		return nil
	}
	defer rows.Close()
	cpu := map[int]time.Duration{}
	for rows.Next() {
		var pid int
		if rows.Scan(&pid) == nil {
			if s, err := readStat(pid); err == nil {
				cpu[pid] = s.cpu
			}
		}
	}
	return cpu
}
