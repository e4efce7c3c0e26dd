package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// sizeBound is issue 11's bound on the stripped binary, in bytes.
const sizeBound = 40_000_000

// heavyForLittle are modules that each once added about 1 MB for a small
// need: minio-go for four S3 requests, and protobuf, which Prometheus'
// client brings for a text page. They are named in the failure so the
// first place to look is known.
var heavyForLittle = []string{"github.com/minio/minio-go", "google.golang.org/protobuf", "github.com/prometheus/client_golang"}

// The binary built as issue 11 measures it stays within 40 MB.
func TestStrippedBinaryWithinBound(t *testing.T) {
	goCmd := linkingGo(t)
	bin := filepath.Join(t.TempDir(), "commonplace")
	if out, err := exec.Command(goCmd, "build", "-trimpath", "-ldflags=-s -w", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, tailOf(out))
	}
	fi, err := os.Stat(bin)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size() <= sizeBound {
		return
	}
	deps, _ := exec.Command(goCmd, "list", "-deps", ".").Output()
	var heavy []string
	for _, m := range heavyForLittle {
		if strings.Contains(string(deps), m) {
			heavy = append(heavy, m)
		}
	}
	t.Errorf("the stripped binary is %d bytes, over %d; linked again: %v (commonplace-bench size shows what weighs what)",
		fi.Size(), sizeBound, heavy)
}
