package federation

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
)

// jrd is a JSON Resource Descriptor (RFC 7033).
type jrd struct {
	Subject string    `json:"subject"`
	Aliases []string  `json:"aliases,omitempty"`
	Links   []jrdLink `json:"links"`
}

type jrdLink struct {
	Rel      string `json:"rel"`
	Type     string `json:"type,omitempty"`
	Href     string `json:"href,omitempty"`
	Template string `json:"template,omitempty"`
}

// webFinger answers acct:user@host lookups, which is how a Mastodon user's
// search for @user@host finds the actor. Mastodon later repeats the lookup
// from the actor's preferredUsername and host and requires the self link to
// equal the actor id exactly, so subject and href are always canonical.
func (s *Server) webFinger(w http.ResponseWriter, r *http.Request) {
	resource := r.URL.Query().Get("resource")
	if resource == "" {
		http.Error(w, "the resource parameter is required, e.g. ?resource=acct:user@"+s.Layout.Host(), http.StatusBadRequest)
		return
	}
	username, err := s.webFingerUsername(resource)
	if err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	var doc jrd
	if username == orgs.InstanceActorUsername {
		doc = s.instanceActorJRD()
	} else {
		org, err := s.Orgs.Served(r.Context(), username)
		if err != nil {
			if model.ErrorCode(err) == model.ENotFound {
				http.Error(w, "no account "+username+" on "+s.Layout.Host(), http.StatusNotFound)
				return
			}
			s.serverError(w, r, err)
			return
		}
		actor := s.Layout.Actor(org.Username)
		doc = jrd{
			Subject: "acct:" + org.Username + "@" + s.Layout.Host(),
			Aliases: []string{actor, s.Layout.Profile(org.Username)},
			Links: []jrdLink{
				{Rel: "self", Type: ContentTypeActivity, Href: actor},
				{Rel: "http://webfinger.net/rel/profile-page", Type: "text/html", Href: s.Layout.Profile(org.Username)},
			},
		}
	}
	w.Header().Set("Content-Type", "application/jrd+json; charset=utf-8")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Header().Set("Cache-Control", "max-age=300")
	if r.Method == http.MethodHead {
		return
	}
	_ = json.NewEncoder(w).Encode(doc)
}

// webFingerUsername reads the username from the forms of resource in use:
// acct:user@host (with the port when the domain has one), user@host, and the
// actor or profile URL.
func (s *Server) webFingerUsername(resource string) (string, error) {
	if strings.HasPrefix(resource, "http://") || strings.HasPrefix(resource, "https://") {
		if resource == s.Layout.InstanceActor() {
			return orgs.InstanceActorUsername, nil
		}
		if u, ok := s.Layout.LocalActorUsername(resource); ok {
			return u, nil
		}
		if u, ok := strings.CutPrefix(resource, s.Layout.Base+"/@"); ok && u != "" && !strings.ContainsAny(u, "/?#") {
			return u, nil
		}
		return "", errors.New("that URL is not an account on " + s.Layout.Host())
	}
	acct := strings.TrimPrefix(resource, "acct:")
	acct = strings.TrimPrefix(acct, "@")
	user, host, ok := strings.Cut(acct, "@")
	if !ok || user == "" {
		return "", errors.New("resource must look like acct:user@" + s.Layout.Host())
	}
	if !strings.EqualFold(host, s.Layout.Host()) {
		return "", errors.New("this server only answers for accounts @" + s.Layout.Host())
	}
	return strings.ToLower(user), nil
}

// instanceActorJRD describes the Application actor that signs our fetches.
// Peers that verify a signed GET look its signer up by WebFinger, so it must
// be found like any account, and its self link must be its id exactly.
func (s *Server) instanceActorJRD() jrd {
	id := s.Layout.InstanceActor()
	return jrd{
		Subject: "acct:" + orgs.InstanceActorUsername + "@" + s.Layout.Host(),
		Aliases: []string{id},
		Links: []jrdLink{
			{Rel: "self", Type: ContentTypeActivity, Href: id},
			{Rel: "http://webfinger.net/rel/profile-page", Type: "text/html", Href: s.Layout.Base + "/"},
		},
	}
}
