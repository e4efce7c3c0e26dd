package federation

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/commonplace-social/commonplace/internal/model"
)

// Defaults for keyGate. A delivery naming a key we never saw costs us
// fetches of the key, its owner and so on; without these, anyone could make
// us spend up to a request timeout per forged POST, as often as they like.
const (
	keyFailureTTL     = 5 * time.Minute
	keyFailureMax     = 10000 // remembered failures; beyond, the oldest go
	keyFetchesPerHost = 2
	keySlotWait       = 250 * time.Millisecond
)

// KeyUnavailableError: the key could not be fetched now (it failed lately, or
// its host has enough of our fetches in flight). RetryAfter says when
// asking again may help.
type KeyUnavailableError struct {
	KeyID      string
	RetryAfter time.Duration
	Err        error // the remembered failure, if any
}

func (e *KeyUnavailableError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("key %s failed lately, not fetched again for now: %v", e.KeyID, e.Err)
	}
	return fmt.Sprintf("key %s not fetched: its server already has our fetches in flight", e.KeyID)
}

func (e *KeyUnavailableError) Unwrap() error { return e.Err }

// keyGate runs key fetches with a memory of failures (by key id, and by
// host when the host itself did not answer) and a bound on concurrent
// fetches per host; a fetch beyond the bound waits briefly, then gives up.
type keyGate struct {
	mu       sync.Mutex
	failed   expiring[error] // why a fetch failed, by key id or "host " + host
	inFlight map[string]int
	freed    chan struct{} // closed and replaced whenever a slot frees
	now      func() time.Time
	keys     *keyCache // parsed keys of signers already verified
}

type failure struct {
	until time.Time
	err   error
}

func newKeyGate() *keyGate {
	return &keyGate{failed: newExpiring[error](keyFailureMax), inFlight: map[string]int{}, freed: make(chan struct{}), now: time.Now,
		keys: newKeyCache()}
}

func (f *Fetcher) gate() *keyGate {
	f.gateOnce.Do(func() { f.keyGate = newKeyGate() })
	return f.keyGate
}

// fetch runs do for keyID unless a failure is remembered or the host is
// busy. do's failure is remembered, except when our caller went away.
func (g *keyGate) fetch(ctx context.Context, keyID string, do func(context.Context) (*model.Actor, error)) (*model.Actor, error) {
	host := hostOf(keyID)
	if f, ok := g.remembered(keyID, host); ok {
		return nil, &KeyUnavailableError{KeyID: keyID, RetryAfter: f.until.Sub(g.now()), Err: f.err}
	}
	if !g.acquire(ctx, host) {
		return nil, &KeyUnavailableError{KeyID: keyID, RetryAfter: time.Minute}
	}
	a, err := do(ctx)
	g.release(host)
	if err == nil || errors.Is(err, context.Canceled) {
		return a, err
	}
	g.remember(keyID, err)
	if hostDown(err) {
		g.remember("host "+host, err)
	}
	return nil, err
}

func (g *keyGate) remembered(keyID, host string) (failure, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	for _, k := range []string{keyID, "host " + host} {
		if err, until, ok := g.failed.get(k, now); ok {
			return failure{until: until, err: err}, true
		}
	}
	return failure{}, false
}

func (g *keyGate) remember(key string, err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	g.failed.put(key, err, now.Add(keyFailureTTL), now)
}

// acquire takes one of host's slots, waiting at most keySlotWait.
func (g *keyGate) acquire(ctx context.Context, host string) bool {
	timer := time.NewTimer(keySlotWait)
	defer timer.Stop()
	for {
		g.mu.Lock()
		if g.inFlight[host] < keyFetchesPerHost {
			g.inFlight[host]++
			g.mu.Unlock()
			return true
		}
		freed := g.freed
		g.mu.Unlock()
		select {
		case <-freed:
		case <-timer.C:
			return false
		case <-ctx.Done():
			return false
		}
	}
}

func (g *keyGate) release(host string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.inFlight[host]--; g.inFlight[host] <= 0 {
		delete(g.inFlight, host)
	}
	close(g.freed)
	g.freed = make(chan struct{})
}

// hostDown reports a failure of the host itself (no answer in time, no
// connection), as opposed to an answer we could not use: every key there
// would fail the same way.
func hostDown(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne)
}
