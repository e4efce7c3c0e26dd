package loadrig

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"

	"github.com/commonplace-social/commonplace/internal/store"
)

// EnvFlags are the flags every load program shares.
type EnvFlags struct {
	Dialect   string
	Servers   int
	Bin       string
	PGAdmin   string
	ServeArgs string
	Keep      bool
}

// Register adds the shared flags to fs.
func (f *EnvFlags) Register(fs *flag.FlagSet) {
	fs.StringVar(&f.Dialect, "dialect", "postgres", "database: postgres or sqlite")
	fs.IntVar(&f.Servers, "servers", 1, "serve processes on the one database (PostgreSQL only for more than 1)")
	fs.StringVar(&f.Bin, "bin", "", "commonplace binary to run (default: build ./cmd/commonplace)")
	fs.StringVar(&f.PGAdmin, "pg", DefaultPGAdmin, "PostgreSQL URL allowed to create and drop a database")
	fs.StringVar(&f.ServeArgs, "serve-args", "", "further serve flags, space separated, e.g. \"--queue-workers 64\"")
	fs.BoolVar(&f.Keep, "keep", false, "keep the temporary directory (serve logs) after the run")
}

// Parse parses args with fs (on which Register was called) and returns
// the EnvConfig the flags describe.
func (f *EnvFlags) Parse(fs *flag.FlagSet, args []string, prefix, org string) (EnvConfig, error) {
	if err := fs.Parse(args); err != nil {
		return EnvConfig{}, err
	}
	d := store.Dialect(f.Dialect)
	if d != store.Postgres && d != store.SQLite {
		return EnvConfig{}, fmt.Errorf("--dialect must be postgres or sqlite, not %q", f.Dialect)
	}
	return EnvConfig{Bin: f.Bin, Dialect: d, PGAdmin: f.PGAdmin, Prefix: prefix, Servers: f.Servers,
		ServeArgs: strings.Fields(f.ServeArgs), Org: org}, nil
}

// Machine describes where and on what a run happens: cores, the load
// average before it started (the machine may be shared), and the git state
// of the tree the server was built from.
func Machine() string {
	load, _ := os.ReadFile("/proc/loadavg")
	rev, err := exec.Command("git", "describe", "--always", "--dirty").Output()
	if err != nil {
		rev = []byte("unknown")
	}
	fields := strings.Fields(string(load))
	if len(fields) > 3 {
		fields = fields[:3]
	}
	return fmt.Sprintf("%d cores (GOMAXPROCS %d), load average %s, %s, git %s",
		runtime.NumCPU(), runtime.GOMAXPROCS(0), strings.Join(fields, " "), runtime.Version(), strings.TrimSpace(string(rev)))
}
