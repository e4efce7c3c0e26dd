package federation

import (
	"context"
	"net/http"

	"github.com/commonplace-social/commonplace/federation/vocab"
	"github.com/commonplace-social/commonplace/internal/model"
)

// networkOutbox serves a network's outbox: its live Announces of members'
// posts, newest first, in keyset pages (?page=true&before=N), so a server
// that reads the outbox of a newly followed group finds what it re-shared.
func (s *Server) networkOutbox(w http.ResponseWriter, r *http.Request, network *model.Actor) {
	id := s.Layout.Outbox(network.Username)
	total, before, ok := collectionRequest(s, w, r, id, func(ctx context.Context) (int, error) {
		return s.Store.CountNetworkAnnounces(ctx, network.ID)
	}, cursor)
	if !ok {
		return
	}
	announces, nextBefore, err := s.Store.NetworkAnnouncesPage(r.Context(), network.ID, before, pageSize)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	items := make([]vocab.Item, 0, len(announces))
	for _, a := range announces {
		raw, err := vocab.MarshalAnnounce(vocab.Announce{ID: a.ActivityIRI, Actor: s.Layout.IDOf(network), Object: a.ObjectIRI,
			To: []string{vocab.PublicIRI}, Cc: []string{s.Layout.Followers(network.Username)}, Published: a.CreatedAt})
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		items = append(items, vocab.Item{Raw: raw})
	}
	s.writeNumberedPage(w, r, id, total, before, nextBefore, items)
}
