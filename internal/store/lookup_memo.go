package store

import (
	"context"
	"sync"

	"github.com/commonplace-social/commonplace/internal/model"
)

// lookupMemo keeps, for one run of work, answers that every item of the
// run asks for again: whether an author is followed here and which of our
// networks re-share its posts. The inbox applier asks both for each post
// of an actor's turn, about the same author.
type lookupMemo struct {
	mu       sync.Mutex
	followed map[int64]bool
	networks map[int64][]*model.Actor
}

type lookupMemoKey struct{}

// The memo's two maps, as memoized and remember take them.
func memoFollowed(m *lookupMemo) *map[int64]bool           { return &m.followed }
func memoNetworks(m *lookupMemo) *map[int64][]*model.Actor { return &m.networks }

// WithLookupMemo returns a context under which IsFollowedLocally and
// NetworksOfMember remember their answers until ForgetLookups, and
// RemoteActorByIRI gives both answers for the actor it reads. Answers may
// be as old as the run: a follow changed meanwhile by someone else counts
// from the next run, as if it had come a moment later.
func WithLookupMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, lookupMemoKey{}, &lookupMemo{})
}

// ForgetLookups drops what ctx's memo holds: the caller has just done
// something that may change the answers (applied a Follow, an Accept, an
// Undo, a Delete).
func ForgetLookups(ctx context.Context) {
	if m, ok := ctx.Value(lookupMemoKey{}).(*lookupMemo); ok {
		m.mu.Lock()
		m.followed, m.networks = nil, nil
		m.mu.Unlock()
	}
}

// memoized returns the remembered answer for id in the map pick chooses,
// or asks load and remembers its answer.
func memoized[T any](ctx context.Context, pick func(*lookupMemo) *map[int64]T, id int64, load func() (T, error)) (T, error) {
	m, ok := ctx.Value(lookupMemoKey{}).(*lookupMemo)
	if !ok {
		return load()
	}
	m.mu.Lock()
	v, hit := (*pick(m))[id]
	m.mu.Unlock()
	if hit {
		return v, nil
	}
	v, err := load()
	if err != nil {
		return v, err
	}
	remember(m, pick, id, v)
	return v, nil
}

// remember stores v as the answer for id in the map pick chooses.
func remember[T any](m *lookupMemo, pick func(*lookupMemo) *map[int64]T, id int64, v T) {
	m.mu.Lock()
	defer m.mu.Unlock()
	mp := pick(m)
	if *mp == nil {
		*mp = map[int64]T{}
	}
	(*mp)[id] = v
}
