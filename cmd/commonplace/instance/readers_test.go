package instance_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/posts"
	"github.com/commonplace-social/commonplace/internal/store"
)

// A server that fetches a post with a valid signature becomes one of its
// readers and gets the author's Update and Delete, though it follows no
// one here; one that is also a follower gets each once. A fetch with a
// forged signature or none is served the post all the same, but makes no
// reader and earns no delivery, nor does a signer whose inbox is on
// another server.
func TestSignedFetchMakesAReader(t *testing.T) {
	a := instancetest.Start(t, store.Postgres)
	org := a.AddOrg(t, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's Hospice"})
	p, err := a.Posts.Publish(bg, org, posts.Draft{Kind: model.KindUpdate, Body: "Open day on Saturday."})
	if err != nil {
		t.Fatal(err)
	}
	postURL := a.URL + "/users/stgemmas/posts/" + p.Token

	follower := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "follower"})
	if status, msg := follower.Send(t, a.URL+"/inbox", follower.Follow(a.URL+"/users/stgemmas")); status != http.StatusAccepted {
		t.Fatalf("follow: %d %s", status, msg)
	}
	instancetest.Eventually(t, wait, "the follow accepted", func() bool { return counts(t, a, org).Followers == 1 })

	reader := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "reader", PathKey: true})
	forger := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "forger"})
	stranger := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "stranger"})
	// A signer whose actor names the stranger's inbox as its own: we must
	// not be made to send there.
	pointer := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "pointer"})
	pointer.TamperActor(func(doc map[string]any) { doc["inbox"] = stranger.Inbox })
	forge := func(req *http.Request) { // the signer's key id, a signature its key did not make
		sig := req.Header.Get("Signature")
		i := strings.Index(sig, `signature="`) + len(`signature="`)
		req.Header.Set("Signature", sig[:i]+"AAAA"+sig[i+4:])
	}
	unsigned := func(req *http.Request) { req.Header.Del("Signature") }
	for _, get := range []struct {
		r      *instancetest.Remote
		tamper func(*http.Request)
	}{
		{reader, forge}, // a forgery naming the reader's key must not keep its own fetch from counting
		{reader, nil}, {reader, nil}, {follower, nil}, {forger, forge}, {stranger, unsigned}, {pointer, nil},
	} {
		if status, body := get.r.Fetch(t, postURL, get.tamper); status != http.StatusOK || !strings.Contains(string(body), "Open day") {
			t.Fatalf("%s's GET: %d %s", get.r.Username, status, body)
		}
	}
	if err := a.Federation.WaitReaders(bg); err != nil {
		t.Fatal(err)
	}
	got, err := a.Store.PostReaderInboxes(bg, a.Store.DB, p.ID)
	want := []string{follower.Inbox, reader.Inbox}
	slices.Sort(want)
	if err != nil || !slices.Equal(got, want) {
		t.Fatalf("readers = %v, %v; want %v", got, err, want)
	}

	if _, err := a.Posts.Edit(bg, p, posts.Draft{Kind: model.KindUpdate, Body: "Open day moved to Sunday."}); err != nil {
		t.Fatal(err)
	}
	if err := a.Posts.Delete(bg, p); err != nil {
		t.Fatal(err)
	}
	for _, r := range []*instancetest.Remote{reader, follower} {
		instancetest.Eventually(t, wait, "the Update and Delete at "+r.Username, func() bool {
			return instancetest.Received(r, "Update") && instancetest.Received(r, "Delete")
		})
	}
	if n := deliveriesOf(follower, "Update"); n != 1 {
		t.Errorf("the follower, also a reader, got %d Updates; want 1", n)
	}
	for _, r := range []*instancetest.Remote{forger, stranger, pointer} {
		if d := r.Received(); len(d) != 0 {
			t.Errorf("%s, not a reader, was sent %v", r.Username, d)
		}
	}
	if got, err := a.Store.PostReaderInboxes(bg, a.Store.DB, p.ID); err != nil || len(got) != 0 {
		t.Errorf("readers after the delete = %v, %v", got, err)
	}
}

func deliveriesOf(r *instancetest.Remote, typ string) int {
	n := 0
	for _, d := range r.Received() {
		if d.Activity["type"] == typ {
			n++
		}
	}
	return n
}
