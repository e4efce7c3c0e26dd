package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gorilla/mux"

	"github.com/commonplace-social/commonplace/internal/media"
	"github.com/commonplace-social/commonplace/internal/store"
)

// RegisterRemoteMedia serves remote pictures at /media/remote/ID from our
// cache: the page's img points here, never at the other server, and this
// sends the browser on to our copy at /media/KEY, fetching and re-encoding
// it first when it is not cached yet or was pruned.
func RegisterRemoteMedia(r *mux.Router, cache *media.RemoteCache) {
	if cache == nil {
		return
	}
	r.Handle("/media/remote/{id:[0-9]+}", remoteMedia{cache}).Methods("GET", "HEAD")
}

type remoteMedia struct{ cache *media.RemoteCache }

func (h remoteMedia) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(mux.Vars(r)["id"], 10, 64)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	m, err := h.cache.Show(r.Context(), id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		http.NotFound(w, r)
		return
	case err != nil:
		// The picture cannot be had (refused, or its server is down); the
		// page shows the alt text in its place.
		w.Header().Set("Cache-Control", "no-store")
		http.Error(w, "This picture from another server cannot be shown.", http.StatusNotFound)
		return
	}
	// The copy's name may change when it is fetched again, so the
	// redirect itself is cached only briefly.
	w.Header().Set("Cache-Control", "public, max-age=300")
	http.Redirect(w, r, media.Path(m.FileKey), http.StatusFound)
}
