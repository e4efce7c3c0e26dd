package loadrig

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// clockTick is the unit of utime and stime in /proc/PID/stat (USER_HZ),
// 100 on every Linux architecture Go supports.
const clockTick = 10 * time.Millisecond

// ProcSample is one reading of a process from /proc.
type ProcSample struct {
	RSS, PeakRSS int64 // bytes: VmRSS now and VmHWM, the peak so far
	// Anon and File split RSS: anonymous memory (heap, stacks) and mapped
	// file pages (mostly the binary's own).
	Anon, File int64
	CPU        time.Duration // user + system time so far, all threads
}

// ReadProc reads a process's memory from /proc/PID/status and its CPU time,
// all threads together, from /proc/PID/stat.
func ReadProc(pid int) (ProcSample, error) {
	var s ProcSample
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return s, fmt.Errorf("read status of %d: %w", pid, err)
	}
	into := map[string]*int64{"VmRSS": &s.RSS, "VmHWM": &s.PeakRSS, "RssAnon": &s.Anon, "RssFile": &s.File}
	sc := bufio.NewScanner(bytes.NewReader(status))
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		if dst := into[name]; ok && dst != nil {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				return s, fmt.Errorf("parse %s of %d: %w", name, pid, err)
			}
			*dst = kb << 10
		}
	}
	st, err := readStat(pid)
	if err != nil {
		return s, err
	}
	s.CPU = st.cpu
	return s, nil
}

// stat is what we read of /proc/PID/stat.
type stat struct {
	ppid     int
	cpu      time.Duration // utime + stime, all threads
	children time.Duration // cutime + cstime: the reaped children's
}

func readStat(pid int) (stat, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return stat{}, fmt.Errorf("read stat of %d: %w", pid, err)
	}
	// The command name may hold spaces and parentheses: count fields from
	// the last ')'. After it comes field 3 (state), so ppid (4) is f[1],
	// utime, stime, cutime and cstime (14 to 17) are f[11] to f[14].
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return stat{}, fmt.Errorf("unexpected /proc/%d/stat", pid)
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 15 {
		return stat{}, fmt.Errorf("unexpected /proc/%d/stat", pid)
	}
	var n [5]int64
	for j, k := range []int{1, 11, 12, 13, 14} {
		if n[j], err = strconv.ParseInt(f[k], 10, 64); err != nil {
			return stat{}, fmt.Errorf("parse /proc/%d/stat: %w", pid, err)
		}
	}
	return stat{ppid: int(n[0]), cpu: time.Duration(n[1]+n[2]) * clockTick, children: time.Duration(n[3]+n[4]) * clockTick}, nil
}

// SelfCPU is the CPU time this process (the load) has used so far, from
// getrusage: user + system.
func SelfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
