package federation

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gorilla/mux"

	"github.com/commonplace-social/commonplace/federation/vocab"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// pageSize is how many items a collection page holds; Mastodon and
// GoToSocial use 40 too.
const pageSize = 40

// followers serves the accounts that follow an organisation.
func (s *Server) followers(w http.ResponseWriter, r *http.Request) {
	s.followCollection(w, r, s.Layout.Followers, s.Store.Followers, func(f *model.Follow) *model.Actor { return f.Follower })
}

// following serves the accounts an organisation follows.
func (s *Server) following(w http.ResponseWriter, r *http.Request) {
	s.followCollection(w, r, s.Layout.Following, s.Store.Following, func(f *model.Follow) *model.Actor { return f.Followee })
}

type followLister func(ctx context.Context, actorID, before int64, limit int) (store.FollowPage, error)

var errBadCursor = errors.New("the before parameter must be a positive whole number")

// followCollection serves one side of the follow graph as a paged
// OrderedCollection: the collection itself with its count, and pages of
// actor ids newest first with a keyset cursor (?page=true&before=N).
func (s *Server) followCollection(w http.ResponseWriter, r *http.Request, collectionIRI func(string) string,
	list followLister, other func(*model.Follow) *model.Actor) {
	org, err := s.Orgs.Served(r.Context(), mux.Vars(r)["username"])
	if err != nil {
		s.notFoundOr500(w, r, err)
		return
	}
	id := collectionIRI(org.Username)
	total, before, ok := collectionRequest(s, w, r, id, func(ctx context.Context) (int, error) {
		counts, err := s.Store.CountFollows(ctx, org.ID)
		if id == s.Layout.Following(org.Username) {
			return counts.Following, err
		}
		return counts.Followers, err
	}, cursor)
	if !ok {
		return
	}
	page, err := list(r.Context(), org.ID, before, pageSize)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	items := make([]vocab.Item, 0, len(page.Follows))
	for _, f := range page.Follows {
		items = append(items, vocab.Item{IRI: s.actorIRI(other(f))})
	}
	s.writeNumberedPage(w, r, id, total, before, page.NextBefore, items)
}

// outbox serves an organisation's posts as Create activities, newest first,
// in keyset pages (?page=true&before=<published unix>.<id>).
func (s *Server) outbox(w http.ResponseWriter, r *http.Request) {
	org, err := s.Orgs.Served(r.Context(), mux.Vars(r)["username"])
	if err != nil {
		s.notFoundOr500(w, r, err)
		return
	}
	if org.Type == model.ActorGroup {
		s.networkOutbox(w, r, org)
		return
	}
	id := s.Layout.Outbox(org.Username)
	total, after, ok := collectionRequest(s, w, r, id, func(ctx context.Context) (int, error) {
		return s.Store.CountOutboxPosts(ctx, org.ID)
	}, postCursor)
	if !ok {
		return
	}
	page, err := s.Store.OutboxPosts(r.Context(), org.ID, after, pageSize)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	ids := make([]int64, len(page.Posts))
	for i, p := range page.Posts {
		ids[i] = p.ID
	}
	images, err := s.Store.PostMedia(r.Context(), ids...)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	items := make([]vocab.Item, 0, len(page.Posts))
	for _, p := range page.Posts {
		p.Author, p.Media = org, images[p.ID]
		raw, err := vocab.MarshalCreate(s.Layout.Post(org.Username, p.Token)+"#create", s.Layout.IDOf(org), PostDocument(s.Layout, p, nil))
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		items = append(items, vocab.Item{Raw: raw})
	}
	next := ""
	if page.Next != nil {
		next = id + "?" + url.Values{"page": {"true"}, "before": {formatPostCursor(page.Next)}}.Encode()
	}
	self := id + "?page=true"
	if after != nil {
		self = id + "?" + url.Values{"page": {"true"}, "before": {formatPostCursor(after)}}.Encode()
	}
	s.writePage(w, r, vocab.OrderedCollectionPage{ID: self, PartOf: id, TotalItems: total, Items: items, Next: next})
}

// collectionRequest is how every paged collection starts: count its items,
// serve the collection itself when no page is asked for, and otherwise read
// the page's cursor with parse. ok is false when a response has been written.
func collectionRequest[C any](s *Server, w http.ResponseWriter, r *http.Request, id string,
	count func(context.Context) (int, error), parse func(string) (C, error)) (total int, before C, ok bool) {
	total, err := count(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return 0, before, false
	}
	q := r.URL.Query()
	if q.Get("page") == "" {
		s.writeCollection(w, r, id, total)
		return 0, before, false
	}
	before, err = parse(q.Get("before"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return 0, before, false
	}
	return total, before, true
}

// writeNumberedPage writes a page of a collection whose cursor is one
// number (0: the first page; nextBefore 0: no page after this one).
func (s *Server) writeNumberedPage(w http.ResponseWriter, r *http.Request, id string, total int, before, nextBefore int64, items []vocab.Item) {
	next := ""
	if nextBefore != 0 {
		next = pageURL(id, nextBefore)
	}
	s.writePage(w, r, vocab.OrderedCollectionPage{ID: pageURL(id, before), PartOf: id, TotalItems: total, Items: items, Next: next})
}

func (s *Server) writeCollection(w http.ResponseWriter, r *http.Request, id string, total int) {
	body, err := vocab.MarshalOrderedCollection(id, total, pageURL(id, 0))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	writeActivity(w, r, body)
}

func (s *Server) writePage(w http.ResponseWriter, r *http.Request, p vocab.OrderedCollectionPage) {
	body, err := vocab.MarshalOrderedCollectionPage(p)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	writeActivity(w, r, body)
}

// actorIRI is the id of any actor, local or remote.
func (s *Server) actorIRI(a *model.Actor) string {
	if a.Local {
		return s.Layout.Actor(a.Username)
	}
	return a.IRI
}

// pageURL is the canonical URL of a collection page; a page's id is exactly
// the URL it is served at, so the cursor is the only parameter besides page.
func pageURL(collection string, before int64) string {
	v := url.Values{"page": {"true"}}
	if before > 0 {
		v.Set("before", strconv.FormatInt(before, 10))
	}
	return collection + "?" + v.Encode()
}

func cursor(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 {
		return 0, errBadCursor
	}
	return n, nil
}

// featured serves the organisation's pinned posts: none, since nothing is
// pinned, but peers that fetch it before following get a real collection.
func (s *Server) featured(w http.ResponseWriter, r *http.Request) {
	id := s.Layout.InstanceActor() + "/featured"
	if username, ok := mux.Vars(r)["username"]; ok {
		org, err := s.Orgs.Served(r.Context(), username)
		if err != nil {
			s.notFoundOr500(w, r, err)
			return
		}
		id = s.Layout.Featured(org.Username)
	}
	body, err := vocab.MarshalEmptyOrderedCollection(id)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	writeActivity(w, r, body)
}
