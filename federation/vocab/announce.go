package vocab

import (
	"fmt"
	"time"
)

// Announce is a network's re-share of a post, or (Activity set) of a
// member's activity about it, as FEP-1b12 groups send them.
type Announce struct {
	ID, Actor string
	Object    string // the original post's id
	// Activity, when set, is announced instead of the bare post: an Update
	// or Delete by the post's author, named with its id, type and actor and
	// the post's id, so a receiver fetches what it cannot verify.
	Activity  *AnnouncedActivity
	To, Cc    []string
	Published time.Time
}

// AnnouncedActivity names the activity an Announce carries.
type AnnouncedActivity struct {
	ID, Type, Actor string
}

// MarshalAnnounce renders an Announce.
func MarshalAnnounce(a Announce) ([]byte, error) {
	m, err := announceMap(a)
	if err != nil {
		return nil, err
	}
	return finish(m)
}

// MarshalUndoAnnounce renders the Undo of an Announce, with the Announce
// embedded so servers that did not keep its id still find the boost.
func MarshalUndoAnnounce(id string, a Announce) ([]byte, error) {
	if _, err := parseIRIs(map[string]string{"id": id}, nil); err != nil {
		return nil, fmt.Errorf("vocab: marshal Undo: %w", err)
	}
	inner, err := announceMap(a)
	if err != nil {
		return nil, err
	}
	m := map[string]any{"id": id, "type": "Undo", "actor": a.Actor, "object": inner, "to": anyList(a.To)}
	if len(a.Cc) > 0 {
		m["cc"] = anyList(a.Cc)
	}
	return finish(m)
}

func announceMap(a Announce) (map[string]any, error) {
	required := map[string]string{"id": a.ID, "actor": a.Actor, "object": a.Object}
	if a.Activity != nil {
		required["activity id"], required["activity actor"] = a.Activity.ID, a.Activity.Actor
	}
	if _, err := parseIRIs(required, nil); err != nil {
		return nil, fmt.Errorf("vocab: marshal Announce: %w", err)
	}
	if len(a.To) == 0 {
		return nil, fmt.Errorf("vocab: marshal Announce %s: %w: to is empty", a.ID, ErrInvalid)
	}
	if _, _, err := addressing(a.To, a.Cc); err != nil {
		return nil, fmt.Errorf("vocab: marshal Announce %s: %w", a.ID, err)
	}
	var object any = a.Object
	if act := a.Activity; act != nil {
		if act.Type != "Update" && act.Type != "Delete" && act.Type != "Create" {
			return nil, fmt.Errorf("vocab: marshal Announce %s: %w: cannot announce a %q", a.ID, ErrInvalid, act.Type)
		}
		object = map[string]any{"id": act.ID, "type": act.Type, "actor": act.Actor, "object": a.Object}
	}
	m := map[string]any{"id": a.ID, "type": "Announce", "actor": a.Actor, "object": object, "to": anyList(a.To)}
	if len(a.Cc) > 0 {
		m["cc"] = anyList(a.Cc)
	}
	if !a.Published.IsZero() {
		m["published"] = a.Published.UTC().Format(time.RFC3339)
	}
	return m, nil
}

func anyList(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
