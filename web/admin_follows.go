package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// followsPerPage is how many follows one page of a list shows.
const followsPerPage = 50

// followLists are the lists of the follows page, in the order of its tabs.
var followLists = []struct{ Key, Label string }{
	{"requests", "Requests"}, {"followers", "Followers"}, {"following", "Following"}, {"sent", "Sent, not yet accepted"},
}

type followRow struct {
	ActorID int64
	Handle  string
	Profile string
	Since   string // date the follow was made
}

type followsView struct {
	adminBase
	Org      *model.Actor
	OrgLinks []navLink // one per managed organisation, when there are several
	Tabs     []navLink
	List     string
	Rows     []followRow
	Older    string // link to the next page, "" on the last
	Back     string // this page, for the forms' redirects
}

// follows lists one of an organisation's follow lists, paged.
func (w *writing) follows(rw http.ResponseWriter, r *http.Request) {
	w.showFollows(rw, r, http.StatusOK, doneText(r.URL.Query().Get("done")), "")
}

func (w *writing) showFollows(rw http.ResponseWriter, r *http.Request, status int, msg, errMsg string) {
	org := managedOrgOf(r)
	if org == nil {
		w.forbidden(rw, r, "You are not an admin of that organisation.")
		return
	}
	list := r.FormValue("list")
	if list == "" {
		list = "requests"
	}
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	var (
		p   store.FollowPage
		err error
	)
	switch list {
	case "requests":
		p, err = w.Store.PendingFollowersPage(r.Context(), org.ID, before, followsPerPage)
	case "followers":
		p, err = w.Store.Followers(r.Context(), org.ID, before, followsPerPage)
	case "following":
		p, err = w.Store.Following(r.Context(), org.ID, before, followsPerPage)
	case "sent":
		p, err = w.Store.PendingFollowingPage(r.Context(), org.ID, before, followsPerPage)
	default:
		w.badRequest(rw, r, "There is no such list of follows.")
		return
	}
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	here := func(l string) string {
		return "/admin/follows?" + url.Values{"org": {org.Username}, "list": {l}}.Encode()
	}
	v := followsView{adminBase: w.adminBase(r, "/admin/follows", msg, errMsg), Org: org, List: list, Back: here(list)}
	for _, o := range account(r).AdminOrgs() {
		if len(account(r).AdminOrgs()) > 1 {
			v.OrgLinks = append(v.OrgLinks, navLink{Href: "/admin/follows?org=" + url.QueryEscape(o.Username) + "&list=" + list, Label: o.Name, Current: o.ID == org.ID})
		}
	}
	for _, l := range followLists {
		v.Tabs = append(v.Tabs, navLink{Href: here(l.Key), Label: l.Label, Current: l.Key == list})
	}
	for _, f := range p.Follows {
		other := f.Follower
		if f.FollowerID == org.ID {
			other = f.Followee
		}
		profile := other.URL
		if profile == "" {
			profile = other.IRI
		}
		v.Rows = append(v.Rows, followRow{ActorID: other.ID, Handle: other.Handle(""), Profile: profile, Since: f.CreatedAt.Format("2 January 2006")})
	}
	if p.NextBefore != 0 {
		v.Older = here(list) + "&before=" + strconv.FormatInt(p.NextBefore, 10)
	}
	w.render(rw, r, status, "admin_follows", page{Title: "Follows of " + org.Name, Data: v})
}

// managedOrgOf is the organisation an admin page or action is about: the
// one named by ?org= or the form's org, if the account is its admin, or the
// account's first managed organisation when none is named.
func managedOrgOf(r *http.Request) *model.Actor {
	a := account(r)
	if name := r.FormValue("org"); name != "" {
		return a.ManagedOrg(name)
	}
	if orgs := a.AdminOrgs(); len(orgs) > 0 {
		return orgs[0]
	}
	return nil
}

// refusedOnFollows shows the follows page (or, for an action from the
// overview, the overview) with why an action was refused.
func (w *writing) refusedOnFollows(rw http.ResponseWriter, r *http.Request, err error) {
	if r.PostFormValue("list") != "" {
		w.refusedOn(rw, r, err, w.showFollows)
		return
	}
	w.adminRefused(rw, r, err)
}

// decideFollower approves or rejects one follow request, or removes an
// accepted follower (who is told with a Reject, as Mastodon expects).
func (w *writing) decideFollower(rw http.ResponseWriter, r *http.Request) {
	org := account(r).ManagedOrg(r.PostFormValue("org"))
	if org == nil {
		w.forbidden(rw, r, "You are not an admin of that organisation.")
		return
	}
	id, _ := strconv.ParseInt(r.PostFormValue("follower"), 10, 64)
	follower, err := w.Store.ActorByID(r.Context(), id)
	if err != nil {
		w.refusedOnFollows(rw, r, model.Errorf(model.ENotFound, "that follow request no longer exists"))
		return
	}
	decision := r.PostFormValue("decision")
	var done string
	switch decision {
	case "approve":
		err, done = w.Follows.Approve(r.Context(), org, follower), "approved"
	case "reject":
		err, done = w.Follows.Reject(r.Context(), org, follower), "rejected"
	case "remove":
		err, done = w.Follows.Reject(r.Context(), org, follower), "removed"
	default:
		err = model.Errorf(model.EInvalid, "say whether to approve, reject or remove")
	}
	if err != nil {
		w.refusedOnFollows(rw, r, err)
		return
	}
	http.Redirect(rw, r, adminBack(r, done), http.StatusSeeOther)
}

// changeFollowing follows or unfollows an account elsewhere: by its id when
// the button of a list row sent it, otherwise by the handle typed.
func (w *writing) changeFollowing(rw http.ResponseWriter, r *http.Request) {
	org := account(r).ManagedOrg(r.PostFormValue("org"))
	if org == nil {
		w.forbidden(rw, r, "You are not an admin of that organisation.")
		return
	}
	var (
		target *model.Actor
		err    error
	)
	if id, _ := strconv.ParseInt(r.PostFormValue("target"), 10, 64); id != 0 {
		if target, err = w.Store.ActorByID(r.Context(), id); err != nil {
			err = model.Errorf(model.ENotFound, "that account is no longer known here")
		}
	} else {
		target, err = w.Resolve(r.Context(), r.PostFormValue("handle"))
	}
	if err != nil {
		w.refusedOnFollows(rw, r, err)
		return
	}
	action := r.PostFormValue("action")
	if action == "unfollow" {
		err = w.Follows.Unfollow(r.Context(), org, target)
	} else {
		action = "follow"
		_, err = w.Follows.Follow(r.Context(), org, target)
	}
	if err != nil {
		w.refusedOnFollows(rw, r, err)
		return
	}
	http.Redirect(rw, r, adminBack(r, action+"ed"), http.StatusSeeOther)
}
