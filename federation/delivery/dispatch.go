package delivery

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/commonplace-social/commonplace/internal/wake"
)

// DispatchOptions tunes the dispatcher. Zero values take the defaults.
type DispatchOptions struct {
	// MaxHosts bounds the remote hosts this process sends to at once; the
	// rest wait their turn in the database.
	MaxHosts int
	// MaxInFlight bounds this process's POSTs in flight, over all hosts.
	MaxInFlight int
	// LeaseTTL is how long a host stays with a process that stopped
	// renewing its lease (one that crashed) before another takes it over.
	LeaseTTL time.Duration
	// Poll is the longest the dispatcher waits between looks for due
	// hosts when nothing wakes it: retries coming due, work queued by a
	// CLI command on SQLite, hosts of a crashed process.
	Poll time.Duration
	// FlushEvery is how long outcomes gather before one transaction
	// records them all.
	FlushEvery time.Duration
	// SlowAnswer is how long a POST may take before it counts as slow.
	// A host waiting on a slow POST stops counting against MaxHosts (up
	// to maxParked times MaxHosts such hosts), and a host slow batch after
	// batch is paced.
	SlowAnswer time.Duration
}

const (
	defaultMaxHosts    = 512
	defaultMaxInFlight = 256
	defaultLeaseTTL    = time.Minute
	defaultPoll        = time.Second
	defaultFlushEvery  = 5 * time.Millisecond
	defaultSlowAnswer  = 10 * time.Second

	// maxParked bounds the hosts waiting on slow POSTs, as a multiple
	// of MaxHosts: each costs only a goroutine and a connection.
	maxParked = 4

	// leasePage is the most hosts leased in one query.
	leasePage = 256
	// firstLeasePage is the first page leased by an idle dispatcher,
	// doubled page by page up to leasePage.
	firstLeasePage = 16
	// prefetchRows is how many of a host's queued rows are read at once.
	prefetchRows = 16
	// sweepEvery is how often activities with no deliveries left are
	// deleted.
	sweepEvery = 30 * time.Second
	// lockedPause is how long the dispatcher waits before looking again
	// at due hosts it could not lease.
	lockedPause = 50 * time.Millisecond
	// errorPause is how long the dispatcher waits after a failed query.
	errorPause = time.Second
	// stopGrace is how long POSTs in flight may finish when the context
	// Start was given ends without a Stop.
	stopGrace = 5 * time.Second
)

func (o DispatchOptions) withDefaults() DispatchOptions {
	if o.MaxHosts <= 0 {
		o.MaxHosts = defaultMaxHosts
	}
	if o.MaxInFlight <= 0 {
		o.MaxInFlight = defaultMaxInFlight
	}
	if o.LeaseTTL <= 0 {
		o.LeaseTTL = defaultLeaseTTL
	}
	if o.Poll <= 0 {
		o.Poll = defaultPoll
	}
	if o.FlushEvery <= 0 {
		o.FlushEvery = defaultFlushEvery
	}
	if o.SlowAnswer <= 0 {
		o.SlowAnswer = defaultSlowAnswer
	}
	return o
}

// dispatcher sends the queued deliveries of this process's share of the
// remote hosts. It leases due hosts from outbox_hosts a page at a time
// (at most MaxHosts at once; on Postgres, rows locked by another process
// are skipped, so no host is ever sent to by two processes) and runs one
// goroutine per leased host, which sends that host's rows in order. A slow
// host parks only its own goroutine. Outcomes are recorded by the
// recorder, many per transaction; a row is deleted only after it was
// sent, so a crash loses nothing, and another process takes the crashed
// one's hosts over when their leases run out.
type dispatcher struct {
	d        *Deliverer
	opts     DispatchOptions
	owner    string
	rec      *recorder
	acts     *activityCache
	pace     *pace
	inflight chan struct{}

	sendCtx  context.Context // cancelled at a hard stop: POSTs are cut short
	hardStop context.CancelFunc
	stopping chan struct{} // closed at a soft stop: no new leases or batches
	stopped  chan struct{} // closed once stopped
	stopOnce sync.Once

	mu       sync.Mutex
	leases   map[string]*hostLease
	parked   int           // leases waiting on slow POSTs, not counted as busy
	starving bool          // fill stopped for want of slots
	freed    chan struct{} // a slot page came free while starving
	hosts    sync.WaitGroup
	loops    sync.WaitGroup
}

// newOwner names this process in leases: unique per start, readable in
// the database.
func newOwner() string {
	name, _ := os.Hostname()
	var b [4]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%s/%d/%s", name, os.Getpid(), hex.EncodeToString(b[:]))
}

// Start begins sending queued deliveries until ctx ends or Stop is
// called. The wake Hub (Config.Wake) tells it of new work at once; start
// that Hub too.
func (d *Deliverer) Start(ctx context.Context) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.disp != nil {
		return errors.New("delivery dispatcher already started")
	}
	opts := d.dispatchOpts
	p := &dispatcher{d: d, opts: opts, owner: newOwner(), acts: newActivityCache(d.store.DB, d.warmSigner), pace: newPace(opts.SlowAnswer),
		inflight: make(chan struct{}, opts.MaxInFlight), stopping: make(chan struct{}), stopped: make(chan struct{}),
		leases: make(map[string]*hostLease), freed: make(chan struct{}, 1)}
	p.sendCtx, p.hardStop = context.WithCancel(context.WithoutCancel(ctx))
	p.rec = newRecorder(d, p.owner, opts.FlushEvery)
	woken := d.wake.Subscribe(wake.Delivery)
	if d.ownWake {
		if err := d.wake.Start(ctx); err != nil {
			return err
		}
	}
	p.rec.start(p.sendCtx)
	p.loops.Add(2)
	go p.loop(ctx, woken)
	go p.renew(ctx)
	go func() {
		// Without a Stop first, the end of ctx stops it with a short grace.
		select {
		case <-ctx.Done():
			grace, cancel := context.WithTimeout(context.WithoutCancel(ctx), stopGrace)
			defer cancel()
			p.stop(grace)
		case <-p.stopped:
		}
	}()
	d.disp = p
	return nil
}

// Stop stops taking new work and lets POSTs in flight finish until ctx
// ends; those still running then are cut short. Every host this process
// held is handed back, due at once, and every outcome recorded, so the
// next process to start (or another running one) goes on where it
// stopped.
func (d *Deliverer) Stop(ctx context.Context) error {
	d.mu.Lock()
	p := d.disp
	d.mu.Unlock()
	if p == nil {
		return nil
	}
	p.stop(ctx)
	return nil
}

// stop is Stop; a second call waits for the first to finish.
func (p *dispatcher) stop(ctx context.Context) {
	p.stopOnce.Do(func() {
		close(p.stopping)
		p.loops.Wait() // nothing new is leased after this
		hostsDone := make(chan struct{})
		go func() { p.hosts.Wait(); close(hostsDone) }()
		select {
		case <-hostsDone:
		case <-ctx.Done():
			p.hardStop()
			<-hostsDone
		}
		p.rec.finish()
		p.hardStop()
		close(p.stopped)
	})
	<-p.stopped
}

// loop leases due hosts whenever it is woken, a slot page comes free, or
// the earliest due time or the poll interval passes.
func (p *dispatcher) loop(ctx context.Context, woken <-chan struct{}) {
	defer p.loops.Done()
	timer := time.NewTimer(0)
	defer timer.Stop()
	lastSweep := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-p.stopping:
			return
		case <-woken:
		case <-p.freed:
		case <-timer.C:
		}
		timer.Reset(p.fill(ctx))
		if time.Since(lastSweep) > sweepEvery {
			lastSweep = time.Now()
			if err := p.sweep(ctx); err != nil && ctx.Err() == nil {
				p.d.log.WarnContext(ctx, "deleting delivered activities", "err", err)
			}
		}
	}
}

// fill leases due hosts while there are free slots, starts their
// goroutines, and says how long to wait before looking again. It looks
// first, with a read: a lease is a write, which on SQLite would wait for
// (and then sleep past) a long fan-out's transaction, and so miss the
// wake-up its commit sends. Without a page of free slots it does not look
// at all: wake-ups come often during a fan-out (every commit, on SQLite),
// and the slots coming free wake the loop anyway.
func (p *dispatcher) fill(ctx context.Context) time.Duration {
	if _, starving := p.slots(); starving {
		return p.opts.Poll // a freed page of slots wakes the loop sooner
	}
	if wait, due := p.untilDue(ctx); !due {
		return wait
	}
	// An idle dispatcher starts with a small page, so the first POSTs
	// leave before a whole page of hosts is leased and read.
	page := leasePage
	if p.idle() {
		page = firstLeasePage
	}
	for ; ; page = min(2*page, leasePage) {
		free, starving := p.slots()
		if starving {
			return p.opts.Poll
		}
		select {
		case <-p.stopping:
			return p.opts.Poll
		default:
		}
		n := min(free, page)
		leases, err := p.lease(ctx, n)
		if err != nil {
			if ctx.Err() == nil {
				p.d.log.ErrorContext(ctx, "leasing hosts to deliver to", "err", err)
			}
			return errorPause
		}
		p.begin(ctx, leases)
		if len(leases) < n {
			break
		}
	}
	wait, due := p.untilDue(ctx)
	if due {
		// Due but not leased: locked by a transaction under way (an
		// append, whose commit wakes us) or by another process leasing.
		return max(wait, lockedPause)
	}
	return wait
}

// untilDue says whether a host is due now and, if not, how long to wait
// before looking again.
func (p *dispatcher) untilDue(ctx context.Context) (time.Duration, bool) {
	next, ok, err := p.nextDue(ctx)
	if err != nil {
		if ctx.Err() == nil {
			p.d.log.ErrorContext(ctx, "finding when hosts come due", "err", err)
		}
		return errorPause, false
	}
	if !ok {
		return p.opts.Poll, false
	}
	wait := time.Until(next)
	return min(max(wait, time.Millisecond), p.opts.Poll), wait <= 0
}

// begin starts the goroutines of freshly leased hosts, after reading their
// first rows and activities in a few queries for the whole page.
func (p *dispatcher) begin(ctx context.Context, leases []*hostLease) {
	if len(leases) == 0 {
		return
	}
	if err := p.prefetch(ctx, leases); err != nil && ctx.Err() == nil {
		// Each host reads its own rows instead.
		p.d.log.WarnContext(ctx, "reading the first deliveries of leased hosts", "err", err)
	}
	dead, err := p.d.hosts.deadHosts(ctx, p.d.store.DB)
	if err != nil && ctx.Err() == nil {
		p.d.log.WarnContext(ctx, "listing dead hosts", "err", err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, l := range leases {
		l.dead = dead[l.host]
		l.ctx, l.cancel = context.WithCancel(p.sendCtx)
		p.leases[l.host] = l
		p.hosts.Add(1)
		go p.work(l)
	}
}

// slots says how many slots are free and whether that is too few to
// lease a page (the loop then waits for the freed signal).
func (p *dispatcher) slots() (free int, starving bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	free = p.opts.MaxHosts - p.busyLocked()
	p.starving = free < p.refill()
	return free, p.starving
}

// idle is whether this process holds no host.
func (p *dispatcher) idle() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.leases) == 0
}

// busyLocked counts the leases that hold a slot. The caller holds p.mu.
func (p *dispatcher) busyLocked() int { return len(p.leases) - p.parked }

// refill is how many slots must be free before fill leases more: a page's
// worth, not one at a time, so that leasing costs few queries.
func (p *dispatcher) refill() int { return max(1, min(leasePage, p.opts.MaxHosts)/2) }

// ended forgets a host whose goroutine finished.
func (p *dispatcher) ended(l *hostLease) {
	l.cancel()
	p.mu.Lock()
	if p.leases[l.host] == l {
		delete(p.leases, l.host)
		if l.parked {
			p.parked--
		}
	}
	p.wakeIfFreedLocked()
	p.mu.Unlock()
	p.hosts.Done()
}

// slowPost notes that one of l's POSTs has been running for longer than
// SlowAnswer (started) or has since ended. A host with such a POST is
// parked: it no longer holds a slot, so a slow server holds up no other.
func (p *dispatcher) slowPost(l *hostLease, started bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if started {
		l.slowPosts++
	} else {
		l.slowPosts--
	}
	park := l.slowPosts > 0 && (l.parked || p.parked < maxParked*p.opts.MaxHosts)
	if park == l.parked || p.leases[l.host] != l {
		return
	}
	l.parked = park
	if park {
		p.parked++
		p.wakeIfFreedLocked()
	} else {
		p.parked--
	}
}

// wakeIfFreedLocked wakes the loop if fill was waiting for slots and
// enough are now free. The caller holds p.mu.
func (p *dispatcher) wakeIfFreedLocked() {
	if !p.starving || p.opts.MaxHosts-p.busyLocked() < p.refill() {
		return
	}
	p.starving = false
	select {
	case p.freed <- struct{}{}:
	default:
	}
}

// renew extends this process's leases every third of their life and stops
// the goroutines of hosts whose lease was lost (this process stalled for
// longer than LeaseTTL and another took the host over).
func (p *dispatcher) renew(ctx context.Context) {
	defer p.loops.Done()
	t := time.NewTicker(p.opts.LeaseTTL / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-p.stopping:
			return
		case <-t.C:
		}
		p.mu.Lock()
		hosts := make([]string, 0, len(p.leases))
		for h := range p.leases {
			hosts = append(hosts, h)
		}
		p.mu.Unlock()
		lost, err := p.renewLeases(ctx, hosts)
		if err != nil {
			if ctx.Err() == nil {
				p.d.log.ErrorContext(ctx, "renewing host leases", "err", err)
			}
			continue
		}
		p.mu.Lock()
		for _, h := range lost {
			if l := p.leases[h]; l != nil {
				p.d.log.WarnContext(ctx, "lease on host lost to another process", "host", h)
				l.cancel()
			}
		}
		p.mu.Unlock()
	}
}
