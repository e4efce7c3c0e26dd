package federation

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/commonplace-social/commonplace/federation/vocab"
	"github.com/commonplace-social/commonplace/internal/follows"
	"github.com/commonplace-social/commonplace/internal/iri"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/posts"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// queued records what would be delivered. Delivery over the network is
// tested with real servers in cmd/commonplace/instance; here the point is
// what applying each sample payload does to our data and what it answers.
type queued struct {
	mu   sync.Mutex
	sent []map[string]any
	to   [][]string
}

func (q *queued) EnqueueTx(_ context.Context, _ bun.Tx, _ *model.Actor, activity []byte, _ bool, inboxes []string) error {
	var m map[string]any
	if err := json.Unmarshal(activity, &m); err != nil {
		return err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.sent = append(q.sent, m)
	q.to = append(q.to, inboxes)
	return nil
}

type fixtureWorld struct {
	s      *Server
	q      *queued
	org    *model.Actor
	remote *model.Actor
}

// newFixtureWorld builds a server whose own domain is the one the sample
// payloads address (e.g. the probe at 127.0.0.11:7000 that GoToSocial talked
// to), with the sender already known, as it is once its key was verified.
func newFixtureWorld(t *testing.T, st *store.Store, base, orgName, actorFixture string) fixtureWorld {
	t.Helper()
	ctx := context.Background()
	layout := iri.New(base)
	o := &orgs.Service{Store: st}
	org, err := o.Create(ctx, orgs.NewOrg{Username: orgName, Name: orgName})
	if err != nil {
		t.Fatal(err)
	}
	raw := readFixture(t, actorFixture)
	ra, err := vocab.ParseActor(raw)
	if err != nil {
		t.Fatal(err)
	}
	remote := remoteActorModel(ra, raw)
	if err := st.UpsertRemoteActor(ctx, remote); err != nil {
		t.Fatal(err)
	}
	q := &queued{}
	s := &Server{Layout: layout, Store: st, Orgs: o, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Fetcher: &Fetcher{Store: st, Layout: layout, Orgs: o, StaleAfter: time.Hour}}
	s.Follows = &follows.Service{Store: st, Layout: layout, Send: &Outbox{Layout: layout, Deliver: q}}
	s.Posts = &posts.Service{Store: st, Layout: layout, Send: &Outbox{Layout: layout, Deliver: q}}
	return fixtureWorld{s: s, q: q, org: org, remote: remote}
}

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("vocab", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (w fixtureWorld) apply(t *testing.T, name string) string {
	t.Helper()
	act, err := vocab.ParseActivity(readFixture(t, name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	outcome, err := w.s.apply(context.Background(), act)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return outcome
}

func (w fixtureWorld) followers(t *testing.T) int {
	t.Helper()
	c, err := w.s.Store.CountFollows(context.Background(), w.org.ID)
	if err != nil {
		t.Fatal(err)
	}
	return c.Followers
}

// Every GoToSocial capture is applied: the follow cycle changes the follow
// graph and answers, the profile update is stored, and what belongs to
// publishing (notes, likes, boosts) is recorded as not handled yet.
func TestGoToSocialCapturesApply(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newFixtureWorld(t, st, "http://127.0.0.11:7000", "probe", "gotosocial/actor_alice.json")

		if out := w.apply(t, "gotosocial/follow.json"); out != "applied: follow accepted" {
			t.Errorf("follow: %s", out)
		}
		if w.followers(t) != 1 || len(w.q.sent) != 1 {
			t.Fatalf("after follow: %d followers, %d sent", w.followers(t), len(w.q.sent))
		}
		accept := w.q.sent[0]
		obj := accept["object"].(map[string]any)
		if accept["type"] != "Accept" || accept["actor"] != "http://127.0.0.11:7000/users/probe" ||
			obj["id"] != "http://gts-a.test:8080/users/alice/follow/01JCA8FQG27HYZP0FSVKXDBYSX" ||
			w.q.to[0][0] != "http://gts-a.test:8080/users/alice/inbox" {
			t.Errorf("answer to GoToSocial's Follow = %v to %v", accept, w.q.to[0])
		}
		if out := w.apply(t, "gotosocial/undo_follow.json"); out != "applied: unfollowed" || w.followers(t) != 0 {
			t.Errorf("undo follow: %s, %d followers", out, w.followers(t))
		}

		// The probe's own Follow of alice, which GoToSocial accepted.
		f := &model.Follow{FollowerID: w.org.ID, FolloweeID: w.remote.ID, ActivityIRI: "http://127.0.0.11:7000/follows/dafebcc8b5ab27e0", State: model.FollowPending}
		if err := st.InsertFollow(context.Background(), st.DB, f); err != nil {
			t.Fatal(err)
		}
		if out := w.apply(t, "gotosocial/accept_follow.json"); out != "applied: follow accepted" {
			t.Errorf("accept: %s", out)
		}
		if c, _ := st.CountFollows(context.Background(), w.org.ID); c.Following != 1 {
			t.Errorf("following after Accept = %d", c.Following)
		}

		if out := w.apply(t, "gotosocial/update_person.json"); out != "applied: actor updated" {
			t.Errorf("update person: %s", out)
		}
		if a, _ := st.RemoteActorByIRI(context.Background(), w.remote.IRI); a.Name != "Alice (interop test)" {
			t.Errorf("name after Update = %q", a.Name)
		}
		// The probe now follows alice, so her public posts enter its timeline;
		// her reply to a note the probe never stored is kept because it
		// mentions the probe; likes and boosts of that unknown note change
		// nothing.
		steps := []struct{ name, want string }{
			{"create_note_public.json", "applied: added to the timeline"},
			{"create_note_mention_hashtag.json", "applied: added to the timeline"},
			{"create_note_content_warning.json", "applied: added to the timeline"},
			{"create_note_reply.json", "applied: stored as a comment"},
			{"update_note.json", "applied: post updated"},
			{"delete_note.json", "applied: post deleted"},
			{"like.json", "ignored: like of a post not held here"},
			{"announce.json", "ignored: announce of a post not held here"},
			{"undo_like.json", "ignored: nothing to undo"},
			{"undo_announce.json", "ignored: nothing to undo"},
		}
		for _, step := range steps {
			if out := w.apply(t, "gotosocial/"+step.name); out != step.want {
				t.Errorf("%s: %q, want %q", step.name, out, step.want)
			}
		}
		page, err := st.Timeline(context.Background(), store.TimelineFilter{}, nil, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Posts) != 2 {
			t.Fatalf("timeline holds %d posts, want 2 (three arrived, one was deleted)", len(page.Posts))
		}
		sawHashtagPost := false
		for _, p := range page.Posts {
			if p.IRI == "http://gts-a.test:8080/users/alice/statuses/01M87S3MCMWAY4R4CN3EWTGDSV" {
				sawHashtagPost = true
			}
			if p.Kind != model.KindUpdate || p.APType != "Note" || p.Author.IRI != w.remote.IRI {
				t.Errorf("timeline post %+v", p)
			}
			if p.IRI == "http://gts-a.test:8080/users/alice/statuses/01M87S3MCMWAY4R4CN3EWTGDSV" && tagsString(p) != "interop" {
				t.Errorf("hashtag not kept: %v", p.Tags)
			}
		}
		if !sawHashtagPost {
			t.Error("the post with a hashtag is not in the timeline")
		}
	})
}

func tagsString(p *model.Post) string {
	s := ""
	for _, t := range p.Tags {
		s += t.Tag
	}
	return s
}

func TestMastodonSamplesApply(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newFixtureWorld(t, st, "https://a.example", "org", "mastodon_person.json")
		if out := w.apply(t, "mastodon_follow.json"); out != "applied: follow accepted" || w.followers(t) != 1 {
			t.Errorf("follow: %s", out)
		}
		if to := w.q.to[0]; len(to) != 1 || to[0] != "https://mastodon.example/users/alice/inbox" {
			t.Errorf("Accept addressed to %v", to)
		}
		// alice follows the organisation, not the other way round, and her
		// note mentions an account on another server: nothing to keep.
		for name, want := range map[string]string{
			"mastodon_create_note.json": "ignored: not from an account followed here, and not a reply or mention",
			"mastodon_undo_like.json":   "ignored: nothing to undo",
			"mastodon_delete.json":      "ignored: delete of a post not held here",
		} {
			if out := w.apply(t, name); out != want {
				t.Errorf("%s: %q, want %q", name, out, want)
			}
		}
	})
}

// A Follow of an account that is not ours, or an Undo of someone else's
// Follow, is refused as the sender's mistake rather than retried.
func TestApplyRefusesMisdirectedActivities(t *testing.T) {
	st := storetest.Open(t, store.SQLite)
	w := newFixtureWorld(t, st, "https://a.example", "org", "mastodon_person.json")
	for name, raw := range map[string]string{
		"follow of a stranger": `{"@context":"https://www.w3.org/ns/activitystreams","id":"https://mastodon.example/f/1","type":"Follow","actor":"https://mastodon.example/users/alice","object":"https://elsewhere.example/users/bob"}`,
		"undo of another's follow": `{"@context":"https://www.w3.org/ns/activitystreams","id":"https://mastodon.example/u/1","type":"Undo","actor":"https://mastodon.example/users/alice",
			"object":{"id":"https://mastodon.example/f/2","type":"Follow","actor":"https://mastodon.example/users/bob","object":"https://a.example/users/org"}}`,
	} {
		act, err := vocab.ParseActivity([]byte(raw))
		if err != nil {
			t.Fatal(err)
		}
		_, err = w.s.apply(context.Background(), act)
		if model.ErrorCode(err) != model.EInvalid && model.ErrorCode(err) != model.ENotFound {
			t.Errorf("%s: %v, want the sender's mistake", name, err)
		}
	}
}

// A followers-only post from an account one of our organisations follows,
// or a direct message mentioning it, never reaches our public pages.
func TestNonPublicPostsAreNotStored(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		w := newFixtureWorld(t, st, "http://127.0.0.11:7000", "probe", "gotosocial/actor_alice.json")
		f := &model.Follow{FollowerID: w.org.ID, FolloweeID: w.remote.ID, ActivityIRI: "http://127.0.0.11:7000/follows/1", State: model.FollowAccepted}
		if err := st.InsertFollow(context.Background(), st.DB, f); err != nil {
			t.Fatal(err)
		}
		for name, raw := range map[string]string{
			"followers only": `{"@context":"https://www.w3.org/ns/activitystreams","id":"http://gts-a.test:8080/users/alice/statuses/p1/activity","type":"Create","actor":"http://gts-a.test:8080/users/alice",
				"to":"http://gts-a.test:8080/users/alice/followers","object":{"id":"http://gts-a.test:8080/users/alice/statuses/p1","type":"Note","attributedTo":"http://gts-a.test:8080/users/alice",
				"to":"http://gts-a.test:8080/users/alice/followers","content":"<p>for followers</p>"}}`,
			"direct mention": `{"@context":"https://www.w3.org/ns/activitystreams","id":"http://gts-a.test:8080/users/alice/statuses/p2/activity","type":"Create","actor":"http://gts-a.test:8080/users/alice",
				"to":"http://127.0.0.11:7000/users/probe","object":{"id":"http://gts-a.test:8080/users/alice/statuses/p2","type":"Note","attributedTo":"http://gts-a.test:8080/users/alice",
				"to":"http://127.0.0.11:7000/users/probe","content":"<p>private</p>","tag":{"type":"Mention","href":"http://127.0.0.11:7000/users/probe"}}}`,
		} {
			act, err := vocab.ParseActivity([]byte(raw))
			if err != nil {
				t.Fatal(err)
			}
			out, err := w.s.apply(context.Background(), act)
			if err != nil || out != "ignored: not addressed to the public" {
				t.Errorf("%s: %q, %v", name, out, err)
			}
			if _, err := st.PostByIRI(context.Background(), act.ObjectIRI); err == nil {
				t.Errorf("%s: stored", name)
			}
		}
	})
}
