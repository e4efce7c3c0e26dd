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
// 410 once it is deleted, so servers that fetch it learn it is gone. A
// signed fetch makes the signer a reader of the post (see readers.go).
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
	// Only the first page of replies is embedded; it links to the next.
	replies, err := s.Store.Comments(r.Context(), p.ID, nil, repliesPageSize)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	images, err := s.Store.PostMedia(r.Context(), p.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p.Media = images[p.ID]
	doc := PostDocument(s.Layout, p, replies.Comments)
	doc.Replies.Next = repliesNext(doc.Replies.ID, replies)
	body, err := vocab.MarshalPost(doc)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	writeActivity(w, r, body)
	s.noteReader(r, p)
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
