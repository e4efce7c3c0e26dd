package federation

import (
	"net/http"

	"github.com/commonplace-social/commonplace/federation/vocab"
	"github.com/commonplace-social/commonplace/internal/model"
)

// networkOutbox serves a network's outbox: its live Announces of members'
// posts, newest first, in keyset pages (?page=true&before=N), so a server
// that reads the outbox of a newly followed group finds what it re-shared.
func (s *Server) networkOutbox(w http.ResponseWriter, r *http.Request, network *model.Actor) {
	id := s.Layout.Outbox(network.Username)
	total, err := s.Store.CountNetworkAnnounces(r.Context(), network.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	q := r.URL.Query()
	if q.Get("page") == "" {
		s.writeCollection(w, r, id, total)
		return
	}
	before, err := cursor(q.Get("before"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
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
	next := ""
	if nextBefore != 0 {
		next = pageURL(id, nextBefore)
	}
	s.writePage(w, r, vocab.OrderedCollectionPage{ID: pageURL(id, before), PartOf: id, TotalItems: total, Items: items, Next: next})
}
