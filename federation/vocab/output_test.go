package vocab

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/go-fed/activity/streams"
)

func sampleActor() Actor {
	base := "https://cp.example/orgs/carers"
	return Actor{
		ID: base, Type: "Organization", PreferredUsername: "carers", Name: "Carers Trust",
		SummaryHTML: "<p>Support for carers &amp; families</p>", URL: "https://cp.example/@carers",
		Inbox: base + "/inbox", Outbox: base + "/outbox", Followers: base + "/followers",
		Following: base + "/following", SharedInbox: "https://cp.example/inbox",
		PublicKeyID: base + "#main-key", PublicKeyPEM: "-----BEGIN PUBLIC KEY-----\nMII\n-----END PUBLIC KEY-----\n",
		ManuallyApprovesFollowers: true, Discoverable: true, Indexable: true,
		Published: time.Date(2025, 3, 1, 10, 0, 0, 0, time.FixedZone("BST", 3600)),
		Fields:    []Field{{Name: "Website", ValueHTML: `<a href="https://carers.example">carers.example</a>`}},
	}
}

func decodeMap(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, b)
	}
	return m
}

// checkContext asserts the document carries our @context: both vocabulary
// URLs and the extension terms we emit.
func checkContext(t *testing.T, m map[string]any) {
	t.Helper()
	ctx, ok := m["@context"].([]any)
	if !ok || len(ctx) != 3 {
		t.Fatalf("@context = %#v", m["@context"])
	}
	eq(t, "@context[0]", ctx[0], any(ActivityStreamsNS))
	eq(t, "@context[1]", ctx[1], any(SecurityNS))
	terms, _ := ctx[2].(map[string]any)
	for _, term := range []string{"manuallyApprovesFollowers", "toot", "discoverable", "indexable", "PropertyValue", "value", "Hashtag", "sensitive"} {
		if terms[term] == nil {
			t.Errorf("@context does not define %q", term)
		}
	}
}

func TestMarshalActorRoundTrip(t *testing.T) {
	in := sampleActor()
	b, err := MarshalActor(in)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseActor(b)
	if err != nil {
		t.Fatalf("ParseActor: %v\n%s", err, b)
	}
	eq(t, "round trip", *got, RemoteActor{
		ID: in.ID, Type: in.Type, PreferredUsername: in.PreferredUsername, Name: in.Name,
		Summary: in.SummaryHTML, URL: in.URL, Inbox: in.Inbox, Outbox: in.Outbox,
		Followers: in.Followers, Following: in.Following, SharedInbox: in.SharedInbox,
		PublicKey:                 PublicKey{ID: in.PublicKeyID, Owner: in.ID, PEM: in.PublicKeyPEM},
		ManuallyApprovesFollowers: true, Discoverable: true, Indexable: true,
		Published: in.Published.UTC(), Fields: in.Fields, Raw: b,
	})
}

func TestMarshalActorShape(t *testing.T) {
	b, err := MarshalActor(sampleActor())
	if err != nil {
		t.Fatal(err)
	}
	m := decodeMap(t, b)
	checkContext(t, m)
	for _, k := range []string{"id", "type", "preferredUsername", "name", "summary", "url", "inbox", "outbox",
		"followers", "following", "endpoints", "publicKey", "manuallyApprovesFollowers", "discoverable", "published", "attachment"} {
		if _, ok := m[k]; !ok {
			t.Errorf("actor lacks %q", k)
		}
	}
	key, _ := m["publicKey"].(map[string]any)
	eq(t, "publicKey.owner", key["owner"], m["id"])
	eq(t, "published (UTC)", m["published"], any("2025-03-01T09:00:00Z"))
	att, ok := m["attachment"].([]any)
	if !ok || len(att) != 1 {
		t.Fatalf("one-field attachment must be an array: %#v", m["attachment"])
	}
	eq(t, "attachment[0]", att[0], any(map[string]any{
		"type": "PropertyValue", "name": "Website", "value": `<a href="https://carers.example">carers.example</a>`,
	}))

	a := sampleActor()
	a.Type, a.Fields, a.SharedInbox = "Application", nil, ""
	m = decodeMap(t, must(MarshalActor(a)))
	eq(t, "type", m["type"], any("Application"))
	for _, k := range []string{"attachment", "endpoints"} {
		if _, ok := m[k]; ok {
			t.Errorf("%s written although empty", k)
		}
	}
}

func TestMarshalActorRefuses(t *testing.T) {
	cases := map[string]struct {
		edit func(*Actor)
		want error
	}{
		"note type":       {func(a *Actor) { a.Type = "Note" }, ErrUnsupportedType},
		"relative id":     {func(a *Actor) { a.ID = "/orgs/carers" }, ErrInvalid},
		"no inbox":        {func(a *Actor) { a.Inbox = "" }, ErrInvalid},
		"no key":          {func(a *Actor) { a.PublicKeyPEM = "" }, ErrInvalid},
		"no username":     {func(a *Actor) { a.PreferredUsername = "" }, ErrInvalid},
		"bad shared inbx": {func(a *Actor) { a.SharedInbox = "ftp://x" }, ErrInvalid},
	}
	for name, c := range cases {
		a := sampleActor()
		c.edit(&a)
		if _, err := MarshalActor(a); !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", name, err, c.want)
		}
	}
}

// go-fed writes a one-element to/cc/tag as a scalar; finish must undo that at
// every depth (here in a Create wrapping a Note, as the outbox will send).
func TestOneElementArraysStayArrays(t *testing.T) {
	u, _ := httpURL("https://cp.example/notes/1")
	pub, _ := httpURL(PublicIRI)
	n := streams.NewActivityStreamsNote()
	n.SetJSONLDId(idProp(u))
	to := streams.NewActivityStreamsToProperty()
	to.AppendIRI(pub)
	n.SetActivityStreamsTo(to)
	cc := streams.NewActivityStreamsCcProperty()
	cc.AppendIRI(u)
	n.SetActivityStreamsCc(cc)
	tag := streams.NewActivityStreamsTagProperty()
	mention := streams.NewActivityStreamsMention()
	tag.AppendActivityStreamsMention(mention)
	n.SetActivityStreamsTag(tag)
	create := streams.NewActivityStreamsCreate()
	obj := streams.NewActivityStreamsObjectProperty()
	obj.AppendActivityStreamsNote(n)
	create.SetActivityStreamsObject(obj)
	cto := streams.NewActivityStreamsToProperty()
	cto.AppendIRI(pub)
	create.SetActivityStreamsTo(cto)

	m, err := streams.Serialize(create)
	if err != nil {
		t.Fatal(err)
	}
	if _, scalar := m["to"].(string); !scalar {
		t.Fatalf("go-fed now keeps arrays (to = %#v): normalise may be unnecessary", m["to"])
	}
	out := decodeMap(t, must(finish(m)))
	checkContext(t, out)
	eq(t, "to", out["to"], any([]any{PublicIRI}))
	inner := out["object"].(map[string]any)
	eq(t, "object.to", inner["to"], any([]any{PublicIRI}))
	eq(t, "object.cc", inner["cc"], any([]any{"https://cp.example/notes/1"}))
	if tags, ok := inner["tag"].([]any); !ok || len(tags) != 1 {
		t.Errorf("object.tag = %#v", inner["tag"])
	}
}

func TestMarshalOrderedCollection(t *testing.T) {
	id := "https://cp.example/orgs/carers/followers"
	m := decodeMap(t, must(MarshalOrderedCollection(id, 12, id+"?page=1")))
	checkContext(t, m)
	eq(t, "type", m["type"], any("OrderedCollection"))
	eq(t, "id", m["id"], any(id))
	eq(t, "totalItems", m["totalItems"], any(12.0))
	eq(t, "first", m["first"], any(id+"?page=1"))

	m = decodeMap(t, must(MarshalOrderedCollection(id, 0, "")))
	eq(t, "totalItems (zero kept)", m["totalItems"], any(0.0))
	if _, ok := m["first"]; ok {
		t.Error("first written although empty")
	}
	if _, err := MarshalOrderedCollection("followers", 1, ""); !errors.Is(err, ErrInvalid) {
		t.Errorf("relative id: err = %v", err)
	}
}

func TestMarshalOrderedCollectionPage(t *testing.T) {
	outbox := "https://cp.example/orgs/carers/outbox"
	activity := `{"@context":"https://www.w3.org/ns/activitystreams","id":"https://cp.example/a/1","type":"Create",` +
		`"actor":"https://cp.example/orgs/carers","object":"https://cp.example/notes/1","to":["` + PublicIRI + `"]}`
	page := OrderedCollectionPage{
		ID: outbox + "?page=2", PartOf: outbox, TotalItems: 30,
		Items: []Item{{Raw: json.RawMessage(activity)}, {IRI: "https://cp.example/a/0"}},
		Next:  outbox + "?page=3", Prev: outbox + "?page=1",
	}
	b := must(MarshalOrderedCollectionPage(page))
	m := decodeMap(t, b)
	checkContext(t, m)
	eq(t, "type", m["type"], any("OrderedCollectionPage"))
	eq(t, "partOf", m["partOf"], any(outbox))
	eq(t, "totalItems", m["totalItems"], any(30.0))
	eq(t, "next", m["next"], any(outbox+"?page=3"))
	eq(t, "prev", m["prev"], any(outbox+"?page=1"))
	items := m["orderedItems"].([]any)
	if _, has := items[0].(map[string]any)["@context"]; has {
		t.Error("embedded item kept its @context")
	}
	eq(t, "orderedItems[1]", items[1], any("https://cp.example/a/0"))

	// What we serve is what our own backfill reads.
	c, err := ParseCollectionPage(b)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "parsed items", len(c.Items), 2)
	eq(t, "parsed item 0 IRI", c.Items[0].IRI, "https://cp.example/a/1")
	a, err := ParseActivity(c.Items[0].Raw)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "item ObjectIRI", a.ObjectIRI, "https://cp.example/notes/1")

	// One item, and no item: still arrays.
	page.Items = page.Items[1:]
	eq(t, "one item", decodeMap(t, must(MarshalOrderedCollectionPage(page)))["orderedItems"], any([]any{"https://cp.example/a/0"}))
	page.Items, page.Next = nil, ""
	m = decodeMap(t, must(MarshalOrderedCollectionPage(page)))
	eq(t, "no items", m["orderedItems"], any([]any{}))
	if _, ok := m["next"]; ok {
		t.Error("next written although empty")
	}

	for name, items := range map[string][]Item{
		"relative IRI": {{IRI: "/a/1"}},
		"raw array":    {{Raw: json.RawMessage(`[1]`)}},
		"raw broken":   {{Raw: json.RawMessage(`{"id":`)}},
	} {
		page.Items = items
		if _, err := MarshalOrderedCollectionPage(page); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestContextIsACopy(t *testing.T) {
	c := Context()
	c[2].(map[string]any)["evil"] = "x"
	c[0] = "https://evil.example"
	fresh := Context()
	eq(t, "Context()[0]", fresh[0], any(ActivityStreamsNS))
	if _, ok := fresh[2].(map[string]any)["evil"]; ok {
		t.Error("Context() shares its term map")
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}
