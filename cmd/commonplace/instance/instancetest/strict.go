package instancetest

import "sync"

// strictFollows makes a Remote as strict as Mastodon and GoToSocial are
// about posts: a Create from an account it does not follow is dropped,
// and a follow counts only from the moment its Accept arrives. A sender
// that lets a Create overtake the Accept of a follow loses that post. Like
// them, it ignores an activity id it has already had: delivery is at least
// once, so a retry of a request that timed out may come twice.
type strictFollows struct {
	mu        sync.Mutex
	following map[string]bool // actor ids whose Accept has arrived
	seen      map[string]bool // activity ids already kept
	dropped   []map[string]any
}

// admit reports whether a verified delivery is kept. It is called in
// arrival order.
func (s *strictFollows) admit(act map[string]any) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	actor, _ := act["actor"].(string)
	id, _ := act["id"].(string)
	if s.seen[id] {
		return false
	}
	switch act["type"] {
	case "Accept":
		if s.following == nil {
			s.following = make(map[string]bool)
		}
		s.following[actor] = true
	case "Create":
		if !s.following[actor] {
			s.dropped = append(s.dropped, act)
			return false
		}
	}
	if s.seen == nil {
		s.seen = make(map[string]bool)
	}
	s.seen[id] = true
	return true
}

// Dropped returns the Creates a strict remote dropped because they came
// from an account it did not follow yet.
func (r *Remote) Dropped() []map[string]any {
	if r.strict == nil {
		return nil
	}
	r.strict.mu.Lock()
	defer r.strict.mu.Unlock()
	return append([]map[string]any(nil), r.strict.dropped...)
}
