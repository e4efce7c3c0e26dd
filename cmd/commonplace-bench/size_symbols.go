package main

import (
	"bufio"
	"bytes"
	"context"
	"debug/elf"
	"fmt"
	"os/exec"
	"sort"
	"strconv"
	"strings"
)

// weights is the size of a binary's loaded symbols, summed by package group
// (see packageGroup) and by module, as `go tool nm -size` reports them. Zero-filled data (.bss) is
// left out: it takes no room in the file.
type weights struct {
	total     int64
	byPackage map[string]int64
	byModule  map[string]int64
	sections  []sectionSize
}

type sectionSize struct {
	name string
	size int64
}

// weigh reads the symbols of an unstripped binary. pkgModule maps import
// paths to module paths ("std" for the standard library).
func weigh(ctx context.Context, bin string, pkgModule map[string]string) (weights, error) {
	w := weights{byPackage: map[string]int64{}, byModule: map[string]int64{}}
	f, err := elf.Open(bin)
	if err != nil {
		return w, fmt.Errorf("open %s: %w", bin, err)
	}
	defer f.Close()
	var zeroFilled [][2]uint64
	for _, s := range f.Sections {
		if s.Flags&elf.SHF_ALLOC == 0 {
			continue
		}
		if s.Type == elf.SHT_NOBITS {
			zeroFilled = append(zeroFilled, [2]uint64{s.Addr, s.Addr + s.Size})
			continue
		}
		if s.Size >= 64<<10 {
			w.sections = append(w.sections, sectionSize{s.Name, int64(s.Size)})
		}
	}
	out, err := exec.CommandContext(ctx, "go", "tool", "nm", "-size", "-sort", "size", bin).Output()
	if err != nil {
		return w, fmt.Errorf("go tool nm %s: %w", bin, err)
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		// address size type name; the name may hold spaces.
		fields := strings.Fields(sc.Text())
		if len(fields) < 4 {
			continue
		}
		addr, err1 := strconv.ParseUint(fields[0], 16, 64)
		size, err2 := strconv.ParseInt(fields[1], 10, 64)
		if err1 != nil || err2 != nil || size == 0 || within(addr, zeroFilled) {
			continue
		}
		pkg := symbolPackage(strings.Join(fields[3:], " "))
		mod, ok := pkgModule[pkg]
		if !ok {
			pkg, mod = "(linker: "+pkg+")", "(linker tables)"
		}
		w.total += size
		w.byPackage[packageGroup(pkg, mod)] += size
		w.byModule[mod] += size
	}
	return w, sc.Err()
}

func within(addr uint64, ranges [][2]uint64) bool {
	for _, r := range ranges {
		if addr >= r[0] && addr < r[1] {
			return true
		}
	}
	return false
}

// symbolPackage is the import path a symbol belongs to: for
// "github.com/a/b.(*T).M" it is "github.com/a/b"; type descriptors, itabs
// and equality functions count for their type's package.
func symbolPackage(name string) string {
	for _, p := range []string{"type:.eq.", "type:.hash.", "type:", "go:itab.", "go:string.", "go:info."} {
		if strings.HasPrefix(name, p) && len(name) > len(p) {
			name = name[len(p):]
			break
		}
	}
	name = strings.TrimLeft(name, "*()[]0123456789")
	if i := strings.IndexAny(name, "([{ ,;"); i >= 0 {
		name = name[:i]
	}
	slash := strings.LastIndexByte(name, '/')
	if dot := strings.IndexByte(name[slash+1:], '.'); dot >= 0 {
		name = name[:slash+1+dot]
	}
	return name
}

// packageModules lists the packages ./cmd/commonplace links, with the module
// of each, under the same build settings.
func packageModules(ctx context.Context, b buildKind) (map[string]string, error) {
	root, err := moduleRoot(ctx)
	if err != nil {
		return nil, err
	}
	args := []string{"list", "-deps", "-f", "{{.ImportPath}} {{with .Module}}{{.Path}}{{else}}std{{end}}"}
	for i := 0; i < len(b.flags); i++ {
		if b.flags[i] == "-tags" && i+1 < len(b.flags) {
			args = append(args, "-tags", b.flags[i+1])
		}
	}
	cmd := exec.CommandContext(ctx, "go", append(args, "./cmd/commonplace")...)
	cmd.Dir = root
	cmd.Env = append(cmd.Environ(), b.env...)
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list -deps ./cmd/commonplace: %w", err)
	}
	m := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if pkg, mod, ok := strings.Cut(line, " "); ok {
			m[pkg] = mod
		}
	}
	return m, nil
}

// packageGroup shortens a package to at most two path elements below its
// module, so go-fed's 500 generated packages show as one line, not 500.
func packageGroup(pkg, mod string) string {
	base := ""
	if mod != "std" && strings.HasPrefix(pkg, mod) {
		base, pkg = mod, strings.TrimPrefix(pkg, mod)
	}
	parts := strings.Split(strings.TrimPrefix(pkg, "/"), "/")
	if len(parts) <= 2 {
		return base + pkg
	}
	short := strings.Join(parts[:2], "/") + "/…"
	if base != "" {
		return base + "/" + short
	}
	return short
}

type weighed struct {
	name string
	size int64
}

// top returns the n heaviest entries, heaviest first.
func top(m map[string]int64, n int) []weighed {
	all := make([]weighed, 0, len(m))
	for k, v := range m {
		all = append(all, weighed{k, v})
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].size != all[j].size {
			return all[i].size > all[j].size
		}
		return all[i].name < all[j].name
	})
	if len(all) > n {
		all = all[:n]
	}
	return all
}
