package delivery

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/commonplace-social/commonplace/federation/httpsign"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// errNoSigner marks a sender that can never sign: gone, remote, or with an
// unusable key. Its deliveries are cancelled, not retried.
var errNoSigner = errors.New("sender cannot sign")

// signerCache keeps one parsed signer per local actor, because parsing the
// key costs about as much as a signature and one fan-out signs thousands of
// times. The actor's stored key is read again (one primary-key lookup) at
// most every signerRecheck, and parsed again only when it changed, so a
// rotated key is in use within that time, without a query per delivery.
type signerCache struct {
	store *store.Store
	keyID func(*model.Actor) string

	mu      sync.Mutex
	entries map[int64]*signerEntry
}

// signerRecheck is how long a parsed signer is used before the actor's
// stored key is read again.
const signerRecheck = 2 * time.Second

// signerEntry is filled in once; ready is closed when it is.
type signerEntry struct {
	pem     string // the private key it was parsed from
	ready   chan struct{}
	signer  *httpsign.Signer
	err     error
	checked time.Time // when pem was last seen to be the actor's key; under signerCache.mu
}

func newSignerCache(st *store.Store, keyID func(*model.Actor) string) *signerCache {
	return &signerCache{store: st, keyID: keyID, entries: make(map[int64]*signerEntry)}
}

// get returns the sender's signer for its current key, parsing it once even
// when many deliveries ask at the same moment. Failures are not cached. The
// stored key is read again if it was last read before freshAfter: an
// activity queued with a new key (an Update after a rotation) is signed
// with it.
func (c *signerCache) get(ctx context.Context, senderID int64, freshAfter time.Time) (*httpsign.Signer, error) {
	c.mu.Lock()
	if e, ok := c.entries[senderID]; ok && time.Since(e.checked) < signerRecheck && !e.checked.Before(freshAfter) {
		c.mu.Unlock()
		select {
		case <-e.ready:
			return e.signer, e.err
		case <-ctx.Done():
			return nil, fmt.Errorf("signer of actor %d: %w", senderID, ctx.Err())
		}
	}
	c.mu.Unlock()
	readAt := time.Now()
	a, err := c.store.ActorByID(ctx, senderID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("%w: actor %d no longer exists", errNoSigner, senderID)
	} else if err != nil {
		return nil, fmt.Errorf("signer of actor %d: %w", senderID, err)
	}
	if !a.Local || a.PrivateKeyPEM == "" {
		return nil, fmt.Errorf("%w: actor %d has no private key here", errNoSigner, senderID)
	}
	c.mu.Lock()
	e, ok := c.entries[senderID]
	if !ok || e.pem != a.PrivateKeyPEM {
		e = &signerEntry{pem: a.PrivateKeyPEM, ready: make(chan struct{}), checked: readAt}
		c.entries[senderID] = e
		c.mu.Unlock()
		e.signer, e.err = httpsign.NewSigner(c.keyID(a), a.PrivateKeyPEM)
		if e.err != nil {
			e.err = fmt.Errorf("%w: %w", errNoSigner, e.err)
			c.mu.Lock()
			if c.entries[senderID] == e {
				delete(c.entries, senderID)
			}
			c.mu.Unlock()
		}
		close(e.ready)
		return e.signer, e.err
	}
	if readAt.After(e.checked) {
		e.checked = readAt
	}
	c.mu.Unlock()
	select {
	case <-e.ready:
		return e.signer, e.err
	case <-ctx.Done():
		return nil, fmt.Errorf("signer of actor %d: %w", senderID, ctx.Err())
	}
}

// warmSigner reads a sender's key now, so that the deliveries of an
// activity loaded at after find it fresh; a failure is left for them to
// report.
func (d *Deliverer) warmSigner(ctx context.Context, senderID int64, after time.Time) {
	_, _ = d.signers.get(ctx, senderID, after)
}
