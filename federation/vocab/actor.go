package vocab

import (
	"fmt"
	"net/url"
	"time"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"
)

// Actor is what we serve for a local actor: an organisation ("Organization")
// or the instance actor that signs our fetches ("Application").
type Actor struct {
	ID, Type, PreferredUsername, Name, SummaryHTML, URL string
	Inbox, Outbox, Followers, Following, SharedInbox    string
	// Featured is Mastodon's collection of pinned posts. GoToSocial and
	// Mastodon fetch it before following; we pin nothing, so it is empty.
	Featured                                           string
	PublicKeyID, PublicKeyPEM                          string
	ManuallyApprovesFollowers, Discoverable, Indexable bool
	Published                                          time.Time
	// Fields become PropertyValue attachments, shown by Mastodon as profile
	// metadata (e.g. the organisation's website).
	Fields []Field
	// AttributionDomains are the hosts whose pages may credit this actor in
	// fediverse:creator; Mastodon shows the credit only for those.
	AttributionDomains []string
	// Icon and Image are the avatar and the profile header; nil for none.
	Icon, Image *ImageRef
}

// ImageRef points at a picture we serve, as Mastodon reads an actor's icon
// and image: an Image with a mediaType and a url.
type ImageRef struct {
	URL, MediaType string
}

// Field is one profile metadata row. ValueHTML must already be sanitised.
type Field struct {
	Name, ValueHTML string
}

// actorBuilder is the part of go-fed's generated actor interfaces we set.
// Every actor type has these setters; naming them lets one function build any.
type actorBuilder interface {
	vocab.Type
	SetActivityStreamsPreferredUsername(vocab.ActivityStreamsPreferredUsernameProperty)
	SetActivityStreamsName(vocab.ActivityStreamsNameProperty)
	SetActivityStreamsSummary(vocab.ActivityStreamsSummaryProperty)
	SetActivityStreamsUrl(vocab.ActivityStreamsUrlProperty)
	SetActivityStreamsInbox(vocab.ActivityStreamsInboxProperty)
	SetActivityStreamsOutbox(vocab.ActivityStreamsOutboxProperty)
	SetActivityStreamsFollowers(vocab.ActivityStreamsFollowersProperty)
	SetActivityStreamsFollowing(vocab.ActivityStreamsFollowingProperty)
	SetActivityStreamsPublished(vocab.ActivityStreamsPublishedProperty)
	SetTootDiscoverable(vocab.TootDiscoverableProperty)
	SetW3IDSecurityV1PublicKey(vocab.W3IDSecurityV1PublicKeyProperty)
}

func newActorBuilder(typ string) (actorBuilder, error) {
	switch typ {
	case "Organization":
		return streams.NewActivityStreamsOrganization(), nil
	case "Application":
		return streams.NewActivityStreamsApplication(), nil
	case "Group":
		return streams.NewActivityStreamsGroup(), nil
	case "Person":
		return streams.NewActivityStreamsPerson(), nil
	case "Service":
		return streams.NewActivityStreamsService(), nil
	}
	return nil, fmt.Errorf("%w: actor type %q", ErrUnsupportedType, typ)
}

// MarshalActor renders a local actor with every property Mastodon reads
// (INTEROP §1). It refuses an actor Mastodon would drop: no valid id, inbox,
// username or key.
func MarshalActor(a Actor) ([]byte, error) {
	b, err := newActorBuilder(a.Type)
	if err != nil {
		return nil, fmt.Errorf("vocab: marshal actor: %w", err)
	}
	iris, err := parseIRIs(map[string]string{
		"id": a.ID, "inbox": a.Inbox, "publicKey.id": a.PublicKeyID,
	}, map[string]string{
		"url": a.URL, "outbox": a.Outbox, "followers": a.Followers,
		"following": a.Following, "sharedInbox": a.SharedInbox,
	})
	if err != nil {
		return nil, fmt.Errorf("vocab: marshal actor: %w", err)
	}
	if a.PreferredUsername == "" || a.PublicKeyPEM == "" {
		return nil, fmt.Errorf("vocab: marshal actor %s: %w: preferredUsername and publicKeyPem are required", a.ID, ErrInvalid)
	}

	b.SetJSONLDId(idProp(iris["id"]))
	pu := streams.NewActivityStreamsPreferredUsernameProperty()
	pu.SetXMLSchemaString(a.PreferredUsername)
	b.SetActivityStreamsPreferredUsername(pu)
	if a.Name != "" {
		p := streams.NewActivityStreamsNameProperty()
		p.AppendXMLSchemaString(a.Name)
		b.SetActivityStreamsName(p)
	}
	if a.SummaryHTML != "" {
		p := streams.NewActivityStreamsSummaryProperty()
		p.AppendXMLSchemaString(a.SummaryHTML)
		b.SetActivityStreamsSummary(p)
	}
	if u := iris["url"]; u != nil {
		p := streams.NewActivityStreamsUrlProperty()
		p.AppendIRI(u)
		b.SetActivityStreamsUrl(p)
	}
	inbox := streams.NewActivityStreamsInboxProperty()
	inbox.SetIRI(iris["inbox"])
	b.SetActivityStreamsInbox(inbox)
	if u := iris["outbox"]; u != nil {
		p := streams.NewActivityStreamsOutboxProperty()
		p.SetIRI(u)
		b.SetActivityStreamsOutbox(p)
	}
	if u := iris["followers"]; u != nil {
		p := streams.NewActivityStreamsFollowersProperty()
		p.SetIRI(u)
		b.SetActivityStreamsFollowers(p)
	}
	if u := iris["following"]; u != nil {
		p := streams.NewActivityStreamsFollowingProperty()
		p.SetIRI(u)
		b.SetActivityStreamsFollowing(p)
	}
	if !a.Published.IsZero() {
		p := streams.NewActivityStreamsPublishedProperty()
		p.Set(a.Published.UTC())
		b.SetActivityStreamsPublished(p)
	}
	disc := streams.NewTootDiscoverableProperty()
	disc.Set(a.Discoverable)
	b.SetTootDiscoverable(disc)
	b.SetW3IDSecurityV1PublicKey(publicKeyProp(iris["publicKey.id"], iris["id"], a.PublicKeyPEM))

	m, err := streams.Serialize(b)
	if err != nil {
		return nil, fmt.Errorf("vocab: marshal actor %s: %w", a.ID, err)
	}
	// go-fed v1.0.0 has no manuallyApprovesFollowers, indexable, endpoints
	// or PropertyValue: add them to the serialised map.
	m["manuallyApprovesFollowers"] = a.ManuallyApprovesFollowers
	if a.Featured != "" {
		m["featured"] = a.Featured
	}
	m["indexable"] = a.Indexable
	if a.SharedInbox != "" {
		m["endpoints"] = map[string]any{"sharedInbox": a.SharedInbox}
	}
	if len(a.Fields) > 0 {
		fields := make([]any, len(a.Fields))
		for i, f := range a.Fields {
			fields[i] = map[string]any{"type": "PropertyValue", "name": f.Name, "value": f.ValueHTML}
		}
		m["attachment"] = fields
	}
	for prop, img := range map[string]*ImageRef{"icon": a.Icon, "image": a.Image} {
		if img != nil {
			m[prop] = map[string]any{"type": "Image", "mediaType": img.MediaType, "url": img.URL}
		}
	}
	if len(a.AttributionDomains) > 0 {
		domains := make([]any, len(a.AttributionDomains))
		for i, d := range a.AttributionDomains {
			domains[i] = d
		}
		m["attributionDomains"] = domains
	}
	return finish(m)
}

func publicKeyProp(id, owner *url.URL, pem string) vocab.W3IDSecurityV1PublicKeyProperty {
	key := streams.NewW3IDSecurityV1PublicKey()
	key.SetJSONLDId(idProp(id))
	o := streams.NewW3IDSecurityV1OwnerProperty()
	o.Set(owner)
	key.SetW3IDSecurityV1Owner(o)
	p := streams.NewW3IDSecurityV1PublicKeyPemProperty()
	p.Set(pem)
	key.SetW3IDSecurityV1PublicKeyPem(p)
	prop := streams.NewW3IDSecurityV1PublicKeyProperty()
	prop.AppendW3IDSecurityV1PublicKey(key)
	return prop
}

func idProp(u *url.URL) vocab.JSONLDIdProperty {
	p := streams.NewJSONLDIdProperty()
	p.Set(u)
	return p
}

// parseIRIs checks that the required values are absolute http(s) URLs and
// that the optional ones are too when set; it returns them parsed, by name.
func parseIRIs(required, optional map[string]string) (map[string]*url.URL, error) {
	out := make(map[string]*url.URL, len(required)+len(optional))
	for name, s := range required {
		u, ok := httpURL(s)
		if !ok {
			return nil, fmt.Errorf("%w: %s %q is not an absolute http(s) URL", ErrInvalid, name, s)
		}
		out[name] = u
	}
	for name, s := range optional {
		if s == "" {
			continue
		}
		u, ok := httpURL(s)
		if !ok {
			return nil, fmt.Errorf("%w: %s %q is not an absolute http(s) URL", ErrInvalid, name, s)
		}
		out[name] = u
	}
	return out, nil
}
