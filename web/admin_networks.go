package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gorilla/mux"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/network"
)

// networkNotices are what the network admin page says after an action, by
// the ?done= the action put there; anything else shows nothing.
var networkNotices = map[string]string{
	"added":    "The organisation is a member now. Its public posts appear on the network's page and go to the network's followers.",
	"approved": "The request was approved: the organisation is a member now.",
	"rejected": "The request was rejected.",
	"removed":  "The organisation is no longer a member.",
	"avatar":   "The logo was saved. The network's page shows it, and its followers' servers are told.",
}

// memberRow is one member or request on the network admin page.
type memberRow struct {
	Name    string
	Ref     string // what the form sends back: a local username or a remote handle
	Handle  string
	Profile string
	Since   string
	// RemoveURL asks before removing a member; "" for requests.
	RemoveURL string
}

type networkAdminView struct {
	adminBase
	Network  *model.Actor
	PageURL  string // the network's public page
	Action   string // where the forms post
	Uploads  bool   // the server keeps pictures, so the logo can be changed
	Members  []memberRow
	Requests []memberRow
}

type networksAdminView struct {
	adminBase
	Networks []navLink
}

// requireNetworkAdmin lets only site admins through: a network speaks for
// every member organisation, so no one organisation's admin manages it.
func (w *writing) requireNetworkAdmin(h http.HandlerFunc) http.HandlerFunc {
	return w.requireLogin(func(rw http.ResponseWriter, r *http.Request) {
		if !account(r).IsSiteAdmin() || w.Networks == nil {
			w.forbidden(rw, r, "Only a site admin can manage networks: a network speaks for all its members.")
			return
		}
		h(rw, r)
	})
}

// networksAdmin lists the instance's networks, each linked to its page
// of members.
func (w *writing) networksAdmin(rw http.ResponseWriter, r *http.Request) {
	list, err := w.Networks.List(r.Context())
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	v := networksAdminView{adminBase: w.adminBase(r, "/admin/networks", "", "")}
	for _, n := range list {
		v.Networks = append(v.Networks, navLink{Href: "/admin/networks/" + url.PathEscape(n.Username), Label: n.Name})
	}
	w.render(rw, r, http.StatusOK, "admin_networks", page{Title: "Networks", Data: v})
}

// networkAdmin shows one network's members and waiting requests.
func (w *writing) networkAdmin(rw http.ResponseWriter, r *http.Request) {
	w.showNetworkAdmin(rw, r, http.StatusOK, networkNotices[r.URL.Query().Get("done")], "")
}

func (w *writing) showNetworkAdmin(rw http.ResponseWriter, r *http.Request, status int, msg, errMsg string) {
	n, members, ok := w.adminNetworkMembers(rw, r)
	if !ok {
		return
	}
	requests, err := w.Networks.Requests(r.Context(), n)
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	v := networkAdminView{adminBase: w.adminBase(r, "/admin/networks", msg, errMsg), Network: n,
		PageURL: "/@" + n.Username, Action: "/admin/networks/" + url.PathEscape(n.Username),
		Members: w.memberRows(members), Requests: w.memberRows(requests), Uploads: w.Media != nil}
	for i, m := range v.Members {
		v.Members[i].RemoveURL = removeMemberLink(n.Username, m.Ref)
	}
	w.render(rw, r, status, "admin_network", page{Title: "Members of " + n.Name, Data: v})
}

func (w *writing) memberRows(list []network.Member) []memberRow {
	rows := make([]memberRow, 0, len(list))
	for _, m := range list {
		a := m.Actor
		row := memberRow{Name: a.Name, Ref: a.Username, Handle: a.Handle(w.Layout.Host()), Profile: w.orgLink(a),
			Since: m.Since.Format("2 January 2006")}
		if !a.Local {
			row.Ref = row.Handle
		}
		if row.Name == "" {
			row.Name = a.Username
		}
		rows = append(rows, row)
	}
	return rows
}

// adminNetworkMembers loads the network named in the path and its
// members, for the admin pages that list or pick from them.
func (w *writing) adminNetworkMembers(rw http.ResponseWriter, r *http.Request) (*model.Actor, []network.Member, bool) {
	n, ok := w.adminNetwork(rw, r)
	if !ok {
		return nil, nil, false
	}
	members, err := w.Networks.Members(r.Context(), n)
	if err != nil {
		w.serverError(rw, r, err)
		return nil, nil, false
	}
	return n, members, true
}

// adminNetwork loads the network named in the path for its admin page.
func (w *writing) adminNetwork(rw http.ResponseWriter, r *http.Request) (*model.Actor, bool) {
	n, err := w.Networks.Get(r.Context(), mux.Vars(r)["username"])
	if model.ErrorCode(err) == model.ENotFound {
		w.notFound(rw, r)
		return nil, false
	}
	if err != nil {
		w.serverError(rw, r, err)
		return nil, false
	}
	return n, true
}

// changeNetworkMember adds, approves, rejects or removes one organisation,
// named by its local username or remote handle, then shows the page again
// with what was done, or with why it was refused.
func (w *writing) changeNetworkMember(rw http.ResponseWriter, r *http.Request) {
	n, ok := w.adminNetwork(rw, r)
	if !ok {
		return
	}
	ref := strings.TrimSpace(r.PostFormValue("member"))
	action := r.PostFormValue("action")
	var (
		org  *model.Actor
		err  error
		done string
	)
	switch {
	case ref == "":
		err = model.Errorf(model.EInvalid, "give the organisation's username here, or its handle elsewhere, such as @volition@leeds.example")
	case action == "add":
		org, err = w.Networks.AddMember(r.Context(), n, ref)
		done = "added"
	case action == "approve":
		org, err = w.Networks.Approve(r.Context(), n, ref)
		done = "approved"
	case action == "reject":
		org, err = w.Networks.Reject(r.Context(), n, ref)
		done = "rejected"
	case action == "remove":
		org, err = w.Networks.RemoveMember(r.Context(), n, ref)
		done = "removed"
	default:
		err = model.Errorf(model.EInvalid, "say whether to add, approve, reject or remove the organisation")
	}
	if err != nil {
		w.refusedOn(rw, r, err, w.showNetworkAdmin)
		return
	}
	w.Log.Info("network membership changed", "network", n.Username, "member", org.ID, "action", action, "account", account(r).ID)
	http.Redirect(rw, r, "/admin/networks/"+url.PathEscape(n.Username)+"?done="+done, http.StatusSeeOther)
}
