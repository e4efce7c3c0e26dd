package iri

import (
	"crypto/rand"
	"encoding/hex"

	"github.com/commonplace-social/commonplace/internal/model"
)

// IDOf is the id of any actor: local organisations and the instance actor
// by this layout, remote actors as they told us.
func (l Layout) IDOf(a *model.Actor) string {
	switch {
	case !a.Local:
		return a.IRI
	case a.Type == model.ActorApplication:
		return l.InstanceActor()
	default:
		return l.Actor(a.Username)
	}
}

// KeyIDOf is the id of an actor's public key.
func (l Layout) KeyIDOf(a *model.Actor) string {
	if !a.Local {
		return a.PublicKeyID
	}
	return l.IDOf(a) + "#main-key"
}

// NewActivityID mints a fresh id for an activity a local actor sends. The
// random part makes ids unguessable and unique across processes.
func (l Layout) NewActivityID(a *model.Actor) string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return l.IDOf(a) + "/activities/" + hex.EncodeToString(b[:])
}
