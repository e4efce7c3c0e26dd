package vocab

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/go-fed/activity/streams"
)

// Activity is an incoming activity, as delivered to an inbox or found in an
// outbox page.
type Activity struct {
	ID, Type, Actor string
	// ObjectIRI is the object's IRI, whether it was sent as an IRI or as an
	// embedded object with an id.
	ObjectIRI string
	// Object is set when the object was embedded: the Note of a Create, the
	// Follow of an Undo or Accept, the Tombstone of a Delete...
	Object *Object
	Target string
	// To and Cc are never nil, whatever shape the payload used.
	To, Cc    []string
	Published time.Time
	// Raw is a copy of exactly the bytes received: keep it for the signature
	// digest and for forwarding.
	Raw json.RawMessage
}

// ParseActivity reads an activity. id and actor must be absolute http(s)
// URLs (ErrInvalid). A type that go-fed knows as a non-activity (a bare Note)
// is ErrUnsupportedType. A type nobody here knows (EmojiReact, a new FEP) is
// not an error: the Activity comes back with Type and the generic fields
// read, and the caller ignores types it does not handle.
func ParseActivity(raw []byte) (*Activity, error) {
	m, err := decodeObject(raw)
	if err != nil {
		return nil, fmt.Errorf("vocab: parse activity: %w", err)
	}
	a := &Activity{
		ID:        canonIRI(str(m, "id")),
		Type:      typeName(m),
		Actor:     canonIRI(ref(m["actor"])),
		ObjectIRI: canonIRI(ref(m["object"])),
		Target:    canonIRI(ref(m["target"])),
		To:        refs(m["to"]),
		Cc:        refs(m["cc"]),
		Published: timeOf(m, "published"),
		Raw:       append(json.RawMessage(nil), raw...),
	}
	if a.Type == "" {
		return nil, fmt.Errorf("vocab: parse activity %s: %w: no type", a.ID, ErrInvalid)
	}
	if !isHTTPURL(a.ID) {
		return nil, fmt.Errorf("vocab: parse %s activity: %w: id %q is not an absolute http(s) URL", a.Type, ErrInvalid, a.ID)
	}
	if !isHTTPURL(a.Actor) {
		return nil, fmt.Errorf("vocab: parse %s activity %s: %w: actor %q is not an absolute http(s) URL", a.Type, a.ID, ErrInvalid, a.Actor)
	}
	if err := checkActivityType(m, a.Type, a.ID); err != nil {
		return nil, fmt.Errorf("vocab: parse activity %s: %w", a.ID, err)
	}
	if obj := embedded(m["object"]); obj != nil {
		a.Object = objectFromMap(obj, embeddedRaw(raw))
	}
	return a, nil
}

// checkActivityType asks go-fed whether typ is an ActivityStreams activity.
// go-fed is given only the core (@context, type, id): typing the whole
// document would cost five times the JSON decode and fail on real payloads
// (extension types in tag, missing @context), and every field we keep is
// read from the map anyway. An unknown type passes; a known non-activity fails.
func checkActivityType(m map[string]any, typ, id string) error {
	ctx, ok := m["@context"]
	if !ok {
		// Outbox items and embedded activities often come without one; go-fed
		// refuses a document without it.
		ctx = ActivityStreamsNS
	}
	return rememberedVerdict(ctx, typ, func() error {
		t, err := streams.ToType(context.Background(), map[string]any{
			"@context": ctx, "type": typ, "id": id,
		})
		switch {
		case streams.IsUnmatchedErr(err):
			return nil
		case err != nil:
			return fmt.Errorf("%w: %w", ErrInvalid, err)
		case !streams.IsOrExtendsActivityStreamsActivity(t):
			return fmt.Errorf("%w: %s is not an activity", ErrUnsupportedType, typ)
		}
		return nil
	})
}

// embedded returns the object when it was sent as a document rather than an
// IRI (the first document when it is an array).
func embedded(v any) map[string]any {
	switch t := v.(type) {
	case map[string]any:
		return t
	case []any:
		for _, e := range t {
			if o, ok := e.(map[string]any); ok {
				return o
			}
		}
	}
	return nil
}

// embeddedRaw returns the bytes of the embedded object as sent (the first
// document when "object" is an array). Decoding into a RawMessage skips the
// rest of the document without building it: a scan, not a second decode.
func embeddedRaw(raw []byte) json.RawMessage {
	var doc struct {
		Object json.RawMessage `json:"object"`
	}
	if json.Unmarshal(raw, &doc) != nil {
		return nil
	}
	if len(doc.Object) == 0 || doc.Object[0] != '[' {
		return doc.Object
	}
	var list []json.RawMessage
	if json.Unmarshal(doc.Object, &list) != nil {
		return nil
	}
	for _, e := range list {
		if len(e) > 0 && e[0] == '{' {
			return e
		}
	}
	return nil
}
