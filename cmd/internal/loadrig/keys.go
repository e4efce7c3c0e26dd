package loadrig

import (
	"fmt"
	"sync"

	"github.com/commonplace-social/commonplace/internal/keys"
)

// KeyPool is a few RSA key pairs shared round-robin by many remote actors:
// generating a 2048-bit key takes tens of milliseconds, and a thousand
// actors need distinct key ids, not distinct keys.
type KeyPool struct{ pairs []keys.Pair }

// NewKeyPool generates n key pairs on all cores.
func NewKeyPool(n int) (*KeyPool, error) {
	if n < 1 {
		n = 1
	}
	p := &KeyPool{pairs: make([]keys.Pair, n)}
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { p.pairs[i], errs[i] = keys.Generate() })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("key pool: %w", err)
		}
	}
	return p, nil
}

// Pick returns the pair for the i-th actor.
func (p *KeyPool) Pick(i int) keys.Pair { return p.pairs[i%len(p.pairs)] }
