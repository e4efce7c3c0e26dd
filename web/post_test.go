package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
)

// A reply from a Mastodon-shaped account shows under the post with the
// commenter's name, handle and server; script in it arrives as nothing
// runnable; likes and boosts are counted on the page.
func TestPostPageShowsCommentsAndCounts(t *testing.T) {
	n := startNetwork(t)
	postIRI := n.inst.URL + "/users/hscleeds/posts/" + n.ev.Token
	alice := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "alice"})
	public := []any{"https://www.w3.org/ns/activitystreams#Public"}
	replyID := alice.ActorID + "/statuses/1"
	acts := []map[string]any{
		{"@context": "https://www.w3.org/ns/activitystreams", "id": replyID + "/activity", "type": "Create", "actor": alice.ActorID,
			"to": public, "cc": []any{n.inst.URL + "/users/hscleeds"},
			"object": map[string]any{"id": replyID, "type": "Note", "attributedTo": alice.ActorID, "inReplyTo": postIRI,
				"published": time.Now().UTC().Format(time.RFC3339),
				"content":   `<p>See you there! <script>alert(1)</script></p>`}},
		{"@context": "https://www.w3.org/ns/activitystreams", "id": alice.ActorID + "#likes/1", "type": "Like", "actor": alice.ActorID, "object": postIRI},
		{"@context": "https://www.w3.org/ns/activitystreams", "id": alice.ActorID + "/statuses/2/activity", "type": "Announce",
			"actor": alice.ActorID, "object": postIRI, "to": public},
	}
	for _, act := range acts {
		if status, msg := alice.Send(t, n.inst.URL+"/inbox", act); status != http.StatusAccepted {
			t.Fatalf("%v: %d %s", act["type"], status, msg)
		}
	}
	var body string
	instancetest.Eventually(t, 15*time.Second, "the reply on the post page", func() bool {
		body = get(t, postIRI).body
		return strings.Contains(body, "See you there!") && strings.Contains(body, "1 like · 1 boost · 1 comment")
	})
	host := strings.TrimPrefix(alice.Server.URL, "http://")
	for _, want := range []string{"<title>Next Tweet Meet — " + n.org.Name + "</title>", alice.Handle(), " on " + host, `href="` + alice.Server.URL,
		"6:30pm", "Tech North", "To reply, search for this address"} {
		if !strings.Contains(body, want) {
			t.Errorf("post page lacks %q", want)
		}
	}
	if strings.Contains(strings.ToLower(body), "<script") {
		t.Error("the post page carries a <script")
	}
	// The timeline counts the comment and the boost too.
	page(t, n.inst.URL+"/", 200, n.org.Name, "1 like · 1 boost · 1 comment")
}
