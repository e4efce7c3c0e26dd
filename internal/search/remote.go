package search

import (
	"context"
	"regexp"
	"strings"

	"github.com/commonplace-social/commonplace/internal/model"
)

// Remote finds what a handle or URL names on another server: an account,
// or a post, which it stores here when this instance may keep it (see
// posts.Service.ReceiveCreate). cmd wires it to federation's fetcher, which
// refuses private addresses outside local-testing mode.
type Remote interface {
	Lookup(ctx context.Context, handleOrURL string) (Found, error)
}

// Found is what a lookup found: an account, or a post with its author. A
// post is stored only when its author is followed here or it answers one
// of our posts; Post.ID is then set.
type Found struct {
	Actor *model.Actor
	Post  *model.Post
}

// handle is @user@host or user@host, with a port if the server has one.
var handle = regexp.MustCompile(`^@?[A-Za-z0-9_.\-]+@[A-Za-z0-9.\-]+(:[0-9]{1,5})?$`)

// IsRemoteRef reports whether a search is a handle or an https URL, which
// an admin's search also looks up elsewhere.
func IsRemoteRef(text string) bool {
	t := strings.TrimSpace(text)
	return handle.MatchString(t) || strings.HasPrefix(t, "https://") || strings.HasPrefix(t, "http://")
}

// Lookup asks the Remote about a handle or URL. Only admins may cause this
// server to fetch from elsewhere; the caller checks, and says who asks.
func (s *Service) Lookup(ctx context.Context, isAdmin bool, text string) (Found, error) {
	if !isAdmin {
		return Found{}, model.Errorf(model.EInvalid, "only admins can look up accounts and posts elsewhere")
	}
	if s.Remote == nil || !IsRemoteRef(text) {
		return Found{}, model.Errorf(model.EInvalid, "%q is neither a handle like @org@social.example nor a URL", text)
	}
	return s.Remote.Lookup(ctx, strings.TrimSpace(text))
}
