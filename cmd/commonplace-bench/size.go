package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"strings"
)

// sizeTarget is issue 11's goal for the stripped binary.
const sizeTarget = 40_000_000

func init() {
	register(benchmark{name: "size", summary: "build the stripped binary and show what weighs what", run: runSize})
}

func runSize(ctx context.Context, args []string, out io.Writer, _ *slog.Logger) error {
	fs := flag.NewFlagSet("size", flag.ContinueOnError)
	n := fs.Int("top", 25, "how many modules and packages to list")
	why := fs.Bool("why", true, "also link with -dumpdep to tell whether reflection keeps every exported method")
	if err := fs.Parse(args); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "commonplace-size-")
	if err != nil {
		return fmt.Errorf("temporary directory: %w", err)
	}
	defer os.RemoveAll(dir)

	for _, b := range []buildKind{issueBuild, deployBuild} {
		bin, _, err := b.build(ctx, dir)
		if err != nil {
			return err
		}
		size, err := fileSize(bin)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "%-6s %s\n       %d bytes = %s   (target ≤ 40 MB: %s)\n", b.name, b.command(), size, mb(size), verdict(size <= sizeTarget))
	}

	b := issueBuild.unstripped()
	bin, _, err := b.build(ctx, dir)
	if err != nil {
		return err
	}
	mods, err := packageModules(ctx, b)
	if err != nil {
		return err
	}
	w, err := weigh(ctx, bin, mods)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "\nloaded sections of the issue build (go tool nm gives symbols for .text, .rodata, .data; .gopclntab is\nthe function table, which grows with the number of functions linked):\n")
	sort.Slice(w.sections, func(i, j int) bool { return w.sections[i].size > w.sections[j].size })
	for _, s := range w.sections {
		fmt.Fprintf(out, "  %-12s %s\n", s.name, mb(s.size))
	}
	fmt.Fprintf(out, "\nsymbols by module (go tool nm -size -sort size; %s in all, zero-filled data left out):\n", mb(w.total))
	printWeights(out, top(w.byModule, *n), w.total)
	fmt.Fprintf(out, "\nsymbols by package (at most two path elements below the module):\n")
	printWeights(out, top(w.byPackage, *n), w.total)

	if *why {
		_, dump, err := issueBuild.build(ctx, dir, "-ldflags=-s -w -dumpdep")
		if err != nil {
			return err
		}
		keepers := reflectMethodCallers(dump)
		fmt.Fprintln(out, "\nreflection that makes the linker keep every exported method of every linked type:")
		if len(keepers) == 0 {
			fmt.Fprintln(out, "  none: unused methods are dropped (text/template's method calls are not linked)")
		}
		for _, k := range keepers {
			fmt.Fprintf(out, "  %s  (see why with: go build -ldflags=-dumpdep ./cmd/commonplace 2>&1 | grep -F %q)\n", k, k)
		}
	}
	return nil
}

func printWeights(out io.Writer, ws []weighed, total int64) {
	for _, x := range ws {
		fmt.Fprintf(out, "  %8.2f MB %5.1f%%  %s\n", float64(x.size)/1e6, 100*float64(x.size)/float64(total), x.name)
	}
}

// reflectMethodCallers reads the linker's -dumpdep output ("from -> to"
// lines) for reachable functions marked <ReflectMethod>: those that call
// reflect's Method or MethodByName with a name not known when compiling.
func reflectMethodCallers(dump []byte) []string {
	seen := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(dump))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		from, _, ok := strings.Cut(sc.Text(), " -> ")
		if name, marked := strings.CutSuffix(from, " <ReflectMethod>"); ok && marked {
			seen[name] = true
		}
	}
	var names []string
	for n := range seen {
		// reflect's own method wrappers are marked too, but are reached
		// only once something else has turned the analysis off.
		if !strings.HasPrefix(n, "reflect.") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}
