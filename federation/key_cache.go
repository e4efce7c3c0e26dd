package federation

import (
	"context"
	"crypto/rsa"
	"sync"
	"time"

	"github.com/commonplace-social/commonplace/internal/model"
)

// Bounds of the parsed-key cache. Every inbox request needs its signer's
// key: without the cache that is a database read and a PEM parse each time.
// The TTL is how long another process's change of a key (a rotation it
// applied, a key it gave to another actor) may go unseen here; changes
// made in this process drop the entry at once (see keyChanged), and a
// signature that fails with a cached key is checked again with a fresh one.
const (
	keyCacheTTL = time.Minute
	keyCacheMax = 10000
)

// keyCache holds verified signers' parsed public keys by key id.
type keyCache struct {
	mu      sync.Mutex
	entries map[string]cachedKey
	now     func() time.Time
}

type cachedKey struct {
	owner *model.Actor // without its raw document
	pub   *rsa.PublicKey
	until time.Time
}

func newKeyCache() *keyCache {
	return &keyCache{entries: map[string]cachedKey{}, now: time.Now}
}

func (c *keyCache) get(keyID string) (*model.Actor, *rsa.PublicKey, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[keyID]
	if !ok {
		return nil, nil, false
	}
	if !c.now().Before(e.until) {
		delete(c.entries, keyID)
		return nil, nil, false
	}
	return e.owner, e.pub, true
}

func (c *keyCache) put(keyID string, owner *model.Actor, pub *rsa.PublicKey) {
	slim := *owner
	slim.Raw, slim.PrivateKeyPEM = "", ""
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if len(c.entries) >= keyCacheMax {
		for k, e := range c.entries {
			if !now.Before(e.until) {
				delete(c.entries, k)
			}
		}
		for k := range c.entries { // still full of live entries: any one goes
			if len(c.entries) < keyCacheMax {
				break
			}
			delete(c.entries, k)
		}
	}
	c.entries[keyID] = cachedKey{owner: &slim, pub: pub, until: now.Add(keyCacheTTL)}
}

// forget drops the entry of keyID and every entry whose owner is actor.
func (c *keyCache) forget(keyID, actor string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.entries, keyID)
	for k, e := range c.entries {
		if e.owner.IRI == actor {
			delete(c.entries, k)
		}
	}
}

// actorStored is told of every remote actor stored: its key may have
// changed hands or been rotated, and its profile changed, so what was kept
// of it in memory goes.
func (f *Fetcher) actorStored(ctx context.Context, a *model.Actor) {
	f.gate().keys.forget(a.PublicKeyID, a.IRI)
	rememberActor(ctx, a.IRI, nil)
}
