package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	template "github.com/DataDog/datadog-agent/pkg/template/html"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/search"
)

// searchKindLabels name the kinds a search can be narrowed to, in the
// order the form offers them.
var searchKindLabels = map[string]string{
	model.KindMeetupNote: "Meetup notes", model.KindGuidance: "Guidance", model.KindEvent: "Events",
	model.KindUpdate: "Updates", model.KindComment: "Comments",
}

type searchOption struct {
	Value, Label string
	Selected     bool
}

// searchResult is one result as the page shows it.
type searchResult struct {
	Kind, Title, Link string
	OrgName, OrgURL   string
	Date, DateTime    string
	Snippet           template.HTML
}

// searchLookup is what an admin's search found elsewhere.
type searchLookup struct {
	Error string
	// Actor found: the follow form, for the organisations the admin manages.
	Actor    *model.Actor
	Handle   string
	Profile  string
	FollowAs []*model.Actor
	CSRF     template.HTML
	// Post found: where to read it, and whether it is now kept here.
	Post       *searchResult
	PostStored bool
}

type searchView struct {
	Text, Tag, From, To string
	Kinds, Orgs         []searchOption
	Searched            bool   // there were words to look for
	Status              string // the result count, announced
	Error               string
	Results             []searchResult
	Start               int // the first result's number
	Prev, Next          string
	Lookup              *searchLookup
}

// searchPage is /search: a plain GET form and its results, paged.
func (s *Server) searchPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	req := search.Request{Text: strings.TrimSpace(q.Get("q")), Kind: q.Get("kind"), Tag: q.Get("tag"), From: q.Get("from"), To: q.Get("to")}
	req.OrgID, _ = strconv.ParseInt(q.Get("org"), 10, 64)
	req.Page, _ = strconv.Atoi(q.Get("page"))
	svc := &search.Service{Store: s.Store, Remote: s.SearchRemote}
	v := searchView{Text: req.Text, Tag: req.Tag, From: req.From, To: req.To}
	v.Kinds = append(v.Kinds, searchOption{Value: "", Label: "Any kind", Selected: req.Kind == ""})
	for _, k := range search.Kinds {
		v.Kinds = append(v.Kinds, searchOption{Value: k, Label: searchKindLabels[k], Selected: req.Kind == k})
	}
	orgs, err := svc.Orgs(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v.Orgs = append(v.Orgs, searchOption{Value: "", Label: "Any organisation", Selected: req.OrgID == 0})
	for _, o := range orgs {
		name := o.Name
		if name == "" {
			name = o.Username
		}
		id := strconv.FormatInt(o.ID, 10)
		v.Orgs = append(v.Orgs, searchOption{Value: id, Label: name + " (" + o.Handle(s.Layout.Host()) + ")", Selected: id == q.Get("org")})
	}
	status := http.StatusOK
	title := "Search"
	if req.Text != "" {
		title = "Search: " + req.Text
		res, err := svc.Search(r.Context(), req)
		var me *model.Error
		switch {
		case errors.As(err, &me):
			status, v.Error = http.StatusBadRequest, me.Message
		case err != nil:
			s.serverError(w, r, err)
			return
		default:
			v.Searched = res.Understood != ""
			if err := s.fillResults(r, &v, req, res); err != nil {
				s.serverError(w, r, err)
				return
			}
		}
		v.Lookup = s.lookupElsewhere(w, r, svc, req.Text)
	}
	s.render(w, r, status, "search", page{Title: title, Data: v})
}

// fillResults turns a page of hits into the page's list, its announced
// count and its Previous and Next links.
func (s *Server) fillResults(r *http.Request, v *searchView, req search.Request, res search.Results) error {
	v.Start = (res.Page-1)*search.PageSize + 1
	for _, h := range res.Hits {
		item, err := s.searchResultOf(r, h.Post)
		if err != nil {
			return err
		}
		item.Snippet = template.HTML(h.SnippetHTML) // escaped by search.snippetHTML, only <mark> added
		v.Results = append(v.Results, item)
	}
	switch n := len(v.Results); {
	case !v.Searched:
		v.Status = "There were no words to look for. Try a word or a phrase in quotes."
	case n == 0 && res.Page == 1:
		v.Status = "No results for “" + req.Text + "”."
	case n == 0:
		v.Status = fmt.Sprintf("No more results for “%s”: page %d is past the last.", req.Text, res.Page)
	default:
		v.Status = fmt.Sprintf("%s for “%s”, %d to %d", count(n, "result"), req.Text, v.Start, v.Start+n-1)
		if res.More {
			v.Status += "; more on the next page."
		} else {
			v.Status += "."
		}
	}
	link := func(p int) string {
		u := *r.URL
		qs := u.Query()
		qs.Set("page", strconv.Itoa(p))
		if p == 1 {
			qs.Del("page")
		}
		return "/search?" + qs.Encode()
	}
	if res.Page > 1 {
		v.Prev = link(res.Page - 1)
	}
	if res.More {
		v.Next = link(res.Page + 1)
	}
	return nil
}

// searchResultOf describes one found post: comments, which have no page of
// their own, lead to themselves on the page of the post they answer.
func (s *Server) searchResultOf(r *http.Request, p *model.Post) (searchResult, error) {
	item := s.itemOf(p)
	res := searchResult{Kind: kindNames[p.Kind], Title: p.Title, Link: item.Link, OrgName: item.OrgName, OrgURL: item.OrgURL,
		Date: p.Published.Format("2 January 2006"), DateTime: p.Published.UTC().Format("2006-01-02T15:04:05Z")}
	if p.Kind == model.KindComment && p.ThreadRootID != 0 {
		root, err := s.Store.PostByID(r.Context(), p.ThreadRootID)
		if err != nil {
			return res, err
		}
		link, err := s.commentLink(r, root, p)
		if err != nil {
			return res, err
		}
		res.Link, res.Kind = link, "Comment"
		res.Title = "Comment by " + res.OrgName + " on “" + titleOf(root) + "”"
		if res.OrgURL == "" {
			res.OrgURL = s.postLink(root)
		}
	}
	if res.Title == "" {
		res.Title = kindNames[p.Kind] + " from " + res.OrgName
	}
	return res, nil
}

// titleOf is a post's title, or what kind of post it is and whose.
func titleOf(p *model.Post) string {
	if p.Title != "" {
		return p.Title
	}
	by := ""
	if p.Author != nil {
		by = " from " + p.Author.Name
	}
	return kindNames[p.Kind] + by
}

// lookupElsewhere is an admin's search for a handle or URL: the account or
// post it names, fetched from its server. Nobody else's search, and no
// search started from another site, makes this server fetch anything.
func (s *Server) lookupElsewhere(w http.ResponseWriter, r *http.Request, svc *search.Service, text string) *searchLookup {
	if !search.IsRemoteRef(text) || svc.Remote == nil {
		return nil
	}
	a := s.viewer(r)
	if a == nil || !a.IsAdmin() {
		return nil
	}
	if site := r.Header.Get("Sec-Fetch-Site"); site == "cross-site" || site == "same-site" {
		return &searchLookup{Error: "Search again from this page to look this up elsewhere."}
	}
	found, err := svc.Lookup(r.Context(), true, text)
	if err != nil {
		s.Log.Info("search: lookup elsewhere failed", "err", err)
		msg := "Nothing could be found at that address."
		var me *model.Error
		if errors.As(err, &me) {
			msg = me.Message
		}
		return &searchLookup{Error: msg}
	}
	l := &searchLookup{}
	if found.Post != nil {
		item, err := s.searchResultOf(r, found.Post)
		if err != nil {
			return &searchLookup{Error: "The post was found but could not be shown."}
		}
		item.Snippet = template.HTML(template.HTMLEscapeString(found.Post.Summary))
		l.Post, l.PostStored = &item, found.Post.ID != 0
	}
	if act := found.Actor; act != nil {
		l.Actor, l.Handle, l.Profile = act, act.Handle(s.Layout.Host()), s.orgLink(act)
		l.FollowAs = a.AdminOrgs()
		l.CSRF = s.csrfToken(w, r)
	}
	return l
}
