package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/commonplace-social/commonplace/internal/accounts"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

type staffRow struct {
	AccountID     int64
	Email         string
	Role          string
	Invited       bool   // has not set a password yet
	InviteExpires string // when Invited
	You           bool
	OtherRole     string // the role the change button gives
}

type validityOption struct {
	Days     int
	Label    string
	Selected bool
}

// linkShown is a new invitation or reset link, shown once: only its hash
// is stored.
type linkShown struct {
	URL, Email, What, Expires string
}

type staffView struct {
	adminBase
	Org        *model.Actor
	OrgLinks   []navLink
	Members    []staffRow
	Validities []validityOption
	Link       *linkShown
	Back       string
}

// staff lists the people who write for an organisation, with their roles,
// and the forms to add, change and remove them.
func (w *writing) staff(rw http.ResponseWriter, r *http.Request) {
	w.showStaff(rw, r, http.StatusOK, doneText(r.URL.Query().Get("done")), "")
}

func (w *writing) showStaff(rw http.ResponseWriter, r *http.Request, status int, msg, errMsg string) {
	w.renderStaff(rw, r, status, msg, errMsg, nil)
}

func (w *writing) renderStaff(rw http.ResponseWriter, r *http.Request, status int, msg, errMsg string, link *accounts.Link) {
	org := managedOrgOf(r)
	if org == nil {
		w.forbidden(rw, r, "You are not an admin of that organisation.")
		return
	}
	members, err := w.Store.Staff(r.Context(), org.ID)
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	v := staffView{adminBase: w.adminBase(r, "/admin/staff", msg, errMsg), Org: org,
		Back: "/admin/staff?" + url.Values{"org": {org.Username}}.Encode()}
	if orgs := account(r).AdminOrgs(); len(orgs) > 1 {
		for _, o := range orgs {
			v.OrgLinks = append(v.OrgLinks, navLink{Href: "/admin/staff?org=" + url.QueryEscape(o.Username), Label: o.Name, Current: o.ID == org.ID})
		}
	}
	for _, m := range members {
		row := staffRow{AccountID: m.AccountID, Email: m.Email, Role: m.Role, Invited: m.Invited, You: m.AccountID == account(r).ID, OtherRole: store.RoleAdmin}
		if m.Role == store.RoleAdmin {
			row.OtherRole = store.RoleAuthor
		}
		if m.Invited {
			row.InviteExpires = m.InviteExpires.UTC().Format("2 January 2006, 15:04 UTC")
		}
		v.Members = append(v.Members, row)
	}
	for _, d := range accounts.Validities {
		v.Validities = append(v.Validities, validityOption{Days: d.Days(), Label: count(d.Days(), "day"), Selected: d == accounts.DefaultValidity})
	}
	if link != nil {
		what := "invitation"
		if link.Purpose == store.LinkReset {
			what = "password reset link"
		}
		v.Link = &linkShown{URL: w.Layout.Base + link.Path(), Email: link.Email, What: what,
			Expires: link.Expires.UTC().Format("2 January 2006, 15:04 UTC")}
	}
	w.render(rw, r, status, "admin_staff", page{Title: "Staff of " + org.Name, Data: v})
}

// changeStaff runs one staff action of the form's "action": invite, add
// (with a password), role, reset or remove.
func (w *writing) changeStaff(rw http.ResponseWriter, r *http.Request) {
	org := account(r).ManagedOrg(r.PostFormValue("org"))
	if org == nil {
		w.forbidden(rw, r, "You are not an admin of that organisation.")
		return
	}
	ctx := r.Context()
	target, _ := strconv.ParseInt(r.PostFormValue("account"), 10, 64)
	days, _ := strconv.Atoi(r.PostFormValue("days"))
	refused := func(err error) { w.refusedOn(rw, r, err, w.showStaff) }
	switch r.PostFormValue("action") {
	case "invite":
		ttl, err := accounts.ParseValidity(days)
		if err != nil {
			refused(err)
			return
		}
		added, err := w.accounts.Invite(ctx, org, r.PostFormValue("email"), r.PostFormValue("role"), ttl)
		if err != nil {
			refused(err)
			return
		}
		w.Log.Info("staff invited", "org", org.Username, "by", account(r).ID)
		w.renderStaff(rw, r, http.StatusOK, addedText(added, org), "", added.Link)
	case "add":
		added, err := w.accounts.AddWithPassword(ctx, org, r.PostFormValue("email"), r.PostFormValue("password"), r.PostFormValue("role"))
		if err != nil {
			refused(err)
			return
		}
		w.Log.Info("staff added", "org", org.Username, "by", account(r).ID)
		w.renderStaff(rw, r, http.StatusOK, addedText(added, org), "", nil)
	case "role":
		if err := w.accounts.SetRole(ctx, org, target, r.PostFormValue("role")); err != nil {
			refused(err)
			return
		}
		http.Redirect(rw, r, adminBack(r, "role"), http.StatusSeeOther)
	case "reset":
		ttl, err := accounts.ParseValidity(days)
		if err != nil {
			refused(err)
			return
		}
		link, err := w.accounts.Reset(ctx, account(r), org, target, ttl)
		if err != nil {
			refused(err)
			return
		}
		w.Log.Info("staff password reset", "org", org.Username, "account", target, "by", account(r).ID)
		w.renderStaff(rw, r, http.StatusOK, "The password and every login of "+link.Email+" stopped working. Send them the link below to set a new password.", "", link)
	case "remove":
		if _, err := w.accounts.Remove(ctx, account(r), org, target); err != nil {
			refused(err)
			return
		}
		w.Log.Info("staff removed", "org", org.Username, "account", target, "by", account(r).ID)
		http.Redirect(rw, r, adminBack(r, "staffremove"), http.StatusSeeOther)
	default:
		refused(model.Errorf(model.EInvalid, "say what to do: invite, add, role, reset or remove"))
	}
}

func addedText(a accounts.Added, org *model.Actor) string {
	switch {
	case a.Existing:
		return a.Email + " already had an account: they now write for " + org.Name + " too, and log in with their own password."
	case a.Link != nil:
		return "Invited " + a.Email + ". Send them the link below; it works once."
	default:
		return "Added " + a.Email + ". They can log in with the password you chose."
	}
}
