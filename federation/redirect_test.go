package federation

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/federation/transport"
	"github.com/commonplace-social/commonplace/internal/iri"
	"github.com/commonplace-social/commonplace/internal/keys"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// docServer serves ActivityStreams documents and redirects by path.
type docServer struct {
	*httptest.Server
	docs      map[string]map[string]any
	redirects map[string]string
}

func newDocServer(t *testing.T) *docServer {
	s := &docServer{docs: map[string]map[string]any{}, redirects: map[string]string{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if to, ok := s.redirects[r.URL.Path]; ok {
			http.Redirect(w, r, to, http.StatusFound)
			return
		}
		doc, ok := s.docs[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/activity+json")
		_ = json.NewEncoder(w).Encode(doc)
	}))
	t.Cleanup(s.Close)
	return s
}

func actorDoc(id, pem string) map[string]any {
	return map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": id, "type": "Person",
		"preferredUsername": "x", "inbox": id + "/inbox",
		"publicKey": map[string]any{"id": id + "#main-key", "owner": id, "publicKeyPem": pem}}
}

func redirectFetcher(t *testing.T, st *store.Store) *Fetcher {
	t.Helper()
	o := &orgs.Service{Store: st}
	return &Fetcher{Transport: transport.New(transport.Options{AllowPrivate: true}), Store: st,
		Layout: iri.New("http://ours.invalid"), Orgs: o, RefetchAfter: time.Minute, StaleAfter: time.Hour}
}

// A document is believed only from the origin of the URL that finally
// served it: a redirect to another host cannot plant a document under ids
// on the first host, while a redirect within one server is followed.
func TestRedirectedDocuments(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) { testRedirectedDocuments(t, storetest.Open(t, d)) })
	}
}

func testRedirectedDocuments(t *testing.T, st *store.Store) {
	ctx := context.Background()
	pair, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	f := redirectFetcher(t, st)
	victim, evil := newDocServer(t), newDocServer(t)

	// Cross-origin: the victim's /users/x sends us to a document on evil's
	// host that claims the victim's id (and key).
	x := victim.URL + "/users/x"
	victim.redirects["/users/x"] = evil.URL + "/planted"
	evil.docs["/planted"] = actorDoc(x, pair.PublicPEM)
	if _, err := f.FetchActor(ctx, x); !errors.Is(err, transport.ErrWrongOrigin) {
		t.Errorf("FetchActor through a cross-origin redirect: err = %v, want ErrWrongOrigin", err)
	}
	if _, err := f.Resolve(ctx, x); !errors.Is(err, transport.ErrWrongOrigin) {
		t.Errorf("Resolve through a cross-origin redirect: err = %v, want ErrWrongOrigin", err)
	}
	if _, _, err := f.KeyOwner(ctx, x+"#main-key", false); err == nil {
		t.Error("KeyOwner through a cross-origin redirect succeeded")
	}
	if a, err := st.RemoteActorByIRI(ctx, x); err == nil {
		t.Errorf("the planted actor was stored: %+v", a)
	}

	// Same origin: /users/y moved to /users/y.json, which still names /users/y.
	y := victim.URL + "/users/y"
	victim.redirects["/users/y"] = "/users/y.json"
	victim.docs["/users/y.json"] = actorDoc(y, pair.PublicPEM)
	if a, err := f.FetchActor(ctx, y); err != nil || a.IRI != y {
		t.Errorf("FetchActor through a same-origin redirect = %+v, %v", a, err)
	}

	// A typed URL redirected to the actor's own id elsewhere on its server
	// is fetched again from that id.
	z := victim.URL + "/users/z"
	victim.redirects["/@z"] = "/users/z"
	victim.docs["/users/z"] = actorDoc(z, pair.PublicPEM)
	if a, err := f.Resolve(ctx, victim.URL+"/@z"); err != nil || a.IRI != z {
		t.Errorf("Resolve of a profile URL = %+v, %v", a, err)
	}
	// ...but an id is never replaced by another one by a redirect.
	if _, err := f.FetchActor(ctx, victim.URL+"/@z"); err == nil {
		t.Error("FetchActor accepted a document carrying another id")
	}
}
