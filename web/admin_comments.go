package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// removeComment hides a comment under one of the admin's organisations'
// posts: it becomes a tombstone here and the post's comment count drops.
// Nothing is sent: the comment belongs to its author's server.
func (w *writing) removeComment(rw http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	c, err := w.Store.PostByIRI(ctx, strings.TrimSpace(r.PostFormValue("comment")))
	if errors.Is(err, store.ErrNotFound) || (err == nil && (c.Kind != model.KindComment || c.ThreadRootID == 0 || c.Deleted())) {
		w.showAdmin(rw, r, http.StatusUnprocessableEntity, "", "There is no comment at that address here.")
		return
	}
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	root, err := w.Store.PostByID(ctx, c.ThreadRootID)
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	if !root.Local || !account(r).Writes(root.AuthorID) {
		w.forbidden(rw, r, "You can only remove comments under your own organisations' posts.")
		return
	}
	err = w.Store.InTx(ctx, func(tx bun.Tx) error {
		_, err := w.Store.RemoveComment(ctx, tx, c)
		return err
	})
	if err != nil {
		w.serverError(rw, r, err)
		return
	}
	w.Log.Info("comment removed", "comment", c.IRI, "account", account(r).ID)
	http.Redirect(rw, r, "/admin?done=removed", http.StatusSeeOther)
}
