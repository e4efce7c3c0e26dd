package federation

import (
	"net/http"
)

// serverError logs an unexpected failure and answers 500 without detail:
// internals are for the operator's log, not for remote servers.
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	// The client's address is all we know of the remote host at this point.
	s.Log.Error("federation request failed", "method", r.Method, "path", r.URL.Path, "host", r.RemoteAddr, "err", err)
	http.Error(w, "internal server error", http.StatusInternalServerError)
}
