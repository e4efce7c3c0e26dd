package delivery

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/commonplace-social/commonplace/federation/httpsign"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// errNoSigner marks a sender that can never sign: gone, remote, or with an
// unusable key. Its deliveries are cancelled, not retried.
var errNoSigner = errors.New("sender cannot sign")

// signerCache keeps one parsed signer per local actor, because parsing the
// key costs about as much as a signature and one fan-out signs thousands of
// times. Each use reads the actor's stored key (one primary-key lookup) and
// parses again only when it changed, so a rotated key is used at once.
type signerCache struct {
	store *store.Store
	keyID func(*model.Actor) string

	mu      sync.Mutex
	entries map[int64]*signerEntry
}

// signerEntry is filled in once; ready is closed when it is.
type signerEntry struct {
	pem    string // the private key it was parsed from
	ready  chan struct{}
	signer *httpsign.Signer
	err    error
}

func newSignerCache(st *store.Store, keyID func(*model.Actor) string) *signerCache {
	return &signerCache{store: st, keyID: keyID, entries: make(map[int64]*signerEntry)}
}

// get returns the sender's signer for its current key, parsing it once even
// when many deliveries ask at the same moment. Failures are not cached.
func (c *signerCache) get(ctx context.Context, senderID int64) (*httpsign.Signer, error) {
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
		e = &signerEntry{pem: a.PrivateKeyPEM, ready: make(chan struct{})}
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
	c.mu.Unlock()
	select {
	case <-e.ready:
		return e.signer, e.err
	case <-ctx.Done():
		return nil, fmt.Errorf("signer of actor %d: %w", senderID, ctx.Err())
	}
}
