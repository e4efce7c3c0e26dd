package federation

import (
	"mime"
	"net/http"
	"strings"

	"github.com/gorilla/mux"
)

// Media types of ActivityStreams documents. Mastodon discards fetched
// documents served with any other type.
const (
	ContentTypeActivity = "application/activity+json"
	ContentTypeLD       = `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`
)

// wantsActivityJSON is the content negotiation between a server fetching an
// actor or object and a person's browser opening the same URL: ActivityStreams
// JSON when the Accept header names an ActivityStreams type, HTML otherwise.
func wantsActivityJSON(r *http.Request, _ *mux.RouteMatch) bool { return WantsActivityJSON(r) }

// WantsActivityJSON reports whether the request asks for ActivityStreams.
func WantsActivityJSON(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mt {
		case "application/activity+json", "application/ld+json":
			return true
		}
	}
	return false
}

// writeActivity sends an ActivityStreams document. Vary tells caches that the
// same URL gives HTML to browsers.
func writeActivity(w http.ResponseWriter, r *http.Request, body []byte) {
	writeActivityStatus(w, r, http.StatusOK, body)
}

// writeActivityStatus is writeActivity with another status, e.g. 410 for
// the Tombstone of a deleted post.
func writeActivityStatus(w http.ResponseWriter, r *http.Request, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", ContentTypeActivity)
	h.Set("Vary", "Accept")
	h.Set("Cache-Control", "max-age=60")
	w.WriteHeader(status)
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(body)
}
