package web

import (
	"html/template"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gorilla/csrf"

	"github.com/commonplace-social/commonplace/internal/model"
)

// adminShown is how many follow requests the overview lists before linking
// to the full, paged list.
const adminShown = 5

// adminBase is what every admin page shows around its own content: the
// sub-navigation, the outcome of the last action and the CSRF field.
type adminBase struct {
	CSRF    template.HTML
	Nav     []navLink
	Message string
	Error   string
}

type navLink struct {
	Href, Label string
	Current     bool
}

// orgSummary is one managed organisation on the overview.
type orgSummary struct {
	Org                  *model.Actor
	Followers            int
	Following            int
	Requests             []pendingView // the first adminShown
	MoreRequests         bool
	FollowsURL, StaffURL string
}

type pendingView struct {
	Org        *model.Actor
	FollowerID int64
	Handle     string
	Profile    string
}

type adminView struct {
	adminBase
	Orgs []orgSummary
	// SiteAdmin is shown what only a site admin manages.
	SiteAdmin bool
	// Networks link to the admin pages of the networks this instance
	// hosts, for site admins.
	Networks []navLink
}

// adminNav is the sub-navigation of the admin pages; current is the path
// of the page showing it. networks says whether this server hosts networks
// at all, so a site admin is offered their tab only when it leads somewhere.
func adminNav(r *http.Request, current string, networks bool) []navLink {
	links := []navLink{{Href: "/admin", Label: "Overview"}, {Href: "/admin/follows", Label: "Follows"}, {Href: "/admin/staff", Label: "Staff"}}
	if account(r).IsSiteAdmin() {
		links = append(links, navLink{Href: "/admin/blocks", Label: "Blocks"})
		if networks {
			links = append(links, navLink{Href: "/admin/networks", Label: "Networks"})
		}
		links = append(links, navLink{Href: "/admin/site", Label: "Site"})
	}
	for i := range links {
		links[i].Current = links[i].Href == current
	}
	return links
}

func (w *writing) adminBase(r *http.Request, current, msg, errMsg string) adminBase {
	return adminBase{CSRF: csrf.TemplateField(r), Nav: adminNav(r, current, w.Networks != nil), Message: msg, Error: sentence(errMsg)}
}

// sentence starts a use case's message (written to follow "error: ") with
// a capital letter and ends it with a full stop, for a page.
func sentence(msg string) string {
	if msg == "" {
		return ""
	}
	r, n := utf8.DecodeRuneInString(msg)
	msg = string(unicode.ToUpper(r)) + msg[n:]
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return msg
}

// admin is the overview: each managed organisation's counts and the follow
// requests waiting for an answer.
func (w *writing) admin(rw http.ResponseWriter, r *http.Request) {
	w.showAdmin(rw, r, http.StatusOK, doneText(r.URL.Query().Get("done")), "")
}

func (w *writing) showAdmin(rw http.ResponseWriter, r *http.Request, status int, msg, errMsg string) {
	a := account(r)
	v := adminView{adminBase: w.adminBase(r, "/admin", msg, errMsg), SiteAdmin: a.IsSiteAdmin()}
	for _, org := range a.AdminOrgs() {
		s := orgSummary{Org: org, FollowsURL: "/admin/follows?org=" + org.Username, StaffURL: "/admin/staff?org=" + org.Username}
		counts, err := w.Store.CountFollows(r.Context(), org.ID)
		if err != nil {
			w.serverError(rw, r, err)
			return
		}
		s.Followers, s.Following = counts.Followers, counts.Following
		pending, err := w.Store.PendingFollowersPage(r.Context(), org.ID, 0, adminShown)
		if err != nil {
			w.serverError(rw, r, err)
			return
		}
		for _, f := range pending.Follows {
			s.Requests = append(s.Requests, pendingOf(org, f))
		}
		s.MoreRequests = pending.NextBefore != 0
		v.Orgs = append(v.Orgs, s)
	}
	if v.SiteAdmin && w.Networks != nil {
		list, err := w.Networks.List(r.Context())
		if err != nil {
			w.serverError(rw, r, err)
			return
		}
		for _, n := range list {
			v.Networks = append(v.Networks, navLink{Href: "/admin/networks/" + n.Username, Label: n.Name})
		}
	}
	w.render(rw, r, status, "admin", page{Title: "Admin", Data: v})
}

func pendingOf(org *model.Actor, f *model.Follow) pendingView {
	profile := f.Follower.URL
	if profile == "" {
		profile = f.Follower.IRI
	}
	return pendingView{Org: org, FollowerID: f.FollowerID, Handle: f.Follower.Handle(""), Profile: profile}
}

// doneMessages are the notices the admin pages show after a redirect, by
// the ?done= the action put there; anything else shows nothing, so a link
// cannot put words on the page.
var doneMessages = map[string]string{
	"approved":    "The follow request was approved and the follower told.",
	"rejected":    "The follow request was rejected and the requester told.",
	"removed":     "The follower was removed and told.",
	"followed":    "The follow request was sent. It shows under Sent until the other side accepts it.",
	"unfollowed":  "Unfollowed. The other side was told.",
	"blocked":     "Blocked. Follows with it were removed.",
	"unblocked":   "Unblocked. Follows removed by the block were not restored.",
	"role":        "The role was changed.",
	"staffremove": "The person no longer writes for the organisation.",
	"added":       "The account was added. They can log in now.",
}

func doneText(key string) string { return doneMessages[key] }

// adminBack is where an action returns to: the admin page it came from,
// named in the form's "back" field, or the overview.
func adminBack(r *http.Request, done string) string {
	back := safeNext(r.PostFormValue("back"))
	if back != "/admin" && !strings.HasPrefix(back, "/admin/") && !strings.HasPrefix(back, "/admin?") {
		back = "/admin"
	}
	sep := "?"
	if strings.Contains(back, "?") {
		sep = "&"
	}
	return back + sep + "done=" + done
}

// adminShow renders one admin page with a notice or an error.
type adminShow func(rw http.ResponseWriter, r *http.Request, status int, msg, errMsg string)

// adminRefused shows the overview with the reason an action was refused.
func (w *writing) adminRefused(rw http.ResponseWriter, r *http.Request, err error) {
	w.refusedOn(rw, r, err, w.showAdmin)
}

// refusedOn shows the page an action came from with the reason it was
// refused, or the error page when the failure is not the person's to fix.
func (w *writing) refusedOn(rw http.ResponseWriter, r *http.Request, err error, show adminShow) {
	switch model.ErrorCode(err) {
	case model.EInvalid, model.EConflict, model.ENotFound:
		show(rw, r, http.StatusUnprocessableEntity, "", model.ErrorMessage(err))
	default:
		w.serverError(rw, r, err)
	}
}
