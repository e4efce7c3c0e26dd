package instance_test

import (
	"testing"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// GoToSocial and Mastodon fetch an account's featured (pinned) collection
// before following it; GoToSocial logs an error for an actor without one.
// Ours names it and serves it, empty.
func TestActorHasAnEmptyFeaturedCollection(t *testing.T) {
	inst := instancetest.Start(t, storetest.Dialects[0])
	inst.AddOrg(t, orgs.NewOrg{Username: "volition", Name: "Volition"})
	actor := fetchAS(t, inst.URL+"/users/volition")
	featured := str(t, actor, "featured")
	if featured != inst.URL+"/users/volition/featured" {
		t.Fatalf("featured = %q", featured)
	}
	doc := fetchAS(t, featured)
	checkContext(t, doc)
	items, isList := doc["orderedItems"].([]any)
	if doc["type"] != "OrderedCollection" || doc["totalItems"] != float64(0) || !isList || len(items) != 0 {
		t.Errorf("featured collection = %v", doc)
	}
	// The instance actor, which GoToSocial dereferences to check our
	// signed fetches, has one too.
	if got := str(t, fetchAS(t, inst.URL+"/actor"), "featured"); got != inst.URL+"/actor/featured" {
		t.Errorf("instance actor's featured = %q", got)
	}
	fetchAS(t, inst.URL+"/actor/featured")
	if f := fetch(t, inst.URL+"/users/nobody/featured", asAccept); f.status != 404 {
		t.Errorf("featured of an unknown name: %d", f.status)
	}
}
