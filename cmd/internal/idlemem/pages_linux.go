package idlemem

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// dropExecutablePages tells the kernel this process no longer needs the
// pages it has mapped of its own executable's read-only parts (code,
// constant data, the function tables the runtime reads for stack walks).
// They stay in the page cache; the next access maps them again without
// reading the disk. Mappings that can be or have been written, whose
// private copies madvise would discard, are left alone. It returns the
// resident bytes released.
func dropExecutablePages() (int64, error) {
	exe, err := os.Readlink("/proc/self/exe")
	if err != nil {
		return 0, fmt.Errorf("find the executable: %w", err)
	}
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		return 0, fmt.Errorf("read the mappings: %w", err)
	}
	defer f.Close()
	var maps []mapping
	var cur *mapping
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if m, ok := parseMapLine(line); ok {
			maps = append(maps, m)
			cur = &maps[len(maps)-1]
			continue
		}
		if cur == nil {
			continue
		}
		if name, val, ok := strings.Cut(line, ":"); ok {
			switch name {
			case "Rss":
				cur.rss = kilobytes(val)
			case "Anonymous":
				cur.anon = kilobytes(val)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("read the mappings: %w", err)
	}
	var released int64
	for _, m := range maps {
		if m.path != exe || strings.Contains(m.perms, "w") || m.perms[3] != 'p' || m.anon != 0 || m.rss == 0 {
			continue
		}
		if _, _, errno := syscall.Syscall(syscall.SYS_MADVISE, m.lo, m.hi-m.lo, syscall.MADV_DONTNEED); errno != 0 {
			return released, fmt.Errorf("madvise %x-%x: %w", m.lo, m.hi, errno)
		}
		released += m.rss
	}
	return released, nil
}

// mapping is one region of /proc/self/smaps.
type mapping struct {
	lo, hi    uintptr
	perms     string
	path      string
	rss, anon int64 // bytes
}

// parseMapLine reads a region's header line: "lo-hi perms offset dev inode path".
func parseMapLine(line string) (mapping, bool) {
	f := strings.Fields(line)
	if len(f) < 5 || len(f[1]) != 4 {
		return mapping{}, false
	}
	lo, hi, ok := strings.Cut(f[0], "-")
	if !ok {
		return mapping{}, false
	}
	l, err1 := strconv.ParseUint(lo, 16, 64)
	h, err2 := strconv.ParseUint(hi, 16, 64)
	if err1 != nil || err2 != nil {
		return mapping{}, false
	}
	m := mapping{lo: uintptr(l), hi: uintptr(h), perms: f[1]}
	if len(f) >= 6 {
		m.path = f[5]
	}
	return m, true
}

func kilobytes(s string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "kB")), 10, 64)
	return n << 10
}
