package loadrig

import (
	"fmt"
	"syscall"
)

// LoopbackIP is the i-th address of a block of loopback addresses:
// 127.block.x.y, y from 1 to 254, so a block holds 65,024 servers. Linux
// routes all of 127.0.0.0/8 to the loopback device, so any can be bound.
func LoopbackIP(block, i int) string {
	return fmt.Sprintf("127.%d.%d.%d", block, i/254, i%254+1)
}

// Fleet is many remotes, each on its own loopback address.
type Fleet struct {
	Remotes  []*Remote
	Arrivals *Arrivals
}

// FleetConfig describes a fleet.
type FleetConfig struct {
	N        int
	Block    int    // the second octet of the fleet's addresses
	Offset   int    // the first address's index in the block (see LoopbackIP)
	Username string // every remote's account name
	Keys     *KeyPool
	// NoKeepAlive: see RemoteConfig. NewFleet turns it on by itself when
	// the open-file limit cannot hold a listener and a connection per server.
	NoKeepAlive bool
}

// NewFleet starts c.N remotes on 127.Block.x.y.
func NewFleet(c FleetConfig) (*Fleet, error) {
	if c.N < 1 || c.Offset < 0 || c.Offset+c.N > 254*256 {
		return nil, fmt.Errorf("a block holds %d servers: %d from %d do not fit", 254*256, c.N, c.Offset)
	}
	limit := openFileLimit()
	if uint64(c.N)+64 > limit {
		return nil, fmt.Errorf("%d servers need more open files than the limit of %d", c.N, limit)
	}
	if uint64(2*c.N)+64 > limit {
		c.NoKeepAlive = true
	}
	f := &Fleet{Arrivals: newArrivals()}
	for i := range c.N {
		r, err := NewRemote(RemoteConfig{IP: LoopbackIP(c.Block, c.Offset+i), Username: c.Username, Key: c.Keys.Pick(i),
			NoKeepAlive: c.NoKeepAlive, Arrivals: f.Arrivals})
		if err != nil {
			f.Close()
			return nil, err
		}
		f.Remotes = append(f.Remotes, r)
	}
	return f, nil
}

// Close stops every remote.
func (f *Fleet) Close() {
	for _, r := range f.Remotes {
		r.Close()
	}
}

// Tally counts, for object, the remotes it reached once, more than once,
// and not at all.
func (f *Fleet) Tally(object string) (once, dup, missed int) {
	for _, r := range f.Remotes {
		switch n := r.Arrived(object).N; {
		case n == 0:
			missed++
		case n == 1:
			once++
		default:
			dup++
		}
	}
	return once, dup, missed
}

// openFileLimit is this process's soft limit on open files (Go raises it
// to the hard limit at start).
func openFileLimit() uint64 {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return 1024
	}
	return l.Cur
}
