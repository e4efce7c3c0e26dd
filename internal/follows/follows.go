// Package follows holds the use cases of the follow graph in both
// directions: remote accounts following this instance's organisations (with
// approval when an organisation asks for it), and our organisations
// following accounts elsewhere.
package follows

import (
	"github.com/commonplace-social/commonplace/internal/iri"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// Service runs the follow use cases.
type Service struct {
	Store  *store.Store
	Layout iri.Layout
	Send   model.Sender
}

// ref describes a follow as the Follow activity that created it.
func (s *Service) ref(f *model.Follow, follower, followee *model.Actor) *model.FollowRef {
	return &model.FollowRef{ID: f.ActivityIRI, Actor: s.Layout.IDOf(follower), Object: s.Layout.IDOf(followee)}
}
