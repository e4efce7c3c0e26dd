package instance_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
)

// quoteRequest is a QuoteRequest shaped as Mastodon 4.5 sends it: the id
// under the requester's /quote_requests/, the quote post embedded as the
// instrument and naming the quoted post in quote and the older properties.
func quoteRequest(r *instancetest.Remote, quoted, statusID string) map[string]any {
	return map[string]any{
		"@context": []any{"https://www.w3.org/ns/activitystreams", map[string]any{
			"QuoteRequest": "https://w3id.org/fep/044f#QuoteRequest",
			"quote":        map[string]any{"@id": "https://w3id.org/fep/044f#quote", "@type": "@id"},
		}},
		"id": r.NewID("quote_requests"), "type": "QuoteRequest", "actor": r.ActorID, "object": quoted,
		"instrument": map[string]any{
			"id": r.ActorID + "/statuses/" + statusID, "type": "Note", "attributedTo": r.ActorID,
			"to":      []any{"https://www.w3.org/ns/activitystreams#Public"},
			"cc":      []any{r.ActorID + "/followers"},
			"content": `<p>Worth a read.</p><p class="quote-inline">RE: <a href="` + quoted + `">` + quoted + `</a></p>`,
			"quote":   quoted, "_misskey_quote": quoted, "quoteUri": quoted,
		},
	}
}

// answerTo waits for the Accept or Reject of one QuoteRequest.
func answerTo(t *testing.T, r *instancetest.Remote, requestID string) map[string]any {
	t.Helper()
	var answer map[string]any
	instancetest.Eventually(t, wait, "the answer to "+requestID, func() bool {
		for _, d := range r.Received() {
			if obj, _ := d.Activity["object"].(map[string]any); obj["id"] == requestID && obj["type"] == "QuoteRequest" {
				answer = d.Activity
				return true
			}
		}
		return false
	})
	return answer
}

// A Mastodon user quotes a guidance page: the post says the public may
// quote it, the QuoteRequest is answered with a signed Accept whose result
// is a stamp that dereferences, a repeat gets the same stamp, and once the
// post is deleted its stamp is gone and a new request is rejected.
func TestQuoteRequestIsAcceptedWithStamp(t *testing.T) {
	for _, d := range []store.Dialect{store.SQLite, store.Postgres} {
		t.Run(string(d), func(t *testing.T) { testQuoteRequest(t, d) })
	}
}

func testQuoteRequest(t *testing.T, d store.Dialect) {
	a := instancetest.Start(t, d)
	org := a.AddOrg(t, orgs.NewOrg{Username: "hscleeds", Name: "The Sociable Organisation"})
	p, err := a.Posts.Publish(bg, org, demoDrafts(t)[model.KindGuidance])
	if err != nil {
		t.Fatal(err)
	}
	orgID, postURL := a.URL+"/users/hscleeds", a.URL+"/users/hscleeds/posts/"+p.Token
	policy, _ := fetchAS(t, postURL)["interactionPolicy"].(map[string]any)
	canQuote, _ := policy["canQuote"].(map[string]any)
	if got, _ := canQuote["automaticApproval"].([]any); len(got) != 1 || got[0] != "https://www.w3.org/ns/activitystreams#Public" {
		t.Errorf("the post's interactionPolicy = %v, want the public allowed to quote", policy)
	}

	bob := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "bob"})
	req := quoteRequest(bob, postURL, "1")
	if status, msg := bob.Send(t, a.URL+"/users/hscleeds/inbox", req); status != http.StatusAccepted {
		t.Fatalf("QuoteRequest: %d %s", status, msg)
	}
	accept := answerTo(t, bob, req["id"].(string))
	obj := accept["object"].(map[string]any)
	if accept["type"] != "Accept" || accept["actor"] != orgID || obj["actor"] != bob.ActorID ||
		obj["object"] != postURL || obj["instrument"] != bob.ActorID+"/statuses/1" {
		t.Fatalf("answer = %v", accept)
	}
	if to, _ := accept["to"].([]any); len(to) != 1 || to[0] != bob.ActorID {
		t.Errorf("Accept to = %v", accept["to"])
	}
	stampURL, _ := accept["result"].(string)
	if !strings.HasPrefix(stampURL, orgID+"/") {
		t.Fatalf("result = %v, want a stamp on the quoted post's server", accept["result"])
	}
	stamp := fetchAS(t, stampURL) // checks the media type and that the id is the URL
	for key, want := range map[string]any{"type": "QuoteAuthorization", "attributedTo": orgID,
		"interactingObject": bob.ActorID + "/statuses/1", "interactionTarget": postURL} {
		if stamp[key] != want {
			t.Errorf("stamp %s = %v, want %v", key, stamp[key], want)
		}
	}

	again := quoteRequest(bob, postURL, "1")
	if status, msg := bob.Send(t, a.URL+"/inbox", again); status != http.StatusAccepted {
		t.Fatalf("repeated QuoteRequest: %d %s", status, msg)
	}
	if got := answerTo(t, bob, again["id"].(string))["result"]; got != stampURL {
		t.Errorf("a repeated request got stamp %v, want the first one %s", got, stampURL)
	}

	if err := a.Posts.Delete(bg, p); err != nil {
		t.Fatal(err)
	}
	if f := fetch(t, stampURL, asAccept); f.status != http.StatusNotFound {
		t.Errorf("stamp of a deleted post: status %d", f.status)
	}
	late := quoteRequest(bob, postURL, "2")
	if status, msg := bob.Send(t, a.URL+"/inbox", late); status != http.StatusAccepted {
		t.Fatalf("QuoteRequest for a deleted post: %d %s", status, msg)
	}
	if reject := answerTo(t, bob, late["id"].(string)); reject["type"] != "Reject" || reject["result"] != nil {
		t.Errorf("answer for a deleted post = %v, want a Reject without a stamp", reject)
	}
}

// A request to approve someone else's post as a quote gets no stamp: the
// instrument must be the sender's own.
func TestQuoteRequestForAnotherAccountsPostIsDropped(t *testing.T) {
	a := instancetest.Start(t, store.SQLite)
	org := a.AddOrg(t, orgs.NewOrg{Username: "hscleeds", Name: "The Sociable Organisation"})
	p, err := a.Posts.Publish(bg, org, demoDrafts(t)[model.KindUpdate])
	if err != nil {
		t.Fatal(err)
	}
	postURL := a.URL + "/users/hscleeds/posts/" + p.Token
	bob := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "bob"})
	carol := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "carol"})
	req := quoteRequest(bob, postURL, "1")
	req["instrument"].(map[string]any)["id"] = carol.ActorID + "/statuses/1"
	req["instrument"].(map[string]any)["attributedTo"] = carol.ActorID
	if status, msg := bob.Send(t, a.URL+"/inbox", req); status != http.StatusAccepted {
		t.Fatalf("QuoteRequest: %d %s", status, msg)
	}
	var row *model.InboxActivity
	instancetest.Eventually(t, wait, "the request to be processed", func() bool {
		row, err = a.Store.InboxActivityByIRI(bg, req["id"].(string))
		return err == nil && !row.ProcessedAt.IsZero()
	})
	if !strings.HasPrefix(row.Outcome, "dropped:") {
		t.Errorf("outcome = %q, want dropped", row.Outcome)
	}
	if n := len(bob.Received()); n != 0 {
		t.Errorf("bob received %d answers", n)
	}
}
