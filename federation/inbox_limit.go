package federation

import (
	"math"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/commonplace-social/commonplace/internal/metrics"
)

// maxLimitedHosts bounds the limiter's memory. The host comes from an
// unverified header, so a flood of invented host names must not grow the
// map without end; past this, a random host's bucket is forgotten, which
// only ever gives that host a fresh, full budget.
const maxLimitedHosts = 10000

// unsignedHost is the one bucket that requests naming no key share: they
// are refused at the signature check anyway, and must not read bodies
// without limit on the way there.
const unsignedHost = "(unsigned)"

// InboxLimiter is a token bucket per remote host for inbox deliveries,
// or rather per claimed host and sending address: the host is claimed in
// an unverified header, and keyed by host alone, anyone could spend a real
// server's budget by naming it, and have its deliveries refused. A server
// sending from several addresses gets a budget at each. Nil lets
// everything through.
type InboxLimiter struct {
	rate  rate.Limit
	burst int
	// idle is how long a bucket takes to fill up again; one unused that
	// long is the same as a new one, so it is dropped.
	idle time.Duration

	mu        sync.Mutex
	hosts     map[string]*hostBucket
	lastSweep time.Time
}

type hostBucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// NewInboxLimiter allows each host perSecond requests, and burst at once.
// A perSecond of 0 or less returns nil: no limit.
func NewInboxLimiter(perSecond float64, burst int) *InboxLimiter {
	if perSecond <= 0 {
		return nil
	}
	burst = max(burst, 1)
	idle := time.Duration(float64(burst) / perSecond * float64(time.Second))
	return &InboxLimiter{rate: rate.Limit(perSecond), burst: burst, idle: max(idle, time.Second),
		hosts: make(map[string]*hostBucket)}
}

// take spends one of host's tokens. When there is none it reports how long
// until there will be, and spends nothing.
func (l *InboxLimiter) take(host string, now time.Time) (wait time.Duration, ok bool) {
	if l == nil {
		return 0, true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.hosts[host]
	if b == nil {
		l.makeRoom(now)
		b = &hostBucket{lim: rate.NewLimiter(l.rate, l.burst)}
		l.hosts[host] = b
	}
	b.seen = now
	res := b.lim.ReserveN(now, 1)
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return d, false
	}
	return 0, true
}

// makeRoom drops idle buckets, at most once per idle period, and then, if
// the map is still full, arbitrary ones (Go's map order is random).
func (l *InboxLimiter) makeRoom(now time.Time) {
	if now.Sub(l.lastSweep) >= l.idle {
		for h, b := range l.hosts {
			if now.Sub(b.seen) >= l.idle {
				delete(l.hosts, h)
			}
		}
		l.lastSweep = now
	}
	for h := range l.hosts {
		if len(l.hosts) < maxLimitedHosts {
			break
		}
		delete(l.hosts, h)
	}
}

// len is the number of hosts tracked, for tests.
func (l *InboxLimiter) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.hosts)
}

// claimedHost is the host a delivery says it is from, read from the
// signature's keyId before anything is fetched or the body read. It is
// unverified: a liar gets a bucket of its own by naming any host (a real
// one's is keyed by its address too), and is then refused at the key check
// like any other forgery.
func claimedHost(r *http.Request) string {
	for _, h := range []string{r.Header.Get("Signature"), r.Header.Get("Signature-Input")} {
		if id := quotedParam(h, "keyid"); id != "" {
			if host := strings.ToLower(hostFromURL(id)); host != "" {
				return host
			}
		}
	}
	return unsignedHost
}

// quotedParam finds name="value" in a signature header, the name in any
// case (draft-cavage writes keyId, RFC 9421 keyid).
func quotedParam(header, name string) string {
	lower := strings.ToLower(header)
	for i := 0; ; {
		j := strings.Index(lower[i:], name+`="`)
		if j < 0 {
			return ""
		}
		start := i + j + len(name) + 2
		// The name must start a parameter, not end a longer one.
		if k := i + j; k == 0 || strings.ContainsRune(" ,;\t", rune(lower[k-1])) {
			if end := strings.IndexByte(header[start:], '"'); end >= 0 {
				return header[start : start+end]
			}
			return ""
		}
		i = start
	}
}

// throttle refuses a delivery, before its body is read, when the host it
// claims to be from has used up its budget.
func (s *Server) throttle(r *http.Request, note *inboxNote) error {
	host := claimedHost(r)
	if host != unsignedHost {
		note.host = host
	}
	wait, ok := s.InboxLimit.take(host+" "+s.clientAddr(r), time.Now())
	if ok {
		return nil
	}
	reason := "host"
	if host == unsignedHost {
		reason = "unsigned"
	}
	metrics.From(r.Context()).InboxThrottled(reason)
	secs := retryAfterSeconds(wait)
	ref := refuse(http.StatusTooManyRequests, nil, "too many deliveries from %s; try again in %d s", host, secs)
	ref.retryAfter = secs
	return ref
}

// clientAddr is the sender's address as the instance resolves it (behind a
// proxy, the one it forwarded).
func (s *Server) clientAddr(r *http.Request) string {
	if s.ClientAddr != nil {
		return s.ClientAddr(r)
	}
	if h, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return h
	}
	return r.RemoteAddr
}

// retryAfterSeconds rounds a wait up to whole seconds, at least one, as
// Retry-After takes.
func retryAfterSeconds(d time.Duration) int {
	return max(1, int(math.Ceil(d.Seconds())))
}
