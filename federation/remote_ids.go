package federation

import (
	"net/http"
	"strings"

	"github.com/commonplace-social/commonplace/federation/vocab"
	"github.com/commonplace-social/commonplace/internal/remoteurl"
)

// secure reports whether this instance runs in production: only a
// local-testing instance has an http:// base (see instance.buildCore).
func (s *Server) secure() bool { return strings.HasPrefix(s.Layout.Base, "https://") }

// refuseInsecureIDs turns away, in production, a delivery whose id, actor
// or key is http:// or on an IP address (remoteurl.CheckID). Everything
// else the activity names must share the actor's origin, so it inherits
// this check.
func (s *Server) refuseInsecureIDs(act *vocab.Activity, keyID string) error {
	for _, id := range []string{act.ID, act.Actor, keyID} {
		if err := remoteurl.CheckID(id, s.secure()); err != nil {
			return refuse(http.StatusBadRequest, err, "not an id we accept: %v", err)
		}
	}
	return nil
}
