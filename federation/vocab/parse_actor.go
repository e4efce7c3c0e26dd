package vocab

import (
	"encoding/json"
	"fmt"
	"time"
)

// RemoteActor is an actor document fetched from another server.
type RemoteActor struct {
	ID, Type, PreferredUsername, Name, Summary, URL string
	Inbox, Outbox, Followers, Following             string
	// SharedInbox is empty when the server has none (GoToSocial): deliver to
	// Inbox then.
	SharedInbox                                        string
	IconURL                                            string
	PublicKey                                          PublicKey
	ManuallyApprovesFollowers, Discoverable, Indexable bool
	Published                                          time.Time
	// Fields are the PropertyValue attachments (profile metadata).
	Fields []Field
	Raw    json.RawMessage
}

// PublicKey is an actor's HTTP-signature key as published.
type PublicKey struct {
	ID, Owner, PEM string
}

// actorTypes are the types Mastodon accepts as actors (INTEROP §1).
var actorTypes = map[string]bool{
	"Person": true, "Organization": true, "Group": true, "Service": true, "Application": true,
}

// ParseActor reads an actor document. Its type must be one of the five actor
// types (ErrUnsupportedType otherwise) and it must have an absolute http(s)
// id and inbox (ErrInvalid): without an inbox we could never deliver to it.
// Checking publicKey.Owner against ID is left to the signature verifier.
func ParseActor(raw []byte) (*RemoteActor, error) {
	m, err := decodeObject(raw)
	if err != nil {
		return nil, fmt.Errorf("vocab: parse actor: %w", err)
	}
	a := &RemoteActor{
		ID:                        canonIRI(str(m, "id")),
		Type:                      typeName(m),
		PreferredUsername:         str(m, "preferredUsername"),
		Name:                      langStr(m, "name"),
		Summary:                   langStr(m, "summary"),
		IconURL:                   cleanURL(link(m["icon"])),
		ManuallyApprovesFollowers: boolOf(m, "manuallyApprovesFollowers"),
		Discoverable:              boolOf(m, "discoverable"),
		Indexable:                 boolOf(m, "indexable"),
		Published:                 timeOf(m, "published"),
		Raw:                       append(json.RawMessage(nil), raw...),
	}
	// Endpoints and the profile page live on the actor's own server; one
	// elsewhere would let a document speak for, or receive for, another.
	a.URL = ownURL(link(m["url"]), a.ID)
	a.Inbox = ownURL(ref(m["inbox"]), a.ID)
	a.Outbox = ownURL(ref(m["outbox"]), a.ID)
	a.Followers = ownURL(ref(m["followers"]), a.ID)
	a.Following = ownURL(ref(m["following"]), a.ID)
	if !actorTypes[a.Type] {
		return nil, fmt.Errorf("vocab: parse actor %s: %w: %q is not an actor type", a.ID, ErrUnsupportedType, a.Type)
	}
	if !isHTTPURL(a.ID) {
		return nil, fmt.Errorf("vocab: parse actor: %w: id %q is not an absolute http(s) URL", ErrInvalid, a.ID)
	}
	if !isHTTPURL(a.Inbox) {
		return nil, fmt.Errorf("vocab: parse actor %s: %w: inbox %q is not an http(s) URL on its own server", a.ID, ErrInvalid, ref(m["inbox"]))
	}
	if endpoints, ok := m["endpoints"].(map[string]any); ok {
		a.SharedInbox = ownURL(ref(endpoints["sharedInbox"]), a.ID)
	}
	if key := firstMap(m["publicKey"]); key != nil {
		a.PublicKey = keyFromMap(key, a.ID)
	}
	for _, att := range maps(m["attachment"]) {
		if typeName(att) == "PropertyValue" {
			a.Fields = append(a.Fields, Field{Name: str(att, "name"), ValueHTML: str(att, "value")})
		}
	}
	return a, nil
}

// ParseKeyDocument reads what a signature's keyId dereferences to: a full
// actor (Mastodon's #main-key fragment), GoToSocial's stub Person holding
// only preferredUsername and publicKey, or a bare key {id, owner,
// publicKeyPem}. The key must have a PEM and an absolute http(s) owner.
func ParseKeyDocument(raw []byte) (PublicKey, error) {
	m, err := decodeObject(raw)
	if err != nil {
		return PublicKey{}, fmt.Errorf("vocab: parse key document: %w", err)
	}
	var key PublicKey
	if km := firstMap(m["publicKey"]); km != nil {
		key = keyFromMap(km, canonIRI(str(m, "id")))
	} else {
		key = keyFromMap(m, "")
	}
	if key.PEM == "" {
		return PublicKey{}, fmt.Errorf("vocab: parse key document %s: %w: no publicKeyPem", str(m, "id"), ErrInvalid)
	}
	if !isHTTPURL(key.Owner) {
		return PublicKey{}, fmt.Errorf("vocab: parse key document %s: %w: owner %q is not an absolute http(s) URL", key.ID, ErrInvalid, key.Owner)
	}
	return key, nil
}

// keyFromMap reads a key object. A key embedded in an actor document without
// an owner belongs to that actor (holder); a bare key must name its owner.
func keyFromMap(m map[string]any, holder string) PublicKey {
	k := PublicKey{ID: canonIRI(str(m, "id")), Owner: canonIRI(ref(m["owner"])), PEM: str(m, "publicKeyPem")}
	if k.Owner == "" {
		k.Owner = holder
	}
	return k
}

// firstMap returns v as an object, or the first object of an array (a few
// servers publish several keys).
func firstMap(v any) map[string]any {
	if ms := maps(v); len(ms) > 0 {
		return ms[0]
	}
	return nil
}
