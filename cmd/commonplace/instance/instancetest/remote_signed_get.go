package instancetest

import (
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"time"

	"github.com/commonplace-social/commonplace/federation/httpsign"
)

// What the real GoToSocial demands of a peer, learned by running it, and so
// demanded by the stand-in too:
//   - every GET of an actor, key or collection is signed (401 otherwise);
//   - the signer is checked by dereferencing it and then looking it up by
//     WebFinger as preferredUsername@host: the name must be a plain username
//     and the self link must be the signer's id (500 otherwise, as
//     GoToSocial answers);
//   - an inbox POST must be ActivityStreams JSON (406 otherwise).

// peerUsername is the pattern GoToSocial accepts for a remote username.
var peerUsername = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

// signedGET checks a GET as GoToSocial would and answers the refusal itself;
// it reports whether the request may be served. Checked signers are kept,
// as a real server caches the accounts it has resolved.
func (r *Remote) signedGET(w http.ResponseWriter, req *http.Request) bool {
	sig, err := httpsign.ParseRequest(req, nil, time.Now())
	if err != nil {
		http.Error(w, "a signed GET is required: "+err.Error(), http.StatusUnauthorized)
		return false
	}
	r.mu.Lock()
	known := r.signers[sig.KeyID()]
	r.mu.Unlock()
	if !known {
		if status, err := checkSigner(req.Context(), sig.KeyID()); err != nil {
			http.Error(w, "signer "+sig.KeyID()+": "+err.Error(), status)
			return false
		}
	}
	pub, err := fetchKey(req.Context(), sig.KeyID())
	if err == nil {
		err = sig.Verify(pub)
	}
	if err != nil {
		http.Error(w, "signature: "+err.Error(), http.StatusUnauthorized)
		return false
	}
	r.mu.Lock()
	if r.signers == nil {
		r.signers = make(map[string]bool)
	}
	r.signers[sig.KeyID()] = true
	r.mu.Unlock()
	return true
}

// checkSigner dereferences the key's owner and finds it again by WebFinger.
func checkSigner(ctx context.Context, keyID string) (int, error) {
	var key struct {
		ID        string `json:"id"`
		Owner     string `json:"owner"`
		PublicKey struct {
			Owner string `json:"owner"`
		} `json:"publicKey"`
	}
	if err := getJSON(ctx, keyID, "application/activity+json", &key); err != nil {
		return http.StatusUnauthorized, err
	}
	owner := key.PublicKey.Owner
	if owner == "" {
		owner = key.Owner
	}
	var actor struct {
		ID                string `json:"id"`
		PreferredUsername string `json:"preferredUsername"`
	}
	if err := getJSON(ctx, owner, "application/activity+json", &actor); err != nil || actor.ID != owner {
		return http.StatusUnauthorized, fmt.Errorf("owner %s not dereferenced: %v", owner, err)
	}
	if !peerUsername.MatchString(actor.PreferredUsername) {
		return http.StatusInternalServerError, fmt.Errorf("preferredUsername %q is not a username", actor.PreferredUsername)
	}
	u, err := url.Parse(actor.ID)
	if err != nil {
		return http.StatusUnauthorized, err
	}
	var jrd struct {
		Links []struct{ Rel, Type, Href string }
	}
	wf := u.Scheme + "://" + u.Host + "/.well-known/webfinger?" +
		url.Values{"resource": {"acct:" + actor.PreferredUsername + "@" + u.Host}}.Encode()
	if err := getJSON(ctx, wf, "application/jrd+json", &jrd); err != nil {
		return http.StatusInternalServerError, fmt.Errorf("webfinger of %s@%s: %w", actor.PreferredUsername, u.Host, err)
	}
	for _, l := range jrd.Links {
		if l.Rel == "self" && l.Href == actor.ID {
			return http.StatusOK, nil
		}
	}
	return http.StatusInternalServerError, fmt.Errorf("webfinger of %s@%s does not name %s", actor.PreferredUsername, u.Host, actor.ID)
}

func getJSON(ctx context.Context, u, accept string, into any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", accept)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %d", u, resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(into)
}

// activityJSON reports whether an inbox POST's Content-Type is one
// GoToSocial takes.
func activityJSON(contentType string) bool {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	return mt == "application/activity+json" ||
		(mt == "application/ld+json" && params["profile"] == "https://www.w3.org/ns/activitystreams")
}
