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
	entries expiring[cachedKey]
	now     func() time.Time
}

type cachedKey struct {
	owner *model.Actor // without its raw document
	pub   *rsa.PublicKey
}

func newKeyCache() *keyCache {
	return &keyCache{entries: newExpiring[cachedKey](keyCacheMax), now: time.Now}
}

func (c *keyCache) get(keyID string) (*model.Actor, *rsa.PublicKey, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, _, ok := c.entries.get(keyID, c.now())
	return e.owner, e.pub, ok
}

func (c *keyCache) put(keyID string, owner *model.Actor, pub *rsa.PublicKey) {
	slim := *owner
	slim.Raw, slim.PrivateKeyPEM = "", ""
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	c.entries.put(keyID, cachedKey{owner: &slim, pub: pub}, now.Add(keyCacheTTL), now)
}

// forget drops the entry of keyID and every entry whose owner is actor.
func (c *keyCache) forget(keyID, actor string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries.deleteWhere(keyID, func(e cachedKey) bool { return e.owner.IRI == actor })
}

// actorStored is told of every remote actor stored: its key may have
// changed hands or been rotated, and its profile changed, so what was kept
// of it in memory goes.
func (f *Fetcher) actorStored(ctx context.Context, a *model.Actor) {
	f.gate().keys.forget(a.PublicKeyID, a.IRI)
	rememberActor(ctx, a.IRI, nil)
}
