// Package testneeds reports tests that cannot run because a service they
// need (PostgreSQL, Chromium, the GoToSocial peer kit) is missing here.
//
// In CI (CI set) such a test fails. Elsewhere it is skipped, and the
// package's TestMain (Main) ends the run with one line per missing service
// saying how many tests were skipped and why, so that `go test ./...` on a
// fresh machine does not pass half the suite in silence:
//
//	internal/store: PostgreSQL tests skipped (41): role "commonplace" does not exist at 127.0.0.1:5432; see README ("Test it")
//
// A run that skipped anything is also kept out of go test's cache, so the
// tests run, rather than replay the skip, once the service is there.
package testneeds

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// The services tests may need, as the summary names them.
const (
	PostgreSQL = "PostgreSQL"
	Chromium   = "Chromium"
	GoToSocial = "GoToSocial"
)

type missing struct {
	reason string
	tests  int
}

var (
	mu      sync.Mutex
	skipped = map[string]*missing{}
)

// Missing ends the test because service cannot be used, for reason (a
// sentence fragment saying what is wrong and what to do): it fails the
// test in CI and skips it elsewhere, remembering why for Main.
func Missing(t testing.TB, service, reason string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is needed in CI: %s", service, reason)
	}
	record(service, reason)
	t.Skipf("%s tests skipped: %s", service, reason)
}

func record(service, reason string) {
	mu.Lock()
	defer mu.Unlock()
	if len(skipped) == 0 {
		uncacheable()
	}
	m := skipped[service]
	if m == nil {
		m = &missing{reason: reason}
		skipped[service] = m
	}
	m.tests++
}

// uncacheable keeps this run out of go test's cache, so that the first run
// after, say, creating the PostgreSQL role runs the tests instead of
// replaying the skips. go test records the files a test opens, checks
// again only those inside the module, and will not cache a result that
// read a file modified less than two seconds before the run ended. So the
// first skip opens a marker file at the module root (*.out, which git
// ignores) and Main rewrites it as the run ends.
func uncacheable() {
	name := markerFile()
	if name == "" {
		return
	}
	if err := os.WriteFile(name, []byte("tests were skipped for want of a service\n"), 0o644); err != nil {
		return
	}
	if f, err := os.Open(name); err == nil { // the open is what go test records
		f.Close()
	}
}

func markerFile() string {
	root := moduleRoot()
	if root == "" {
		return ""
	}
	return filepath.Join(root, "testneeds-skipped.out")
}

// Summary is one line per missing service, sorted, empty when nothing was
// skipped for want of one.
func Summary() []string {
	mu.Lock()
	defer mu.Unlock()
	var lines []string
	for service, m := range skipped {
		lines = append(lines, fmt.Sprintf("%s tests skipped (%d): %s", service, m.tests, m.reason))
	}
	sort.Strings(lines)
	return lines
}

// Main runs the package's tests and then prints the summary. Use it as the
// package's TestMain: func TestMain(m *testing.M) { testneeds.Main(m) }.
func Main(m *testing.M) {
	code := m.Run()
	if lines := Summary(); len(lines) > 0 {
		if name := markerFile(); name != "" {
			now := time.Now()
			_ = os.Chtimes(name, now, now) // fresh as the run ends: see uncacheable
		}
		w, closeIt := summaryWriter()
		pkg := packageDir()
		for _, l := range lines {
			fmt.Fprintf(w, "%s: %s\n", pkg, l)
		}
		closeIt()
	}
	os.Exit(code)
}

// summaryWriter is where the summary can be seen. `go test ./...` shows a
// passing package's output only with -v; without it the line goes to the
// terminal directly, and to standard error when there is none (then it
// shows wherever go test shows output: with -v, on failure, in CI logs).
func summaryWriter() (io.Writer, func()) {
	if testing.Verbose() {
		return os.Stdout, func() {}
	}
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		return tty, func() { tty.Close() }
	}
	return os.Stderr, func() {}
}

// packageDir names the package under test by its directory in the module
// (go test runs a test binary in its package's directory).
func packageDir() string {
	wd, err := os.Getwd()
	if root := moduleRoot(); err == nil && root != "" {
		if rel, err := filepath.Rel(root, wd); err == nil {
			return filepath.ToSlash(rel)
		}
	}
	return strings.TrimSuffix(filepath.Base(os.Args[0]), ".test")
}

// moduleRoot is the nearest directory above the working one holding go.mod.
func moduleRoot() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}
