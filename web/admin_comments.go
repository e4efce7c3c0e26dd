package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

type doneView struct {
	adminBase
	Heading  string
	Text     string
	BackURL  string
	BackText string
}

// removeComment hides a comment under one of the admin's organisations'
// posts: it becomes a tombstone here and the post's comment count drops.
// Nothing is sent: the comment belongs to its author's server. The Remove
// button under each comment sends its id; the address (its link on the
// commenter's server) is still accepted from scripts.
func (w *writing) removeComment(rw http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	var (
		c   *model.Post
		err error
	)
	if id, perr := strconv.ParseInt(r.PostFormValue("id"), 10, 64); perr == nil {
		c, err = w.Store.PostByID(ctx, id)
	} else {
		c, err = w.Store.PostByIRI(ctx, strings.TrimSpace(r.PostFormValue("comment")))
	}
	if errors.Is(err, store.ErrNotFound) || (err == nil && (c.Kind != model.KindComment || c.ThreadRootID == 0 || c.Deleted())) {
		w.adminRefused(rw, r, model.Errorf(model.ENotFound, "there is no such comment here; it may have been removed already"))
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
	if !root.Local || !account(r).Manages(root.AuthorID) {
		w.forbidden(rw, r, "You can only remove comments under the posts of organisations you are an admin of.")
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
	who := "the commenter"
	if c.Author != nil {
		who = c.Author.Handle("")
	}
	back := "/"
	if root.Author != nil {
		back = w.Layout.Post(root.Author.Username, root.Token)
	}
	w.render(rw, r, http.StatusOK, "admin_done", page{Title: "Comment removed", Data: doneView{
		adminBase: w.adminBase(r, "", "", ""),
		Heading:   "Comment removed",
		Text: "The comment by " + who + " no longer shows under the post here, and the post's comment count went down by one. " +
			"Nothing was sent to " + who + "'s server: the comment still exists there.",
		BackURL: back + "#comments-heading", BackText: "Back to the post",
	}})
}
