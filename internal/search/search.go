// Package search finds the posts and comments this instance holds by their
// words (PostgreSQL full-text search, SQLite FTS5; see internal/store
// search.go), and, for admins, looks up accounts and posts elsewhere by
// handle or URL through a Remote that cmd wires to federation.
package search

import (
	"context"
	"html"
	"slices"
	"strings"
	"time"

	"github.com/commonplace-social/commonplace/internal/content"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// PageSize is how many results a page shows; MaxPage follows from the
// number of matches the store ranks.
const (
	PageSize = 20
	MaxPage  = store.SearchCandidates / PageSize
)

// Kinds are the kinds of post a search can be narrowed to.
var Kinds = append(slices.Clone(model.PublishedKinds), model.KindComment)

// Request is a search as the reader asked for it.
type Request struct {
	Text     string
	Kind     string // one of Kinds, or ""
	OrgID    int64  // an organisation's actor id, or 0
	Tag      string // as typed, with or without #
	From, To string // dates, YYYY-MM-DD, either may be ""
	Page     int    // from 1
}

// Hit is one result: the post (with author and tags) and an HTML snippet
// of its text with the matched words in <mark>.
type Hit struct {
	Post        *model.Post
	SnippetHTML string
}

// Results is one page of results.
type Results struct {
	Hits []Hit
	Page int
	More bool // a next page follows
	// Understood is the query as read, "" when it held nothing to look for.
	Understood string
}

// Service runs searches.
type Service struct {
	Store *store.Store
	// Remote looks accounts and posts up elsewhere; nil turns Lookup off.
	Remote Remote
}

// dateLayout is the form's date format.
const dateLayout = "2006-01-02"

// Search runs one page of a search. A query with nothing to look for gives
// no results rather than every post.
func (s *Service) Search(ctx context.Context, r Request) (Results, error) {
	q := parseQuery(r.Text)
	res := Results{Page: max(r.Page, 1), Understood: q.String()}
	if r.Kind != "" && !slices.Contains(Kinds, r.Kind) {
		return res, model.Errorf(model.EInvalid, "there is no kind of post called %q", r.Kind)
	}
	if res.Page > MaxPage {
		return res, model.Errorf(model.EInvalid, "results go up to page %d; narrow the search to see older ones", MaxPage)
	}
	from, err := parseDate(r.From, "from")
	if err != nil {
		return res, err
	}
	to, err := parseDate(r.To, "to")
	if err != nil {
		return res, err
	}
	if !to.IsZero() {
		to = to.AddDate(0, 0, 1) // up to the end of that day
	}
	if q.empty() {
		return res, nil
	}
	hits, more, err := s.Store.Search(ctx, store.SearchQuery{
		Websearch: q.websearch(), FTS: q.fts5(),
		Kind: r.Kind, AuthorID: r.OrgID, Tag: content.NormaliseTag(r.Tag), From: from, To: to,
		Offset: (res.Page - 1) * PageSize, Limit: PageSize,
	})
	if err != nil {
		return res, err
	}
	res.More = more && res.Page < MaxPage
	for _, h := range hits {
		snippet := snippetHTML(h.Snippet)
		if snippet == "" { // a post that is all summary, such as a short event
			snippet = html.EscapeString(h.Post.Summary)
		}
		res.Hits = append(res.Hits, Hit{Post: h.Post, SnippetHTML: snippet})
	}
	return res, nil
}

// Orgs lists the organisations a search can be narrowed to.
func (s *Service) Orgs(ctx context.Context) ([]*model.Actor, error) {
	return s.Store.SearchableOrgs(ctx)
}

func parseDate(s, which string) (time.Time, error) {
	if s = strings.TrimSpace(s); s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return time.Time{}, model.Errorf(model.EInvalid, "the %q date %q is not a date like 2013-08-02", which, s)
	}
	return t, nil
}
