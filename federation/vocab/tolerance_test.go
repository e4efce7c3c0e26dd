package vocab

import (
	"errors"
	"strings"
	"testing"
)

// activity builds a minimal valid activity around extra members.
func activity(extra string) []byte {
	s := `{"@context":"https://www.w3.org/ns/activitystreams","id":"https://r.example/a/1","actor":"https://r.example/u/bob"`
	if extra != "" {
		s += "," + extra
	}
	return []byte(s + "}")
}

func TestMissingContextIsSupplied(t *testing.T) {
	raw := []byte(`{"id":"https://r.example/a/1","type":"Like","actor":"https://r.example/u/bob","object":"https://cp.example/notes/1"}`)
	a, err := ParseActivity(raw)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "ObjectIRI", a.ObjectIRI, "https://cp.example/notes/1")
	eq(t, "Raw (unchanged)", string(a.Raw), string(raw))
	if _, err := ParseObject([]byte(`{"id":"https://r.example/n/1","type":"Note","content":"hi"}`)); err != nil {
		t.Errorf("object without @context: %v", err)
	}
}

// Unknown types are not errors: the caller sees Type and ignores it. A type
// go-fed knows as a non-activity is refused by ParseActivity.
func TestUnknownAndWrongTypes(t *testing.T) {
	a, err := ParseActivity(activity(`"type":"EmojiReact","object":"https://cp.example/notes/1","content":"🎉"`))
	if err != nil {
		t.Fatalf("unknown activity type: %v", err)
	}
	eq(t, "Type", a.Type, "EmojiReact")
	eq(t, "ObjectIRI", a.ObjectIRI, "https://cp.example/notes/1")

	a, err = ParseActivity(activity(`"type":["Create","ex:Special"],"object":{"id":"https://r.example/x/1","type":"ChatMessage"}`))
	if err != nil {
		t.Fatalf("type array / unknown object type: %v", err)
	}
	eq(t, "Type (first of array)", a.Type, "Create")
	eq(t, "Object.Type", a.Object.Type, "ChatMessage")

	if _, err := ParseActivity(activity(`"type":"Note"`)); !errors.Is(err, ErrUnsupportedType) {
		t.Errorf("Note as activity: err = %v", err)
	}
	if _, err := ParseActivity(activity(`"object":"https://x.example/1"`)); !errors.Is(err, ErrInvalid) {
		t.Errorf("no type: err = %v", err)
	}
	o, err := ParseObject([]byte(`{"id":"https://r.example/tags/x","type":"Hashtag","name":"#x"}`))
	if err != nil {
		t.Fatalf("unknown object type: %v", err)
	}
	eq(t, "Object.Name", o.Name, "#x")
	if _, err := ParseActor(fixture(t, "gotosocial/create_note_public.json")); !errors.Is(err, ErrUnsupportedType) {
		t.Errorf("Create as actor: err = %v", err)
	}
	if _, err := ParseCollectionPage(fixture(t, "mastodon_person.json")); !errors.Is(err, ErrUnsupportedType) {
		t.Errorf("Person as collection: err = %v", err)
	}
}

func TestShapeTolerance(t *testing.T) {
	a, err := ParseActivity(activity(`"type":"Create","unknownThing":{"deep":[1,{"x":null}]},` +
		`"to":"https://r.example/u/bob/followers","cc":null,` +
		`"object":{"id":"https://r.example/n/1","type":"Note","to":["` + PublicIRI + `"],` +
		`"tag":{"type":"Hashtag","name":"#care","href":"https://r.example/tags/care"},` +
		`"attachment":{"type":"Document","mediaType":"image/png","url":[{"type":"Link","href":"https://r.example/m/1.png"}],"name":"alt"},` +
		`"url":{"type":"Link","href":"https://r.example/@bob/1"},` +
		`"inReplyTo":{"id":"https://cp.example/notes/9","type":"Note"},` +
		`"contentMap":{"fr":"<p>bonjour</p>","en":"<p>hello</p>"},"nameMap":{"fr":"Titre","de":"Titel"},` +
		`"published":"2025-02-03T04:05:06.789+01:00","updated":"not a date","sensitive":"yes"}`))
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "To (string)", a.To, []string{"https://r.example/u/bob/followers"})
	eq(t, "Cc (null)", a.Cc, []string{})
	o := a.Object
	eq(t, "Tags (single object)", o.Tags, []Tag{{Type: "Hashtag", Name: "#care", Href: "https://r.example/tags/care"}})
	eq(t, "Attachments (single object, Link url)", o.Attachments, []Attachment{
		{Type: "Document", MediaType: "image/png", URL: "https://r.example/m/1.png", Name: "alt"},
	})
	eq(t, "URL (Link)", o.URL, "https://r.example/@bob/1")
	eq(t, "InReplyTo (embedded)", o.InReplyTo, "https://cp.example/notes/9")
	eq(t, "Content (contentMap en)", o.Content, "<p>hello</p>")
	eq(t, "Name (nameMap, first language)", o.Name, "Titel")
	eq(t, "Published (offset, fraction)", o.Published, ts("2025-02-03T03:05:06.789Z"))
	eq(t, "Updated (unreadable)", o.Updated.IsZero(), true)
	eq(t, "Sensitive (not a bool)", o.Sensitive, false)
}

func TestEventShapes(t *testing.T) {
	// Gancio/FEP-8a8e: a plain-text address and coordinates on the Place,
	// an IANA timezone, a hybrid location array.
	o, err := ParseObject([]byte(`{"id":"https://g.example/event/1","type":"Event","name":"Drop-in",
		"startTime":"2025-06-01T09:00:00+01:00","endTime":"2025-06-01T11:00:00+01:00","timezone":"Europe/London",
		"location":[{"type":"VirtualLocation","url":"https://meet.example/x"},
			{"type":"Place","name":"Community Hall","address":"1 High St, Leeds","latitude":"53.8","longitude":-1.55}]}`))
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "Timezone", o.Timezone, "Europe/London")
	eq(t, "StartTime", o.StartTime, ts("2025-06-01T08:00:00Z"))
	lat, long := 53.8, -1.55
	eq(t, "Location", o.Location, &Place{Name: "Community Hall", Address: "1 High St, Leeds", Latitude: &lat, Longitude: &long})

	// Out-of-range coordinates are dropped, a null postalCode is empty.
	o, err = ParseObject([]byte(`{"id":"https://m.example/e/2","type":"Event","location":{"type":"Place","name":"X",
		"address":{"type":"PostalAddress","streetAddress":"2 Rue","postalCode":null,"addressLocality":"Nantes","addressRegion":"Pays de la Loire"},
		"geo":{"latitude":147.2,"longitude":-1.5}}}`))
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "Address", o.Location.Address, "2 Rue, Nantes, Pays de la Loire")
	eq(t, "Latitude (out of range)", o.Location.Latitude, (*float64)(nil))
	eq(t, "Longitude", *o.Location.Longitude, -1.5)
}

func TestMalformedInput(t *testing.T) {
	inputs := map[string]string{
		"empty": "", "not json": "hello", "truncated": `{"id":`, "array": `[{"type":"Note"}]`,
		"null": "null", "string": `"https://r.example/a/1"`, "number": "42",
	}
	parsers := map[string]func([]byte) error{
		"ParseActivity":       func(b []byte) error { _, err := ParseActivity(b); return err },
		"ParseObject":         func(b []byte) error { _, err := ParseObject(b); return err },
		"ParseActor":          func(b []byte) error { _, err := ParseActor(b); return err },
		"ParseKeyDocument":    func(b []byte) error { _, err := ParseKeyDocument(b); return err },
		"ParseCollectionPage": func(b []byte) error { _, err := ParseCollectionPage(b); return err },
	}
	for pname, parse := range parsers {
		for iname, in := range inputs {
			if err := parse([]byte(in)); !errors.Is(err, ErrMalformed) {
				t.Errorf("%s(%s): err = %v, want ErrMalformed", pname, iname, err)
			} else if !strings.HasPrefix(err.Error(), "vocab: ") {
				t.Errorf("%s(%s): error lacks context: %v", pname, iname, err)
			}
		}
	}
}

func TestActivityIDsMustBeHTTPURLs(t *testing.T) {
	for name, body := range map[string]string{
		"urn id":        `{"id":"urn:uuid:1","type":"Like","actor":"https://r.example/u/bob"}`,
		"relative id":   `{"id":"/a/1","type":"Like","actor":"https://r.example/u/bob"}`,
		"no id":         `{"type":"Like","actor":"https://r.example/u/bob"}`,
		"numeric id":    `{"id":5,"type":"Like","actor":"https://r.example/u/bob"}`,
		"ftp actor":     `{"id":"https://r.example/a/1","type":"Like","actor":"ftp://r.example/u/bob"}`,
		"no host":       `{"id":"https://r.example/a/1","type":"Like","actor":"https:///u/bob"}`,
		"missing actor": `{"id":"https://r.example/a/1","type":"Like"}`,
	} {
		if _, err := ParseActivity([]byte(body)); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
	// An embedded actor object is accepted through its id.
	a, err := ParseActivity([]byte(`{"id":"https://r.example/a/1","type":"Like","actor":{"id":"https://r.example/u/bob","type":"Person"}}`))
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "Actor", a.Actor, "https://r.example/u/bob")
}

func TestNULBytesStripped(t *testing.T) {
	a, err := ParseActivity(activity(`"type":"Cre\u0000ate","to":["https://r.example/f\u0000"],` +
		`"object":{"id":"https://r.example/n/1","type":"Note","content":"a\u0000b","summary":"c\u0000",` +
		`"tag":[{"type":"Hashtag","name":"#x\u0000"}],"location":{"name":"Hall\u0000","address":{"addressLocality":"Le\u0000eds"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "Type", a.Type, "Create")
	eq(t, "To", a.To, []string{"https://r.example/f"})
	eq(t, "Content", a.Object.Content, "ab")
	eq(t, "Summary", a.Object.Summary, "c")
	eq(t, "Tag name", a.Object.Tags[0].Name, "#x")
	eq(t, "Place", *a.Object.Location, Place{Name: "Hall", Locality: "Leeds", Address: "Leeds"})

	act, err := ParseActor([]byte(`{"id":"https://r.example/u/b","type":"Person","inbox":"https://r.example/u/b/inbox",` +
		`"name":"B\u0000ob","attachment":{"type":"PropertyValue","name":"W\u0000","value":"v\u0000"}}`))
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "Name", act.Name, "Bob")
	eq(t, "Fields (single object)", act.Fields, []Field{{Name: "W", ValueHTML: "v"}})

	c, err := ParseCollectionPage([]byte(`{"id":"https://r.example/f","type":"OrderedCollectionPage","orderedItems":["https://r.example/u/\u0000a"]}`))
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "Items", c.Items, []Item{{IRI: "https://r.example/u/a"}})
}

func TestActorAndKeyRequirements(t *testing.T) {
	if _, err := ParseActor(fixture(t, "gotosocial/main_key.json")); !errors.Is(err, ErrInvalid) {
		t.Errorf("stub Person without inbox: err = %v, want ErrInvalid", err)
	}
	key, err := ParseKeyDocument([]byte(`{"@context":"https://w3id.org/security/v1","id":"https://r.example/keys/1",` +
		`"type":"Key","owner":"https://r.example/u/bob","publicKeyPem":"PEM"}`))
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "bare key", key, PublicKey{ID: "https://r.example/keys/1", Owner: "https://r.example/u/bob", PEM: "PEM"})

	key, err = ParseKeyDocument([]byte(`{"id":"https://r.example/u/bob","type":"Person",` +
		`"publicKey":[{"id":"https://r.example/u/bob#main-key","publicKeyPem":"PEM"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "owner defaults to the holding actor", key.Owner, "https://r.example/u/bob")

	for name, body := range map[string]string{
		"no pem":        `{"id":"https://r.example/keys/1","owner":"https://r.example/u/bob"}`,
		"no owner":      `{"id":"https://r.example/keys/1","publicKeyPem":"PEM"}`,
		"urn owner":     `{"id":"https://r.example/keys/1","owner":"urn:x","publicKeyPem":"PEM"}`,
		"actor, no key": `{"id":"https://r.example/u/bob","type":"Person","inbox":"https://r.example/u/bob/inbox"}`,
	} {
		if _, err := ParseKeyDocument([]byte(body)); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
}

// FuzzParsers checks that no input makes a parser panic, and that a parsed
// activity always has non-nil addressing. The seeds are every fixture.
func FuzzParsers(f *testing.F) {
	for name := range activityFixtures {
		f.Add(fixture(f, name))
	}
	for _, name := range []string{"mastodon_person.json", "mobilizon_event.json", "out_event.json", "gotosocial/outbox_page.json", "gotosocial/main_key.json"} {
		f.Add(fixture(f, name))
	}
	f.Add([]byte(`{"type":{},"id":[],"actor":{"id":7},"object":[null,{"location":[[{}]]}],"to":{"a":1}}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		if a, err := ParseActivity(raw); err == nil && (a.To == nil || a.Cc == nil) {
			t.Error("nil addressing")
		}
		_, _ = ParseObject(raw)
		_, _ = ParseActor(raw)
		_, _ = ParseKeyDocument(raw)
		_, _ = ParseCollectionPage(raw)
	})
}
