package instancetest

import (
	"net/http"
	"strings"
)

// Gone makes the actor document and its key answer status (404 or 410),
// as a server does once the account was deleted. The remote still signs
// with its old key, as Mastodon does for the account's Delete.
func (r *Remote) Gone(status int) {
	r.mu.Lock()
	r.gone = status
	r.mu.Unlock()
}

// goneFor answers a GET of the actor or anything under it with the Gone
// status, and reports whether it did.
func (r *Remote) goneFor(w http.ResponseWriter, req *http.Request) bool {
	r.mu.Lock()
	status := r.gone
	r.mu.Unlock()
	actorPath := "/users/" + r.Username
	if status == 0 || req.Method != http.MethodGet || (req.URL.Path != actorPath && !strings.HasPrefix(req.URL.Path, actorPath+"/")) {
		return false
	}
	http.Error(w, http.StatusText(status), status)
	return true
}
