package federation

import (
	"errors"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/commonplace-social/commonplace/federation/vocab"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// post serves one of our posts at its id: the object, or a Tombstone with
// 410 once it is deleted, so servers that fetch it learn it is gone.
func (s *Server) post(w http.ResponseWriter, r *http.Request) {
	p, ok := s.localPost(w, r)
	if !ok {
		return
	}
	if p.Deleted() {
		body, err := vocab.MarshalTombstone(s.Layout.Post(p.Author.Username, p.Token), p.APType, p.DeletedAt)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		writeActivityStatus(w, r, http.StatusGone, body)
		return
	}
	comments, err := s.Store.Comments(r.Context(), p.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	body, err := vocab.MarshalPost(PostDocument(s.Layout, p, comments))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	writeActivity(w, r, body)
}

// replies serves a post's replies collection and its single page.
func (s *Server) replies(w http.ResponseWriter, r *http.Request) {
	p, ok := s.localPost(w, r)
	if !ok {
		return
	}
	comments, err := s.Store.Comments(r.Context(), p.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	id := s.Layout.Replies(p.Author.Username, p.Token)
	items := make([]vocab.Item, 0, len(comments))
	for _, c := range comments {
		items = append(items, vocab.Item{IRI: c.IRI})
	}
	if r.URL.Query().Get("page") == "" {
		s.writeCollection(w, r, id, len(comments))
		return
	}
	s.writePage(w, r, vocab.OrderedCollectionPage{ID: id + "?page=true", PartOf: id, TotalItems: len(comments), Items: items})
}

func (s *Server) localPost(w http.ResponseWriter, r *http.Request) (*model.Post, bool) {
	vars := mux.Vars(r)
	p, err := s.Store.PostByToken(r.Context(), vars["token"])
	if errors.Is(err, store.ErrNotFound) || (err == nil && (!p.Local || p.Author.Username != vars["username"])) {
		http.Error(w, "no such post", http.StatusNotFound)
		return nil, false
	}
	if err != nil {
		s.serverError(w, r, err)
		return nil, false
	}
	return p, true
}
