package federation

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/commonplace-social/commonplace/internal/model"
)

// Resolve finds a remote actor from what a person types: a handle
// (@user@host or user@host, with a port when the server has one) looked up
// with WebFinger, or an actor URL.
func (f *Fetcher) Resolve(ctx context.Context, handleOrURL string) (*model.Actor, error) {
	in := strings.TrimSpace(handleOrURL)
	if strings.HasPrefix(in, "https://") || strings.HasPrefix(in, "http://") {
		return f.fetchActor(ctx, in, "", true)
	}
	user, host, ok := strings.Cut(strings.TrimPrefix(in, "@"), "@")
	if !ok || user == "" || host == "" || strings.ContainsAny(host, "/?#@ ") {
		return nil, model.Errorf(model.EInvalid, "%q is neither a handle like @org@social.example nor an actor URL", handleOrURL)
	}
	acct := "acct:" + user + "@" + host
	wf := f.Layout.Base[:strings.Index(f.Layout.Base, "://")] + "://" + host + "/.well-known/webfinger?resource=" + url.QueryEscape(acct)
	s, err := f.Signer(ctx)
	if err != nil {
		return nil, err
	}
	resp, err := f.Transport.Get(ctx, wf, s, "application/jrd+json, application/json")
	if err != nil {
		return nil, fmt.Errorf("look up %s: %w", acct, err)
	}
	if resp.StatusCode == 404 {
		return nil, model.Errorf(model.ENotFound, "%s has no account %s", host, user)
	}
	if resp.StatusCode != 200 {
		return nil, fmt.Errorf("look up %s: WebFinger answered %d", acct, resp.StatusCode)
	}
	var doc jrd
	if err := json.Unmarshal(resp.Body, &doc); err != nil {
		return nil, fmt.Errorf("look up %s: WebFinger answer is not JSON: %w", acct, err)
	}
	for _, l := range doc.Links {
		if l.Rel == "self" && (l.Type == ContentTypeActivity || strings.HasPrefix(l.Type, "application/ld+json")) && l.Href != "" {
			return f.fetchActor(ctx, l.Href, "", true)
		}
	}
	return nil, fmt.Errorf("look up %s: WebFinger gave no ActivityPub actor", acct)
}
