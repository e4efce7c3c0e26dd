package federation

import (
	"sync"
	"time"

	"github.com/commonplace-social/commonplace/federation/vocab"
)

// parsedBudget bounds the bodies of parsed activities held for the
// applier; a parsed activity takes about three times its body. Beyond it,
// activities are still recorded, and the applier reads and parses them
// from the database instead: memory stays bounded however far applying
// falls behind. A few seconds of a flood fit.
const parsedBudget = 6 << 20

// parsedActivities hands activities the inbox has parsed to this process's
// applier by record id, so each is parsed once. The applier takes each
// entry as it applies it; one recorded here but applied by another process
// is dropped when its actor's claim shows it processed (forget).
type parsedActivities struct {
	mu     sync.Mutex
	byID   map[int64]parsedEntry
	used   int
	budget int
}

type parsedEntry struct {
	act  *vocab.Activity
	size int
	at   time.Time
}

func newParsedActivities(budget int) *parsedActivities {
	return &parsedActivities{byID: map[int64]parsedEntry{}, budget: budget}
}

// put keeps act for the record id if the budget allows.
func (p *parsedActivities) put(id int64, act *vocab.Activity, size int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.used+size > p.budget {
		return
	}
	p.byID[id] = parsedEntry{act: act, size: size, at: time.Now()}
	p.used += size
}

// take returns and forgets the parsed activity of a record, if held.
func (p *parsedActivities) take(id int64) (*vocab.Activity, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	e, ok := p.byID[id]
	if !ok {
		return nil, false
	}
	delete(p.byID, id)
	p.used -= e.size
	return e.act, true
}

// expire drops entries kept before cutoff: their records were applied
// by another process, or will be read from the database.
func (p *parsedActivities) expire(cutoff time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for k, e := range p.byID {
		if e.at.Before(cutoff) {
			delete(p.byID, k)
			p.used -= e.size
		}
	}
	if len(p.byID) == 0 {
		p.byID = map[int64]parsedEntry{} // maps do not shrink
	}
}
