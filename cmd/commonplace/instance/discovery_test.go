package instance_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/keys"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

const asAccept = `application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"`

type fetched struct {
	status int
	header http.Header
	body   []byte
	doc    map[string]any
}

func fetch(t *testing.T, rawURL, accept string) fetched {
	t.Helper()
	req, err := http.NewRequest("GET", rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", rawURL, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	f := fetched{status: resp.StatusCode, header: resp.Header, body: body}
	if strings.Contains(resp.Header.Get("Content-Type"), "json") {
		if err := json.Unmarshal(body, &f.doc); err != nil {
			t.Fatalf("GET %s: body is not JSON: %v\n%s", rawURL, err, body)
		}
	}
	return f
}

// fetchAS fetches an ActivityStreams document as Mastodon does and checks the
// two things Mastodon checks before it reads anything: the media type, and
// that the id equals the URL asked for.
func fetchAS(t *testing.T, rawURL string) map[string]any {
	t.Helper()
	f := fetch(t, rawURL, asAccept)
	if f.status != 200 {
		t.Fatalf("GET %s: status %d: %s", rawURL, f.status, f.body)
	}
	if ct := f.header.Get("Content-Type"); ct != "application/activity+json" {
		t.Errorf("GET %s: Content-Type %q", rawURL, ct)
	}
	if f.doc["id"] != rawURL {
		t.Errorf("GET %s: id %v does not equal the URL", rawURL, f.doc["id"])
	}
	return f.doc
}

func str(t *testing.T, doc map[string]any, key string) string {
	t.Helper()
	s, ok := doc[key].(string)
	if !ok || s == "" {
		t.Errorf("%s missing or not a string in %v", key, doc)
	}
	return s
}

// addAcceptedFollower stores a remote follower directly, so the collections
// have something to page through before the federation core exists to
// create follows itself.
func addAcceptedFollower(t *testing.T, st *store.Store, org *model.Actor, n string) string {
	t.Helper()
	ctx := context.Background()
	iri := "https://mastodon.example/users/" + n
	r := &model.Actor{Username: n, Host: "mastodon.example", IRI: iri, Type: model.ActorPerson,
		Inbox: iri + "/inbox", PublicKeyID: iri + "#main-key", PublicKeyPEM: "pem"}
	if err := st.UpsertRemoteActor(ctx, r); err != nil {
		t.Fatal(err)
	}
	f := &model.Follow{FollowerID: r.ID, FolloweeID: org.ID, ActivityIRI: iri + "/follows/1",
		State: model.FollowAccepted, CreatedAt: time.Now(), UpdatedAt: time.Now()}
	if _, err := st.DB.NewInsert().Model(f).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	return iri
}

// TestRemoteServerDiscoversOrganisation walks a running instance the way
// Mastodon does when someone searches for @stgemmas@host and follows.
func TestRemoteServerDiscoversOrganisation(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			inst := instancetest.Start(t, d)
			org := inst.AddOrg(t, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's Hospice",
				Summary: "Hospice care for Leeds.\n\nWe join the #HSCLeeds Tweet Meets.", Website: "https://www.st-gemma.co.uk/"})
			follower := addAcceptedFollower(t, inst.Store, org, "alice")
			actorURL := inst.URL + "/users/stgemmas"

			// 1. WebFinger, with the port in the account as GoToSocial and Mastodon send it.
			wf := fetch(t, inst.URL+"/.well-known/webfinger?resource="+url.QueryEscape("acct:stgemmas@"+inst.Domain), "application/jrd+json, application/json")
			if wf.status != 200 || !strings.HasPrefix(wf.header.Get("Content-Type"), "application/jrd+json") {
				t.Fatalf("webfinger: %d %s %s", wf.status, wf.header.Get("Content-Type"), wf.body)
			}
			if wf.doc["subject"] != "acct:stgemmas@"+inst.Domain {
				t.Errorf("subject = %v", wf.doc["subject"])
			}
			self := selfLink(t, wf.doc)
			if self != actorURL {
				t.Fatalf("self link = %q, want %q", self, actorURL)
			}

			// 2. The actor, every field Mastodon reads.
			actor := fetchAS(t, self)
			checkContext(t, actor)
			want := map[string]any{
				"type": "Organization", "preferredUsername": "stgemmas", "name": "St Gemma's Hospice",
				"url": inst.URL + "/@stgemmas", "inbox": actorURL + "/inbox", "outbox": actorURL + "/outbox",
				"followers": actorURL + "/followers", "following": actorURL + "/following",
				"manuallyApprovesFollowers": false, "discoverable": true,
			}
			for k, v := range want {
				if actor[k] != v {
					t.Errorf("actor %s = %#v, want %#v", k, actor[k], v)
				}
			}
			if s := str(t, actor, "summary"); !strings.Contains(s, "<p>Hospice care for Leeds.</p>") {
				t.Errorf("summary = %q", s)
			}
			if p, err := time.Parse(time.RFC3339, str(t, actor, "published")); err != nil || time.Since(p) > time.Hour {
				t.Errorf("published = %v (%v)", actor["published"], err)
			}
			endpoints, _ := actor["endpoints"].(map[string]any)
			if endpoints["sharedInbox"] != inst.URL+"/inbox" {
				t.Errorf("endpoints = %v", actor["endpoints"])
			}
			checkPublicKey(t, actor, org)
			checkWebsiteField(t, actor)

			// Mastodon's reverse check: WebFinger on preferredUsername@host of the id
			// must lead back to exactly this id.
			host := mustHost(t, actorURL)
			back := fetch(t, inst.URL+"/.well-known/webfinger?resource=acct:"+actor["preferredUsername"].(string)+"@"+host, "")
			if selfLink(t, back.doc) != actor["id"] {
				t.Errorf("reverse WebFinger self = %q, want %v", selfLink(t, back.doc), actor["id"])
			}

			// 3. Collections: root with totalItems, then its first page.
			for name, wantItems := range map[string][]string{"outbox": {}, "followers": {follower}, "following": {}} {
				coll := fetchAS(t, actor[name].(string))
				if coll["type"] != "OrderedCollection" {
					t.Errorf("%s type = %v", name, coll["type"])
				}
				if coll["totalItems"] != float64(len(wantItems)) {
					t.Errorf("%s totalItems = %v, want %d", name, coll["totalItems"], len(wantItems))
				}
				page := fetchAS(t, str(t, coll, "first"))
				if page["type"] != "OrderedCollectionPage" || page["partOf"] != coll["id"] {
					t.Errorf("%s first page = %v", name, page)
				}
				items, ok := page["orderedItems"].([]any)
				if !ok || len(items) != len(wantItems) {
					t.Fatalf("%s orderedItems = %#v, want %v", name, page["orderedItems"], wantItems)
				}
				for i, w := range wantItems {
					if items[i] != w {
						t.Errorf("%s item %d = %v, want %s", name, i, items[i], w)
					}
				}
			}

			// 4. NodeInfo through its well-known entry point.
			links := fetch(t, inst.URL+"/.well-known/nodeinfo", "")
			ni := links.doc["links"].([]any)[0].(map[string]any)
			if ni["rel"] != "http://nodeinfo.diaspora.software/ns/schema/2.1" {
				t.Errorf("nodeinfo rel = %v", ni["rel"])
			}
			info := fetch(t, ni["href"].(string), "")
			if ct := info.header.Get("Content-Type"); !strings.Contains(ct, `profile="http://nodeinfo.diaspora.software/ns/schema/2.1#"`) {
				t.Errorf("nodeinfo Content-Type = %q", ct)
			}
			sw := info.doc["software"].(map[string]any)
			users := info.doc["usage"].(map[string]any)["users"].(map[string]any)
			if info.doc["version"] != "2.1" || sw["name"] != "commonplace" || users["total"] != float64(1) ||
				info.doc["protocols"].([]any)[0] != "activitypub" || info.doc["openRegistrations"] != false {
				t.Errorf("nodeinfo = %s", info.body)
			}

			// 5. host-meta points at WebFinger.
			hm := fetch(t, inst.URL+"/.well-known/host-meta", "")
			if !strings.Contains(string(hm.body), `template="`+inst.URL+`/.well-known/webfinger?resource={uri}"`) {
				t.Errorf("host-meta = %s", hm.body)
			}

			// 6. A browser opening the actor URL gets the profile page.
			for _, u := range []string{actorURL, inst.URL + "/@stgemmas"} {
				page := fetch(t, u, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
				if page.status != 200 || !strings.HasPrefix(page.header.Get("Content-Type"), "text/html") {
					t.Fatalf("browser GET %s: %d %s", u, page.status, page.header.Get("Content-Type"))
				}
				if page.header.Get("Vary") != "Accept" {
					t.Errorf("browser GET %s: Vary = %q", u, page.header.Get("Vary"))
				}
				html := string(page.body)
				for _, w := range []string{"<title>St Gemma&#39;s Hospice (@stgemmas@" + inst.Domain + ") — ",
					`value="@stgemmas@` + inst.Domain + `"`, "<dd>1</dd>"} {
					if !strings.Contains(html, w) {
						t.Errorf("profile page lacks %q", w)
					}
				}
			}
			if fetch(t, actorURL, "").header.Get("Content-Type") == "application/activity+json" {
				t.Error("a request without Accept got JSON; browsers and curl should get HTML")
			}
		})
	}
}

// The instance actor signs our fetches, so it must be readable without a
// signature, or no server could verify one of our signed GETs.
func TestInstanceActorIsReadableUnsigned(t *testing.T) {
	inst := instancetest.Start(t, storetest.Dialects[0])
	doc := fetchAS(t, inst.URL+"/actor")
	checkContext(t, doc)
	pk, _ := doc["publicKey"].(map[string]any)
	if doc["type"] != "Application" || pk["id"] != inst.URL+"/actor#main-key" || pk["owner"] != inst.URL+"/actor" {
		t.Errorf("instance actor = %v", doc)
	}
	if _, err := keys.ParsePublic(pk["publicKeyPem"].(string)); err != nil {
		t.Errorf("instance actor key: %v", err)
	}
	if inbox, _ := doc["inbox"].(string); inbox != inst.URL+"/actor/inbox" {
		t.Errorf("inbox = %v", doc["inbox"])
	}
}

func TestUnknownNamesAre404(t *testing.T) {
	inst := instancetest.Start(t, storetest.Dialects[0])
	inst.AddOrg(t, orgs.NewOrg{Username: "volition", Name: "Volition"})
	cases := map[string]string{
		"/.well-known/webfinger?resource=acct:nobody@" + inst.Domain:      "",
		"/.well-known/webfinger?resource=acct:volition@elsewhere.example": "",
		"/users/nobody":           asAccept,
		"/users/nobody#html":      "text/html",
		"/users/nobody/outbox":    asAccept,
		"/users/nobody/followers": asAccept,
		"/users/nobody/following": asAccept,
		"/no/such/page":           "text/html",
	}
	for path, accept := range cases {
		if f := fetch(t, inst.URL+path, accept); f.status != 404 {
			t.Errorf("GET %s: status %d, want 404", path, f.status)
		}
	}
	if f := fetch(t, inst.URL+"/.well-known/webfinger", ""); f.status != 400 {
		t.Errorf("WebFinger without resource: %d, want 400", f.status)
	}
	if f := fetch(t, inst.URL+"/users/volition/followers?page=true&before=abc", asAccept); f.status != 400 {
		t.Errorf("bad cursor: %d, want 400", f.status)
	}
	if f := fetch(t, inst.URL+"/no/such/page", "text/html"); !strings.Contains(string(f.body), "<title>Not found — ") {
		t.Errorf("404 page is not the HTML error page: %s", f.body)
	}
}

func TestHealthAndReadiness(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			inst := instancetest.Start(t, d)
			if f := fetch(t, inst.URL+"/healthz", ""); f.status != 200 {
				t.Errorf("healthz = %d", f.status)
			}
			if f := fetch(t, inst.URL+"/readyz", ""); f.status != 200 {
				t.Errorf("readyz = %d", f.status)
			}
			inst.Store.Close() // the database goes away under a running server
			if f := fetch(t, inst.URL+"/readyz", ""); f.status != 503 {
				t.Errorf("readyz with the database closed = %d, want 503", f.status)
			}
			if f := fetch(t, inst.URL+"/healthz", ""); f.status != 200 {
				t.Errorf("healthz with the database closed = %d, want 200 (the process is alive)", f.status)
			}
		})
	}
}

func selfLink(t *testing.T, jrd map[string]any) string {
	t.Helper()
	links, _ := jrd["links"].([]any)
	for _, l := range links {
		m := l.(map[string]any)
		if m["rel"] == "self" {
			if m["type"] != "application/activity+json" {
				t.Errorf("self link type = %v", m["type"])
			}
			return m["href"].(string)
		}
	}
	t.Fatalf("no self link in %v", jrd)
	return ""
}

func checkContext(t *testing.T, doc map[string]any) {
	t.Helper()
	ctx, _ := doc["@context"].([]any)
	var as, sec bool
	for _, c := range ctx {
		as = as || c == "https://www.w3.org/ns/activitystreams"
		sec = sec || c == "https://w3id.org/security/v1"
	}
	if !as || !sec {
		t.Errorf("@context lacks the ActivityStreams or security context: %v", doc["@context"])
	}
}

func checkPublicKey(t *testing.T, actor map[string]any, org *model.Actor) {
	t.Helper()
	pk, _ := actor["publicKey"].(map[string]any)
	if pk["id"] != actor["id"].(string)+"#main-key" || pk["owner"] != actor["id"] {
		t.Errorf("publicKey id/owner = %v / %v", pk["id"], pk["owner"])
	}
	pub, err := keys.ParsePublic(pk["publicKeyPem"].(string))
	if err != nil {
		t.Fatalf("publicKeyPem: %v", err)
	}
	priv, err := keys.ParsePrivate(org.PrivateKeyPEM)
	if err != nil || !pub.Equal(&priv.PublicKey) {
		t.Errorf("served key does not match the organisation's private key")
	}
	raw, _ := json.Marshal(actor)
	if strings.Contains(string(raw), "PRIVATE KEY") {
		t.Error("the actor document contains a private key")
	}
}

func checkWebsiteField(t *testing.T, actor map[string]any) {
	t.Helper()
	att, _ := actor["attachment"].([]any)
	if len(att) != 1 {
		t.Fatalf("attachment = %#v, want one PropertyValue", actor["attachment"])
	}
	f := att[0].(map[string]any)
	if f["type"] != "PropertyValue" || f["name"] != "Website" || !strings.Contains(f["value"].(string), `href="https://www.st-gemma.co.uk/"`) {
		t.Errorf("website field = %v", f)
	}
}

func mustHost(t *testing.T, raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}
