package federation

import "time"

// expiring is a bounded map whose entries lapse: what the inbox remembers
// of keys, good (parsed keys) and bad (failed fetches). A lapsed entry is
// dropped when read; when full, lapsed entries go first, then any one, so
// remote input can never grow it past max. Its owner does the locking.
type expiring[V any] struct {
	max     int
	entries map[string]expiringEntry[V]
}

type expiringEntry[V any] struct {
	value V
	until time.Time
}

func newExpiring[V any](max int) expiring[V] {
	return expiring[V]{max: max, entries: map[string]expiringEntry[V]{}}
}

// get returns key's value and when it lapses, if it has not lapsed by now.
func (m *expiring[V]) get(key string, now time.Time) (value V, until time.Time, ok bool) {
	e, ok := m.entries[key]
	if !ok {
		return value, until, false
	}
	if !now.Before(e.until) {
		delete(m.entries, key)
		return value, until, false
	}
	return e.value, e.until, true
}

// put sets key's value until then, making room first if the map is full.
func (m *expiring[V]) put(key string, value V, until, now time.Time) {
	if len(m.entries) >= m.max {
		for k, e := range m.entries {
			if !now.Before(e.until) {
				delete(m.entries, k)
			}
		}
		for k := range m.entries { // still full of live entries: any one goes
			if len(m.entries) < m.max {
				break
			}
			delete(m.entries, k)
		}
	}
	m.entries[key] = expiringEntry[V]{value: value, until: until}
}

// deleteWhere drops key, and every entry for which drop says so.
func (m *expiring[V]) deleteWhere(key string, drop func(V) bool) {
	delete(m.entries, key)
	for k, e := range m.entries {
		if drop(e.value) {
			delete(m.entries, k)
		}
	}
}
