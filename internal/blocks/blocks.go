// Package blocks lets an operator cut off a remote account or a whole
// domain: a blocked sender's deliveries are refused, its follows in both
// directions are removed, and nothing more is delivered to it.
package blocks

import (
	"context"
	"net"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/iri"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/remoteurl"
	"github.com/commonplace-social/commonplace/internal/sanitize"
	"github.com/commonplace-social/commonplace/internal/store"
)

// DefaultTTL bounds how long a server trusts its copy of the block list.
// Blocks made through this Service apply at once; those made by a CLI
// process next to a running server take up to this long.
const DefaultTTL = 5 * time.Second

// maxReason bounds the operator's note; it is only ever shown back to them.
const maxReason = 500

// Service manages and answers questions about blocks. The inbox asks on
// every delivery, so answers come from an in-memory copy of the list.
type Service struct {
	Store  *store.Store
	Layout iri.Layout    // this instance, which can never be blocked
	TTL    time.Duration // 0: DefaultTTL

	mu   sync.Mutex // serialises reloads and invalidation
	snap atomic.Pointer[snapshot]
}

type snapshot struct {
	accounts map[string]bool // actor IRIs
	domains  map[string]bool // host[:port]
	inboxes  map[string]bool // personal inboxes of blocked accounts
	loaded   time.Time
}

// Result is what a block did.
type Result struct {
	Block          *store.Block // as stored, with the value normalised
	FollowsRemoved int          // in both directions
}

// BlockAccount blocks one remote actor by IRI and removes its follows, in
// one transaction. Nothing is sent to it: a blocked server gets nothing
// more.
func (s *Service) BlockAccount(ctx context.Context, actorIRI, reason string) (Result, error) {
	actorIRI, err := remoteurl.Canonical(strings.TrimSpace(actorIRI))
	if err != nil {
		return Result{}, model.Errorf(model.EInvalid, "not an actor URL: %v", err)
	}
	if hostOf(actorIRI) == canonicalHost(s.Layout.Host()) {
		return Result{}, model.Errorf(model.EInvalid, "%s is an account of this instance, which cannot be blocked", actorIRI)
	}
	return s.put(ctx, &store.Block{Kind: store.BlockAccount, Value: actorIRI, Reason: cleanReason(reason)},
		func(tx bun.Tx) (int, error) { return s.Store.DeleteFollowsWithActor(ctx, tx, actorIRI) })
}

// BlockDomain blocks every account on host[:port] (and, for a host given
// without a port, on its other ports and subdomains) and removes their
// follows, in one transaction.
func (s *Service) BlockDomain(ctx context.Context, host, reason string) (Result, error) {
	h, err := canonicalDomain(host)
	if err != nil {
		return Result{}, err
	}
	if own := canonicalHost(s.Layout.Host()); domainCovers(h, own) {
		return Result{}, model.Errorf(model.EInvalid, "blocking %s would block this instance (%s)", h, own)
	}
	return s.put(ctx, &store.Block{Kind: store.BlockDomain, Value: h, Reason: cleanReason(reason)},
		func(tx bun.Tx) (int, error) { return s.Store.DeleteFollowsWithHost(ctx, tx, h) })
}

func (s *Service) put(ctx context.Context, b *store.Block, unfollow func(bun.Tx) (int, error)) (Result, error) {
	res := Result{Block: b}
	err := s.Store.InTx(ctx, func(tx bun.Tx) error {
		if err := s.Store.PutBlock(ctx, tx, b); err != nil {
			return err
		}
		var err error
		res.FollowsRemoved, err = unfollow(tx)
		return err
	})
	if err != nil {
		return Result{}, err
	}
	s.invalidate()
	return res, nil
}

// Unblock lifts a block of kind store.BlockAccount or store.BlockDomain.
// Follows removed by the block are not restored.
func (s *Service) Unblock(ctx context.Context, kind, value string) error {
	value = strings.TrimSpace(value)
	switch kind {
	case store.BlockAccount:
		if c, err := remoteurl.Canonical(value); err == nil {
			value = c
		}
	case store.BlockDomain:
		h, err := canonicalDomain(value)
		if err != nil {
			return err
		}
		value = h
	default:
		return model.Errorf(model.EInvalid, "unknown kind of block %q (known: account, domain)", kind)
	}
	found, err := s.Store.DeleteBlock(ctx, kind, value)
	if err != nil {
		return err
	}
	s.invalidate()
	if !found {
		return model.Errorf(model.ENotFound, "the %s %s is not blocked", kind, value)
	}
	return nil
}

// List returns every block, domains first.
func (s *Service) List(ctx context.Context) ([]*store.Block, error) { return s.Store.Blocks(ctx) }

// IsBlocked reports whether the actor, or the domain it lives on, is
// blocked. A nil Service blocks nothing, so callers need no special case.
func (s *Service) IsBlocked(ctx context.Context, actorIRI string) (bool, error) {
	if s == nil {
		return false, nil
	}
	sn, err := s.current(ctx)
	if err != nil {
		return false, err
	}
	if sn.accounts[canonicalIRI(actorIRI)] {
		return true, nil
	}
	return sn.hostBlocked(hostOf(actorIRI)), nil
}

// DeliveryBlocked reports whether nothing may be delivered to this inbox:
// its server is blocked, or it is a blocked account's own inbox.
func (s *Service) DeliveryBlocked(ctx context.Context, inbox string) (bool, error) {
	if s == nil {
		return false, nil
	}
	sn, err := s.current(ctx)
	if err != nil {
		return false, err
	}
	return sn.inboxes[canonicalIRI(inbox)] || sn.hostBlocked(hostOf(inbox)), nil
}

// current returns the block list, reloading it when older than the TTL.
func (s *Service) current(ctx context.Context) (*snapshot, error) {
	ttl := s.TTL
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	if sn := s.snap.Load(); sn != nil && time.Since(sn.loaded) < ttl {
		return sn, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if sn := s.snap.Load(); sn != nil && time.Since(sn.loaded) < ttl {
		return sn, nil
	}
	bs, err := s.Store.Blocks(ctx)
	if err != nil {
		return nil, err
	}
	inboxes, err := s.Store.BlockedAccountInboxes(ctx)
	if err != nil {
		return nil, err
	}
	sn := &snapshot{accounts: map[string]bool{}, domains: map[string]bool{}, inboxes: map[string]bool{}, loaded: time.Now()}
	for _, b := range bs {
		// Rows written before hosts were canonical are read as if they were.
		if b.Kind == store.BlockAccount {
			sn.accounts[canonicalIRI(b.Value)] = true
		} else {
			sn.domains[canonicalHost(b.Value)] = true
		}
	}
	for _, in := range inboxes {
		sn.inboxes[canonicalIRI(in)] = true
	}
	s.snap.Store(sn)
	return sn, nil
}

// invalidate drops the cached list. It waits for a reload in progress, so
// a list read before a change cannot be stored after it.
func (s *Service) invalidate() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.snap.Store(nil)
}

// hostBlocked checks host[:port] against the domain blocks: the exact
// host:port, the bare host, and each parent domain of a host name.
func (sn *snapshot) hostBlocked(host string) bool {
	if host == "" || len(sn.domains) == 0 {
		return false
	}
	if sn.domains[host] {
		return true
	}
	name := hostname(host)
	if sn.domains[name] {
		return true
	}
	if net.ParseIP(strings.Trim(name, "[]")) != nil {
		return false
	}
	for i := strings.IndexByte(name, '.'); i >= 0; i = strings.IndexByte(name, '.') {
		name = name[i+1:]
		if sn.domains[name] {
			return true
		}
	}
	return false
}

// domainCovers reports whether a block of domain applies to host, by the
// same rule as hostBlocked.
func domainCovers(domain, host string) bool {
	sn := &snapshot{domains: map[string]bool{domain: true}}
	return sn.hostBlocked(host)
}

// hostOf is the canonical host[:port] of a URL, so that evil.example.,
// EVIL.Example and evil.example:443 are all the blocked evil.example.
func hostOf(rawURL string) string {
	u, err := url.Parse(canonicalIRI(rawURL))
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Host)
}

// hostname strips the port from host[:port], keeping IPv6 brackets.
func hostname(host string) string {
	h, _, err := net.SplitHostPort(host)
	if err != nil {
		return host
	}
	if strings.Contains(h, ":") {
		return "[" + h + "]"
	}
	return h
}

func cleanReason(r string) string {
	return sanitize.Truncate(sanitize.Text(strings.TrimSpace(r)), maxReason)
}
