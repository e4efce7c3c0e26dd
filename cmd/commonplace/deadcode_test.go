package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// One reachable call of reflect's Method or MethodByName with a name unknown
// at compile time (text/template's method calls are the usual one) makes the
// linker keep every exported method of every linked type; with go-fed's
// vocabulary that took the stripped binary from 39 MB to 53 MB. The linker's
// dependency dump marks such functions <ReflectMethod>.
func TestLinkerCanDropUnusedMethods(t *testing.T) {
	goCmd := linkingGo(t)
	cmd := exec.Command(goCmd, "build", "-ldflags=-dumpdep", "-o", filepath.Join(t.TempDir(), "commonplace"), ".")
	dump, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go build -ldflags=-dumpdep: %v\n%s", err, tailOf(dump))
	}
	seen := map[string]bool{}
	for line := range strings.Lines(string(dump)) {
		from, _, ok := strings.Cut(line, " -> ")
		name, marked := strings.CutSuffix(from, " <ReflectMethod>")
		// reflect's own wrappers are marked too, but are reached only once
		// something else has called them.
		if ok && marked && !strings.HasPrefix(name, "reflect.") && !seen[name] {
			seen[name] = true
			t.Errorf("%s calls reflect's Method or MethodByName, so no exported method can be dropped "+
				"(go build -ldflags=-dumpdep ./cmd/commonplace 2>&1 | grep -F %q shows what reaches it)", name, name)
		}
	}
	if !strings.Contains(string(dump), "main.main") {
		t.Fatalf("no dependency dump from the linker:\n%s", tailOf(dump))
	}
}

// linkingGo returns the go command for a test that links the whole binary,
// skipping the test in -short runs or where there is none.
func linkingGo(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("links the whole binary")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to link with")
	}
	return goCmd
}

func tailOf(b []byte) string {
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}
