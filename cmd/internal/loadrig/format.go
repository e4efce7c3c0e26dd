package loadrig

import (
	"fmt"
	"strings"
)

// FormatRSS writes sizes as "72.4 MiB, 73.6 MiB", one per process.
func FormatRSS(bytes []int64) string {
	parts := make([]string, len(bytes))
	for i, b := range bytes {
		parts[i] = fmt.Sprintf("%.1f MiB", MiB(b))
	}
	return strings.Join(parts, ", ")
}

// FormatCPU writes the CPU use as "server 2.27 s, postgres 0.80 s, load
// 0.40 s", the server's split by process when there are several:
// "server 2.27 s (1.19 s + 1.08 s)". PostgreSQL's is the whole cluster's
// (other databases on it count too); SQLite has no processes of its own.
func FormatCPU(u CPUUse) string {
	s := fmt.Sprintf("server %.2f s", u.ServerTotal().Seconds())
	if len(u.Servers) > 1 {
		parts := make([]string, len(u.Servers))
		for i, c := range u.Servers {
			parts[i] = fmt.Sprintf("%.2f s", c.Seconds())
		}
		s += " (" + strings.Join(parts, " + ") + ")"
	}
	if u.DB > 0 {
		s += fmt.Sprintf(", postgres %.2f s", u.DB.Seconds())
		if u.DBOwn > 0 {
			s += fmt.Sprintf(" [this database's backends %.2f s]", u.DBOwn.Seconds())
		}
	}
	if u.Sessions > 0 {
		s += fmt.Sprintf(" (%d new connections to the database)", u.Sessions)
	}
	return s + fmt.Sprintf(", load %.2f s", u.Load.Seconds())
}
