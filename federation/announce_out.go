package federation

import (
	"github.com/commonplace-social/commonplace/federation/vocab"
	"github.com/commonplace-social/commonplace/internal/iri"
	"github.com/commonplace-social/commonplace/internal/model"
)

// marshalAnnounce writes a network's Announce, or its Undo, addressed as
// Mastodon addresses a public boost: to Public, cc the network's followers.
func marshalAnnounce(l iri.Layout, out model.Outgoing, actor string) ([]byte, error) {
	ref := out.Announce
	a := vocab.Announce{ID: out.ID, Actor: actor, Object: ref.Object,
		To: []string{vocab.PublicIRI}, Cc: []string{l.Followers(out.Actor.Username)}, Published: nowUTC()}
	if ref.Activity != nil {
		a.Activity = &vocab.AnnouncedActivity{ID: ref.Activity.ID, Type: ref.Activity.Type, Actor: ref.Activity.Actor}
	}
	if out.Type == "Undo" {
		a.ID = ref.ID
		return vocab.MarshalUndoAnnounce(out.ID, a)
	}
	return vocab.MarshalAnnounce(a)
}
