package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// buildKind is one way of building ./cmd/commonplace.
type buildKind struct {
	name  string
	env   []string // added to this process's environment
	flags []string // go build flags, without -o
}

// The two builds the figures are given for: the command issue 11 measured
// 50.5 MB with, and the one deploy/Dockerfile (and so the container) uses.
var (
	issueBuild  = buildKind{name: "issue", flags: []string{"-trimpath", "-ldflags=-s -w"}}
	deployBuild = buildKind{name: "deploy", env: []string{"CGO_ENABLED=0"},
		flags: []string{"-trimpath", "-tags", "timetzdata", "-ldflags=-s -w"}}
)

func buildByName(name string) (buildKind, error) {
	switch name {
	case issueBuild.name:
		return issueBuild, nil
	case deployBuild.name:
		return deployBuild, nil
	}
	return buildKind{}, fmt.Errorf("--build %q: issue or deploy", name)
}

// command is the build as a shell line, for printing next to its figures.
func (b buildKind) command() string {
	var s []string
	s = append(s, b.env...)
	s = append(s, "go", "build")
	for _, f := range b.flags {
		if strings.ContainsAny(f, " ") {
			f = "'" + f + "'"
		}
		s = append(s, f)
	}
	return strings.Join(append(s, "./cmd/commonplace"), " ")
}

// unstripped is the same build keeping the symbol table, for go tool nm.
// Stripping removes only unloaded sections, so the symbols' sizes hold.
func (b buildKind) unstripped() buildKind {
	u := buildKind{name: b.name + "-symbols", env: b.env}
	for _, f := range b.flags {
		if f != "-ldflags=-s -w" {
			u.flags = append(u.flags, f)
		}
	}
	return u
}

// build runs the build into dir with extra flags (e.g. -ldflags=-dumpdep)
// and returns the binary's path and what the go command printed on stderr.
func (b buildKind) build(ctx context.Context, dir string, extra ...string) (bin string, stderr []byte, err error) {
	root, err := moduleRoot(ctx)
	if err != nil {
		return "", nil, err
	}
	bin = filepath.Join(dir, "commonplace-"+b.name)
	args := append([]string{"build", "-o", bin}, b.flags...)
	args = append(append(args, extra...), "./cmd/commonplace")
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), b.env...)
	var errBuf strings.Builder
	cmd.Stderr = &errBuf
	if err := cmd.Run(); err != nil {
		return "", nil, fmt.Errorf("%s: %w\n%s", b.command(), err, tail(errBuf.String(), 2000))
	}
	return bin, []byte(errBuf.String()), nil
}

// moduleRoot is the directory of the go.mod this program is run in.
func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", fmt.Errorf("run this inside the commonplace checkout (no go.mod here)")
	}
	return filepath.Dir(mod), nil
}

func fileSize(path string) (int64, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, fmt.Errorf("size of %s: %w", path, err)
	}
	return fi.Size(), nil
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// mb writes bytes as decimal megabytes and binary mebibytes, since the
// targets are stated in MB and tools print either.
func mb(n int64) string {
	return fmt.Sprintf("%.1f MB (%.1f MiB)", float64(n)/1e6, float64(n)/(1<<20))
}
