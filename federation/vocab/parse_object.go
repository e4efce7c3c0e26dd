package vocab

import (
	"encoding/json"
	"fmt"
	"time"
)

// Object is an embedded or fetched object: a Note, Article, Page, Event,
// Tombstone... or an activity embedded in another (the Follow inside an Undo
// or Accept), for which Type, ID, Actor and ObjectIRI are the useful fields.
type Object struct {
	ID, Type, Actor, ObjectIRI, AttributedTo string
	Name, Summary                            string
	// Content is content, or contentMap's "en" (else first) value when
	// content is missing. HTML from a remote server: sanitise before display.
	Content            string
	URL, InReplyTo     string
	MediaType          string
	Published, Updated time.Time
	To, Cc             []string
	Sensitive          bool
	Tags               []Tag
	Attachments        []Attachment

	// Commonplace terms: the post's kind (only the four known values are
	// kept) and a guidance post's topic.
	Kind, Topic string
	// Source is the text the content was rendered from (Markdown from
	// another Commonplace); nil when absent.
	Source *Source

	// Event properties (Mobilizon, Gancio, FEP-8a8e).
	StartTime, EndTime time.Time
	Timezone           string
	Location           *Place
	// OnlineURL is a VirtualLocation's url (FEP-8a8e, Gancio) or Mobilizon's
	// "Website" Link attachment.
	OnlineURL string
	// JoinMode is as sent (free, restricted, invite, external, none);
	// BookingURL is externalParticipationUrl, kept unless joinMode says
	// participation is not external.
	JoinMode, BookingURL string

	// Tombstone properties.
	FormerType string
	Deleted    time.Time

	RepliesIRI string
	// Replies is set when the replies collection was embedded; its first
	// page's items are there when that page was embedded too.
	Replies *Replies
	// Raw is the object's JSON: the bytes given to ParseObject, or the
	// embedded document's own bytes within the enclosing activity.
	Raw json.RawMessage
}

// Tag is one entry of tag: a Mention (Href is the actor), a Hashtag (Name is
// "#x"), an Emoji...
type Tag struct {
	Type, Name, Href string
}

// Attachment is one entry of attachment (media, a Link, or a PropertyValue
// on actors). URL is the url of media and the href of a Link.
type Attachment struct {
	Type, MediaType, URL, Name string
	// Blurhash, Width and Height describe an image (Mastodon's terms); zero
	// when not sent.
	Blurhash      string
	Width, Height int
	// Summary is where GoToSocial (and Mastodon, from 4.4) put an image's
	// description; it may hold HTML. Name is the older place.
	Summary string
}

// ParseObject reads a fetched object. It accepts any type, including ones we
// do not know: the caller decides from Type what to keep. The id must be an
// absolute http(s) URL, since that is what the object will be stored under.
func ParseObject(raw []byte) (*Object, error) {
	m, err := decodeObject(raw)
	if err != nil {
		return nil, fmt.Errorf("vocab: parse object: %w", err)
	}
	o := objectFromMap(m, append(json.RawMessage(nil), raw...))
	if o.Type == "" {
		return nil, fmt.Errorf("vocab: parse object %s: %w: no type", o.ID, ErrInvalid)
	}
	if !isHTTPURL(o.ID) {
		return nil, fmt.Errorf("vocab: parse object: %w: id %q is not an absolute http(s) URL", ErrInvalid, o.ID)
	}
	return o, nil
}

// objectFromMap reads every Object field it can from m; it does not validate.
func objectFromMap(m map[string]any, raw json.RawMessage) *Object {
	o := &Object{
		ID:           canonIRI(str(m, "id")),
		Type:         typeName(m),
		Actor:        canonIRI(ref(m["actor"])),
		ObjectIRI:    canonIRI(ref(m["object"])),
		AttributedTo: canonIRI(ref(m["attributedTo"])),
		Name:         langStr(m, "name"),
		Summary:      langStr(m, "summary"),
		Content:      langStr(m, "content"),
		InReplyTo:    cleanURL(ref(m["inReplyTo"])),
		MediaType:    str(m, "mediaType"),
		Published:    timeOf(m, "published"),
		Updated:      timeOf(m, "updated"),
		To:           refs(m["to"]),
		Cc:           refs(m["cc"]),
		Sensitive:    boolOf(m, "sensitive"),
		StartTime:    timeOf(m, "startTime"),
		EndTime:      timeOf(m, "endTime"),
		Timezone:     str(m, "timezone"),
		Location:     placeOf(m["location"]),
		Kind:         kindOf(m),
		Topic:        str(m, "topic"),
		Source:       sourceOf(m["source"]),
		OnlineURL:    onlineURLOf(m),
		JoinMode:     str(m, "joinMode"),
		BookingURL:   bookingURLOf(m),
		FormerType:   str(m, "formerType"),
		Deleted:      timeOf(m, "deleted"),
		RepliesIRI:   cleanURL(ref(m["replies"])),
		Replies:      repliesOf(m["replies"]),
		Raw:          raw,
	}
	// A url elsewhere than the object's own server would send readers
	// somewhere its author does not speak for; the id is the link then.
	o.URL = ownURL(link(m["url"]), o.ID)
	for _, t := range maps(m["tag"]) {
		o.Tags = append(o.Tags, Tag{Type: typeName(t), Name: str(t, "name"), Href: cleanURL(link(t["href"]))})
	}
	for _, a := range maps(m["attachment"]) {
		o.Attachments = append(o.Attachments, Attachment{
			Type: typeName(a), MediaType: str(a, "mediaType"), URL: cleanURL(link(a)), Name: str(a, "name"),
			Blurhash: str(a, "blurhash"), Width: dimension(a["width"]), Height: dimension(a["height"]),
			Summary: str(a, "summary"),
		})
	}
	return o
}
