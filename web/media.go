package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/gorilla/mux"

	"github.com/commonplace-social/commonplace/internal/media"
)

func init() {
	// mediaPath turns a storage key into the path it is served at.
	funcs["mediaPath"] = media.Path
}

// registerMedia serves stored pictures at /media/KEY from our own origin,
// whichever storage holds them, so pages keep the CSP's img-src 'self'.
func (s *Server) registerMedia(r *mux.Router) {
	if s.MediaFiles == nil {
		return
	}
	r.Handle("/media/{key}", mediaFiles{files: s.MediaFiles, notFound: s.notFound}).Methods("GET", "HEAD")
}

type mediaFiles struct {
	files    media.Storage
	notFound http.HandlerFunc
}

// ServeHTTP answers with the file, its content type and a year's cache
// lifetime: a key is the hash of the bytes, so what it names never changes.
func (h mediaFiles) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	key := mux.Vars(r)["key"]
	if !media.ValidKey(key) {
		h.notFound(w, r)
		return
	}
	f, err := h.files.Open(r.Context(), key)
	if errors.Is(err, media.ErrNotExist) {
		h.notFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, "The picture cannot be read just now; try again shortly.", http.StatusServiceUnavailable)
		return
	}
	defer f.Close()
	hd := w.Header()
	hd.Set("Content-Type", media.ContentTypeOf(key))
	hd.Set("Cache-Control", media.CacheControl)
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("ETag", `"`+key[:len(key)-4]+`"`)
	// A zero time leaves out Last-Modified; the ETag serves revalidation.
	http.ServeContent(w, r, key, time.Time{}, f)
}
