package model_test

import (
	"os/exec"
	"strings"
	"testing"
)

// Dependencies point inwards: the use cases and domain in internal/ must
// never import the federation or web adapters, or the layers would knot.
func TestInternalImportsNoAdapters(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", "github.com/commonplace-social/commonplace/internal/...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, pkg := range strings.Fields(string(out)) {
		for _, adapter := range []string{"/commonplace/federation", "/commonplace/web", "/commonplace/cmd"} {
			if strings.Contains(pkg, "commonplace-social"+adapter) {
				t.Errorf("a package under internal/ depends on %s", pkg)
			}
		}
	}
}
