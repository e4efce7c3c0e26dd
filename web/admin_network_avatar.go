package web

import (
	"net/http"
	"net/url"

	"github.com/commonplace-social/commonplace/internal/media"
)

// noPictureStore is what a page says when the server keeps no pictures.
const noPictureStore = "This server has nowhere to keep pictures; ask whoever runs it to set a data directory or S3 storage."

// saveNetworkAvatar makes the uploaded picture the network's avatar (its
// logo), processed and stored as an organisation's is; the network's page
// and its actor then show it, and its followers' servers are sent the
// updated profile.
func (w *writing) saveNetworkAvatar(rw http.ResponseWriter, r *http.Request) {
	n, ok := w.adminNetwork(rw, r)
	if !ok {
		return
	}
	if w.Media == nil {
		w.showNetworkAdmin(rw, r, http.StatusUnprocessableEntity, "", noPictureStore)
		return
	}
	updated, problem, err := w.saveProfileImage(r, n, "avatar", media.KindAvatar, "The logo")
	switch {
	case err != nil:
		w.serverError(rw, r, err)
		return
	case problem == "" && updated == nil:
		problem = "Choose a picture for the logo."
	}
	if problem != "" {
		w.showNetworkAdmin(rw, r, http.StatusUnprocessableEntity, "", problem)
		return
	}
	w.Log.Info("network avatar changed", "network", n.Username, "account", account(r).ID)
	http.Redirect(rw, r, "/admin/networks/"+url.PathEscape(n.Username)+"?done=avatar", http.StatusSeeOther)
}
