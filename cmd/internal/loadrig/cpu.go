package loadrig

import "time"

// CPUMark is the CPU used so far by the processes under test, by the
// database cluster and by the load, taken at the start and end of a
// measurement.
type CPUMark struct {
	Servers []time.Duration
	DB      time.Duration // the whole PostgreSQL cluster; 0 when not known
	Load    time.Duration
	At      time.Time
	// Sessions counts the connections ever opened to the run's PostgreSQL
	// database: a pool that closes and reopens them shows here.
	Sessions int64
	// Backends is the CPU so far of each backend on the run's database.
	Backends map[int]time.Duration
}

// MarkCPU reads the CPU totals of pids, of the PostgreSQL cluster whose
// postmaster is pg (0: none) and of this process now.
func MarkCPU(pids []int, pg int) CPUMark {
	m := CPUMark{Servers: make([]time.Duration, len(pids)), Load: SelfCPU(), At: time.Now()}
	for i, pid := range pids {
		if p, err := ReadProc(pid); err == nil {
			m.Servers[i] = p.CPU
		}
	}
	if pg != 0 {
		m.DB, _ = ClusterCPU(pg) // an error leaves the figure out, not wrong
	}
	return m
}

// CPUUse is the CPU the servers, the database and the load used between
// two marks.
type CPUUse struct {
	Servers []time.Duration
	DB      time.Duration
	Load    time.Duration
	Wall    time.Duration
	// Sessions is the connections opened to the database between the marks.
	Sessions int64
	// DBOwn is the CPU of the run's database's own backends between the
	// marks (those alive at the second); 0 when not known.
	DBOwn time.Duration
}

// Since is the CPU used from start to m.
func (m CPUMark) Since(start CPUMark) CPUUse {
	u := CPUUse{Load: m.Load - start.Load, Wall: m.At.Sub(start.At), Servers: make([]time.Duration, len(m.Servers)),
		Sessions: m.Sessions - start.Sessions}
	for i := range m.Servers {
		u.Servers[i] = m.Servers[i] - start.Servers[i]
	}
	if m.DB > 0 && start.DB > 0 {
		u.DB = m.DB - start.DB
	}
	for pid, c := range m.Backends {
		u.DBOwn += c - start.Backends[pid]
	}
	return u
}

// ServerTotal sums the servers' CPU.
func (u CPUUse) ServerTotal() time.Duration {
	var t time.Duration
	for _, d := range u.Servers {
		t += d
	}
	return t
}
