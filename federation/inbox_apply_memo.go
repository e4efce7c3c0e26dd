package federation

import (
	"context"
	"sync"

	"github.com/commonplace-social/commonplace/internal/model"
)

// actorMemo keeps the stored actor a run of one actor's activities is
// about: every activity in the run needs it (Fetcher.Actor), and it would
// otherwise be read from the database once per activity. It lasts one
// run, and storing that actor anew (an Update of it) drops it.
type actorMemo struct {
	mu    sync.Mutex
	iri   string
	actor *model.Actor
}

type actorMemoKey struct{}

// withActorMemo returns a context in which Fetcher.Actor remembers the
// actor iri once read.
func withActorMemo(ctx context.Context, iri string) context.Context {
	return context.WithValue(ctx, actorMemoKey{}, &actorMemo{iri: iri})
}

// memoActor returns a copy of the remembered actor, if ctx has one for iri.
func memoActor(ctx context.Context, iri string) (*model.Actor, bool) {
	m, ok := ctx.Value(actorMemoKey{}).(*actorMemo)
	if !ok || m.iri != iri {
		return nil, false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.actor == nil {
		return nil, false
	}
	a := *m.actor
	return &a, true
}

// rememberActor keeps a copy of a for the rest of the run, if ctx is
// about it; a nil a forgets it.
func rememberActor(ctx context.Context, iri string, a *model.Actor) {
	m, ok := ctx.Value(actorMemoKey{}).(*actorMemo)
	if !ok || m.iri != iri {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if a == nil {
		m.actor = nil
		return
	}
	c := *a
	m.actor = &c
}
