package web

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/gorilla/csrf"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

type pendingView struct {
	Org        *model.Actor
	FollowerID int64
	Handle     string
}

type adminView struct {
	CSRF    template.HTML
	Orgs    []*model.Actor
	Pending []pendingView
	Blocks  []*store.Block
	Message string
	Error   string
}

// admin lists pending follow requests of the admin's organisations and
// offers following others by handle.
func (w *writing) admin(rw http.ResponseWriter, r *http.Request) {
	w.showAdmin(rw, r, http.StatusOK, r.URL.Query().Get("done"), "")
}

func (w *writing) showAdmin(rw http.ResponseWriter, r *http.Request, status int, msg, errMsg string) {
	a := account(r)
	v := adminView{CSRF: csrf.TemplateField(r), Orgs: a.Orgs, Message: msg, Error: errMsg}
	for _, org := range a.Orgs {
		pending, err := w.Follows.Pending(r.Context(), org)
		if err != nil {
			w.serverError(rw, r, err)
			return
		}
		for _, f := range pending {
			v.Pending = append(v.Pending, pendingView{Org: org, FollowerID: f.FollowerID, Handle: f.Follower.Handle("")})
		}
	}
	if w.Blocks != nil {
		list, err := w.Blocks.List(r.Context())
		if err != nil {
			w.serverError(rw, r, err)
			return
		}
		v.Blocks = list
	}
	w.render(rw, r, status, "admin", page{Title: "Admin", Data: v})
}

// decideFollower approves or rejects one follow request.
func (w *writing) decideFollower(rw http.ResponseWriter, r *http.Request) {
	org := account(r).Org(r.PostFormValue("org"))
	if org == nil {
		w.forbidden(rw, r, "You do not manage that organisation.")
		return
	}
	id, _ := strconv.ParseInt(r.PostFormValue("follower"), 10, 64)
	follower, err := w.Store.ActorByID(r.Context(), id)
	if err != nil {
		w.showAdmin(rw, r, http.StatusUnprocessableEntity, "", "That follow request no longer exists.")
		return
	}
	if r.PostFormValue("decision") == "approve" {
		err = w.Follows.Approve(r.Context(), org, follower)
	} else {
		err = w.Follows.Reject(r.Context(), org, follower)
	}
	if err != nil {
		w.adminRefused(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/admin?done="+r.PostFormValue("decision")+"d", http.StatusSeeOther)
}

// changeFollowing follows or unfollows an account elsewhere by handle.
func (w *writing) changeFollowing(rw http.ResponseWriter, r *http.Request) {
	org := account(r).Org(r.PostFormValue("org"))
	if org == nil {
		w.forbidden(rw, r, "You do not manage that organisation.")
		return
	}
	target, err := w.Resolve(r.Context(), r.PostFormValue("handle"))
	if err != nil {
		w.adminRefused(rw, r, err)
		return
	}
	if r.PostFormValue("action") == "unfollow" {
		err = w.Follows.Unfollow(r.Context(), org, target)
	} else {
		_, err = w.Follows.Follow(r.Context(), org, target)
	}
	if err != nil {
		w.adminRefused(rw, r, err)
		return
	}
	http.Redirect(rw, r, "/admin?done="+r.PostFormValue("action")+"ed", http.StatusSeeOther)
}

func (w *writing) adminRefused(rw http.ResponseWriter, r *http.Request, err error) {
	switch model.ErrorCode(err) {
	case model.EInvalid, model.EConflict, model.ENotFound:
		w.showAdmin(rw, r, http.StatusUnprocessableEntity, "", model.ErrorMessage(err))
	default:
		w.serverError(rw, r, err)
	}
}
