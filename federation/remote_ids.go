package federation

import (
	"net/http"
	"strings"

	"github.com/commonplace-social/commonplace/federation/vocab"
	"github.com/commonplace-social/commonplace/internal/iri"
	"github.com/commonplace-social/commonplace/internal/remoteurl"
)

// secure reports whether this instance runs in production: only a
// local-testing instance has an http:// base (see instance.buildCore).
func (s *Server) secure() bool { return secureLayout(s.Layout) }

// secure is Server.secure for what the Fetcher fetches and stores.
func (f *Fetcher) secure() bool { return secureLayout(f.Layout) }

func secureLayout(l iri.Layout) bool { return strings.HasPrefix(l.Base, "https://") }

// sameID reports whether two ids name the same thing: equal once canonical
// (remoteurl.Canonical), so a link spelt EXAMPLE.org. still matches the
// example.org id its document carries. Unacceptable ids match nothing.
func sameID(a, b string) bool {
	ca, err := remoteurl.Canonical(a)
	if err != nil {
		return false
	}
	cb, err := remoteurl.Canonical(b)
	return err == nil && ca == cb
}

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
