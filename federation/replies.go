package federation

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/commonplace-social/commonplace/federation/vocab"
	"github.com/commonplace-social/commonplace/internal/store"
)

var errBadRepliesCursor = errors.New("the after parameter must look like <unix seconds>.<id>")

// replies serves a post's replies collection, oldest first, in keyset pages
// of repliesPageSize (?page=true&after=<published unix>.<id>). The first
// page is the one the post embeds, so both carry the same next link. The
// total is the post's counter, not a count of the thread.
func (s *Server) replies(w http.ResponseWriter, r *http.Request) {
	p, ok := s.localPost(w, r)
	if !ok {
		return
	}
	id := s.Layout.Replies(p.Author.Username, p.Token)
	q := r.URL.Query()
	if q.Get("page") == "" {
		s.writeCollection(w, r, id, p.ReplyCount)
		return
	}
	var after *store.Cursor
	if v := q.Get("after"); v != "" {
		var err error
		if after, err = postCursor(v); err != nil {
			http.Error(w, errBadRepliesCursor.Error(), http.StatusBadRequest)
			return
		}
	}
	page, err := s.Store.Comments(r.Context(), p.ID, after, repliesPageSize)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	items := make([]vocab.Item, 0, len(page.Comments))
	for _, c := range page.Comments {
		items = append(items, vocab.Item{IRI: c.IRI})
	}
	s.writePage(w, r, vocab.OrderedCollectionPage{ID: repliesPageURL(id, after), PartOf: id,
		TotalItems: p.ReplyCount, Items: items, Next: repliesNext(id, page)})
}

// repliesNext is the link to the page after this one, "" on the last.
func repliesNext(collection string, page store.CommentPage) string {
	if page.Newer == nil {
		return ""
	}
	return repliesPageURL(collection, page.Newer)
}

// repliesPageURL is the id of the replies page that starts after a cursor,
// or of the first page for nil.
func repliesPageURL(collection string, after *store.Cursor) string {
	v := url.Values{"page": {"true"}}
	if after != nil {
		v.Set("after", formatPostCursor(after))
	}
	return collection + "?" + v.Encode()
}
