package federation

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/commonplace-social/commonplace/federation/transport"
	"github.com/commonplace-social/commonplace/internal/iri"
	"github.com/commonplace-social/commonplace/internal/keys"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// The id policy an inbox applies (refuseInsecureIDs) holds for actors we
// fetch or resolve ourselves: in production an http:// or IP-literal actor
// is not stored; in local testing, where every instance is on
// http://127.0.0.1, it is. Tested at storeActor, since a production
// instance cannot fetch over loopback.
func TestStoredActorIDPolicy(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) { testStoredActorIDPolicy(t, storetest.Open(t, d)) })
	}
}

func testStoredActorIDPolicy(t *testing.T, st *store.Store) {
	ctx := context.Background()
	pair, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	production, localTesting := redirectFetcher(t, st), redirectFetcher(t, st)
	production.Layout = iri.New("https://ours.example")
	localTesting.Layout = iri.New("http://127.0.0.1:7000")

	good := "https://social.example/users/ok"
	if a, err := production.storeActor(ctx, actorDocument(t, good, pair.PublicPEM), ""); err != nil || a.IRI != good {
		t.Fatalf("an https actor in production = %+v, %v", a, err)
	}
	for _, id := range []string{"http://social.example/users/a", "https://203.0.113.7/users/b", "https://[2001:db8::1]/users/c"} {
		_, err := production.storeActor(ctx, actorDocument(t, id, pair.PublicPEM), "")
		if model.ErrorCode(err) != model.EInvalid || !strings.Contains(err.Error(), "not an acceptable remote URL") {
			t.Errorf("%s in production: err = %v, want refused as invalid", id, err)
		}
		if a, err := st.RemoteActorByIRI(ctx, id); err == nil {
			t.Errorf("%s stored in production: %+v", id, a)
		}
		if _, err := production.FetchActor(ctx, id); model.ErrorCode(err) != model.EInvalid {
			t.Errorf("FetchActor(%s) in production: err = %v, want refused before fetching", id, err)
		}
		if a, err := localTesting.storeActor(ctx, actorDocument(t, id, pair.PublicPEM), ""); err != nil || a.IRI != id {
			t.Errorf("%s in local testing = %+v, %v; want stored", id, a, err)
		}
	}
}

// actorDocument is a fetched actor document served from its own id.
func actorDocument(t *testing.T, id, pem string) *transport.Document {
	t.Helper()
	body, err := json.Marshal(actorDoc(id, pem))
	if err != nil {
		t.Fatal(err)
	}
	return &transport.Document{Body: body, ID: id, Requested: id, URL: id}
}

// A link to an actor spelt with an upper-case host or a trailing dot names
// the same actor as its canonical id: fetching it, or resolving a handle
// whose WebFinger link is spelt so, finds and stores the canonical id
// rather than refusing the document for carrying "another" id.
func TestNonCanonicalActorLinks(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) { testNonCanonicalActorLinks(t, storetest.Open(t, d)) })
	}
}

func testNonCanonicalActorLinks(t *testing.T, st *store.Store) {
	ctx := context.Background()
	pair, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	f := redirectFetcher(t, st)

	// The document spells its own id oddly; we store the canonical one.
	doc := actorDocument(t, "https://Social.Example./users/a", pair.PublicPEM)
	if a, err := f.storeActor(ctx, doc, ""); err != nil || a.IRI != "https://social.example/users/a" {
		t.Errorf("storeActor of a non-canonically spelt id = %+v, %v", a, err)
	}

	srv := newDocServer(t)
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	canon, odd := "http://localhost:"+port+"/users/b", "http://LOCALHOST:"+port+"/users/b"
	srv.docs["/users/b"] = actorDoc(canon, pair.PublicPEM)
	if a, err := f.FetchActor(ctx, odd); err != nil || a.IRI != canon {
		t.Errorf("FetchActor(%s) = %+v, %v; want %s", odd, a, err, canon)
	}
	srv.docs["/.well-known/webfinger"] = map[string]any{"subject": "acct:b@localhost:" + port,
		"links": []any{map[string]any{"rel": "self", "type": ContentTypeActivity, "href": odd}}}
	if a, err := f.Resolve(ctx, "@b@localhost:"+port); err != nil || a.IRI != canon {
		t.Errorf("Resolve through a WebFinger link %s = %+v, %v; want %s", odd, a, err, canon)
	}
}
