package instance_test

import (
	"net/url"
	"regexp"
	"testing"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// peerUsername is the name pattern GoToSocial accepts for a remote account.
var peerUsername = regexp.MustCompile(`^[A-Za-z0-9._-]+$`)

// GoToSocial, and Mastodon in secure mode, verify a signed GET by looking
// the signer up as preferredUsername@host and requiring the self link to be
// the actor's id. Every actor of ours that signs must pass that round trip,
// the instance actor included, or our fetches of their users fail with 500.
func TestEverySignerIsFoundByWebFinger(t *testing.T) {
	inst := instancetest.Start(t, storetest.Dialects[0])
	inst.AddOrg(t, orgs.NewOrg{Username: "leeds.th", Name: "Leeds Teaching Hospitals"})
	for _, id := range []string{inst.URL + "/actor", inst.URL + "/users/leeds.th"} {
		doc := fetchAS(t, id)
		name := str(t, doc, "preferredUsername")
		if !peerUsername.MatchString(name) {
			t.Errorf("%s: preferredUsername %q is not a plain username", id, name)
		}
		q := url.Values{"resource": {"acct:" + name + "@" + inst.Domain}}
		f := fetch(t, inst.URL+"/.well-known/webfinger?"+q.Encode(), "application/jrd+json")
		if f.status != 200 {
			t.Fatalf("WebFinger of %s@%s answered %d: %s", name, inst.Domain, f.status, f.body)
		}
		jrd := f.doc
		if got := selfLink(t, jrd); got != id {
			t.Errorf("WebFinger of %s@%s: self = %q, want the actor id %q", name, inst.Domain, got, id)
		}
		if jrd["subject"] != "acct:"+name+"@"+inst.Domain {
			t.Errorf("subject = %v", jrd["subject"])
		}
		// The reverse form, by id, answers with the same subject.
		f = fetch(t, inst.URL+"/.well-known/webfinger?"+url.Values{"resource": {id}}.Encode(), "application/jrd+json")
		if f.status != 200 || f.doc["subject"] != "acct:"+name+"@"+inst.Domain {
			t.Errorf("WebFinger by id %s: %d %s", id, f.status, f.body)
		}
	}
}
