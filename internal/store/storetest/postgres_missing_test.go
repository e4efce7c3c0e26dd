package storetest

import (
	"net/url"
	"os"
	"strings"
	"testing"
)

// Each way the test server can be unusable is named with what to do.
func TestProbePostgresSaysWhatIsMissing(t *testing.T) {
	if got := probePostgres("postgres://commonplace:commonplace@127.0.0.1:1/commonplace_test?sslmode=disable&connect_timeout=5"); !strings.HasPrefix(got, "no PostgreSQL server answers at 127.0.0.1:1") ||
		!strings.Contains(got, "README") {
		t.Errorf("closed port: %q", got)
	}
	base := os.Getenv(EnvPostgres)
	if base == "" {
		base = DefaultPostgres
	}
	if reason := probePostgres(base); reason != "" {
		t.Skipf("the rest needs the test server: %s", reason)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	noRole := *u
	noRole.User = url.UserPassword("nosuchrole_cp", "x")
	if got := probePostgres(noRole.String()); !strings.HasPrefix(got, "role nosuchrole_cp missing on "+u.Host) {
		t.Errorf("missing role: %q", got)
	}
	noDB := *u
	noDB.Path = "/nosuchdb_cp"
	if got := probePostgres(noDB.String()); !strings.HasPrefix(got, "database nosuchdb_cp missing on "+u.Host) {
		t.Errorf("missing database: %q", got)
	}
}
