package federation

import (
	"net/http"

	"github.com/gorilla/mux"

	"github.com/commonplace-social/commonplace/federation/vocab"
)

// quoteAuthorization serves an approval stamp at its id. Servers showing a
// quote of one of our posts fetch it to check that the quote was approved
// (FEP-044f); it is public because the post it approves quoting of is.
// A stamp whose post was deleted is gone with it.
func (s *Server) quoteAuthorization(w http.ResponseWriter, r *http.Request) {
	vars := mux.Vars(r)
	q, err := s.Posts.QuoteAuthorization(r.Context(), vars["username"], vars["token"])
	if err != nil {
		s.notFoundOr500(w, r, err)
		return
	}
	author := q.Post.Author
	body, err := vocab.MarshalQuoteAuthorization(vocab.QuoteAuthorization{
		ID:                s.Layout.QuoteAuthorization(author.Username, q.Token),
		AttributedTo:      s.Layout.IDOf(author),
		InteractingObject: q.QuotingIRI,
		InteractionTarget: s.Layout.Post(author.Username, q.Post.Token),
	})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	writeActivity(w, r, body)
}
