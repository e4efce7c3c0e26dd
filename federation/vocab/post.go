package vocab

import (
	"fmt"
	"net/url"
	"time"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"
)

// The four kinds of post an organisation publishes. The kind travels in our
// own "kind" term so that another Commonplace files the post where its author
// did; other servers see only the ActivityStreams type.
const (
	KindMeetupNote = "meetup_note"
	KindGuidance   = "guidance"
	KindEvent      = "event"
	KindUpdate     = "update"
)

// kindTypes is the one mapping from kind to wire type. Long-form posts are
// Article/Page (Mastodon shows their name, summary and link); an update is a
// Note, the only type Mastodon shows in full.
var kindTypes = map[string]string{
	KindMeetupNote: "Article",
	KindGuidance:   "Page",
	KindEvent:      "Event",
	KindUpdate:     "Note",
}

// WireType returns the ActivityStreams type a kind is published as, or "" for
// an unknown kind.
func WireType(kind string) string { return kindTypes[kind] }

// Post is a local post as served at its id and wrapped in Create and Update.
type Post struct {
	// Type is Article, Page, Event or Note; empty means WireType(Kind).
	ID, Type, Kind string
	AttributedTo   string
	// Summary is plain text, written as is. Mastodon shows nothing but name,
	// summary and url of anything but a Note, so Article, Page and Event must
	// have both Name and Summary. On a Note, Mastodon reads summary as a
	// content warning and folds the content behind it.
	Name, Summary string
	// ContentHTML must already be sanitised.
	ContentHTML string
	// Source lets another Commonplace keep the author's Markdown.
	Source             *Source
	URL                string
	Published, Updated time.Time // Updated zero: omitted
	To, Cc             []string
	Tags               []Tag
	Topic              string // guidance topic
	InReplyTo          string

	// Event fields; refused on other types, so nothing is silently dropped.
	StartTime, EndTime time.Time
	// Timezone is an IANA zone; start and end times are written in it.
	Timezone string
	Location *Place
	// OnlineURL is written as Mobilizon's "Website" Link attachment (see
	// event.go for why not as a VirtualLocation).
	OnlineURL string
	// BookingURL is written as joinMode "external" + externalParticipationUrl.
	BookingURL string

	// Replies is embedded with its first page so Mastodon need not fetch it.
	Replies *Replies

	// CanQuote lists who may quote the post without asking (FEP-044f
	// interactionPolicy.canQuote.automaticApproval); empty: no policy.
	CanQuote []string

	// Attachments are the post's images, written as Mastodon and
	// GoToSocial read them.
	Attachments []ImageAttachment
}

// ImageAttachment is one image on a post: Name is its alt text.
type ImageAttachment struct {
	URL, MediaType, Name, Blurhash string
	Width, Height                  int
}

// Source is AS2 source: the text the content was rendered from.
type Source struct {
	Content, MediaType string
}

// Replies is a post's replies collection and its embedded first page.
type Replies struct {
	ID, FirstID string
	Items       []string // reply IRIs
	Next        string
}

// MarshalPost renders the document served at the post's id.
func MarshalPost(p Post) ([]byte, error) {
	m, err := postMap(p)
	if err != nil {
		return nil, err
	}
	return finish(m)
}

// postBuilder is the part of go-fed's generated object interfaces we set;
// Article, Page, Event and Note all have these setters.
type postBuilder interface {
	vocab.Type
	SetActivityStreamsAttributedTo(vocab.ActivityStreamsAttributedToProperty)
	SetActivityStreamsName(vocab.ActivityStreamsNameProperty)
	SetActivityStreamsSummary(vocab.ActivityStreamsSummaryProperty)
	SetActivityStreamsContent(vocab.ActivityStreamsContentProperty)
	SetActivityStreamsSource(vocab.ActivityStreamsSourceProperty)
	SetActivityStreamsUrl(vocab.ActivityStreamsUrlProperty)
	SetActivityStreamsPublished(vocab.ActivityStreamsPublishedProperty)
	SetActivityStreamsUpdated(vocab.ActivityStreamsUpdatedProperty)
	SetActivityStreamsTo(vocab.ActivityStreamsToProperty)
	SetActivityStreamsCc(vocab.ActivityStreamsCcProperty)
	SetActivityStreamsInReplyTo(vocab.ActivityStreamsInReplyToProperty)
	SetActivityStreamsReplies(vocab.ActivityStreamsRepliesProperty)
	eventBuilder
}

func newPostBuilder(typ string) postBuilder {
	switch typ {
	case "Article":
		return streams.NewActivityStreamsArticle()
	case "Page":
		return streams.NewActivityStreamsPage()
	case "Event":
		return streams.NewActivityStreamsEvent()
	case "Note":
		return streams.NewActivityStreamsNote()
	}
	return nil
}

// postMap builds the post as a map without finishing it, so activities can
// embed it.
func postMap(p Post) (map[string]any, error) {
	typ, iris, err := checkPost(p)
	if err != nil {
		return nil, fmt.Errorf("vocab: marshal post %s: %w", p.ID, err)
	}
	b := newPostBuilder(typ)
	b.SetJSONLDId(idProp(iris["id"]))
	at := streams.NewActivityStreamsAttributedToProperty()
	at.AppendIRI(iris["attributedTo"])
	b.SetActivityStreamsAttributedTo(at)
	if p.Name != "" {
		np := streams.NewActivityStreamsNameProperty()
		np.AppendXMLSchemaString(p.Name)
		b.SetActivityStreamsName(np)
	}
	if p.Summary != "" {
		sp := streams.NewActivityStreamsSummaryProperty()
		sp.AppendXMLSchemaString(p.Summary)
		b.SetActivityStreamsSummary(sp)
	}
	if p.ContentHTML != "" {
		cp := streams.NewActivityStreamsContentProperty()
		cp.AppendXMLSchemaString(p.ContentHTML)
		b.SetActivityStreamsContent(cp)
	}
	if p.Source != nil {
		b.SetActivityStreamsSource(sourceProp(*p.Source))
	}
	if u := iris["url"]; u != nil {
		up := streams.NewActivityStreamsUrlProperty()
		up.AppendIRI(u)
		b.SetActivityStreamsUrl(up)
	}
	if !p.Published.IsZero() {
		pp := streams.NewActivityStreamsPublishedProperty()
		pp.Set(p.Published.UTC())
		b.SetActivityStreamsPublished(pp)
	}
	if !p.Updated.IsZero() {
		up := streams.NewActivityStreamsUpdatedProperty()
		up.Set(p.Updated.UTC())
		b.SetActivityStreamsUpdated(up)
	}
	to, cc, err := addressing(p.To, p.Cc)
	if err != nil {
		return nil, fmt.Errorf("vocab: marshal post %s: %w", p.ID, err)
	}
	b.SetActivityStreamsTo(to)
	if cc != nil {
		b.SetActivityStreamsCc(cc)
	}
	if u := iris["inReplyTo"]; u != nil {
		rp := streams.NewActivityStreamsInReplyToProperty()
		rp.AppendIRI(u)
		b.SetActivityStreamsInReplyTo(rp)
	}
	if p.Replies != nil {
		rp, err := repliesProp(*p.Replies)
		if err != nil {
			return nil, fmt.Errorf("vocab: marshal post %s: %w", p.ID, err)
		}
		b.SetActivityStreamsReplies(rp)
	}
	if typ == "Event" {
		if err := setEvent(b, p); err != nil {
			return nil, fmt.Errorf("vocab: marshal post %s: %w", p.ID, err)
		}
	}

	m, err := streams.Serialize(b)
	if err != nil {
		return nil, fmt.Errorf("vocab: marshal post %s: %w", p.ID, err)
	}
	// go-fed types source as an Object; AS2's example and the servers that
	// send source (Misskey, Lemmy) write only content and mediaType.
	if src, ok := m["source"].(map[string]any); ok {
		delete(src, "type")
	}
	// Terms go-fed v1.0.0 does not model.
	if p.Kind != "" {
		m["kind"] = p.Kind
	}
	if p.Topic != "" {
		m["topic"] = p.Topic
	}
	if len(p.Tags) > 0 {
		m["tag"] = tagsOut(p.Tags)
	}
	if p.Replies != nil {
		ensureEmptyItems(m)
	}
	if typ == "Event" {
		addEventTerms(m, p)
	}
	if len(p.CanQuote) > 0 {
		m["interactionPolicy"] = quotePolicy(p.CanQuote)
	}
	addAttachments(m, p.Attachments)
	return m, nil
}

// checkPost validates p and returns its wire type and parsed IRIs.
func checkPost(p Post) (string, map[string]*url.URL, error) {
	if p.Kind != "" && kindTypes[p.Kind] == "" {
		return "", nil, fmt.Errorf("%w: unknown kind %q", ErrInvalid, p.Kind)
	}
	typ := p.Type
	if typ == "" {
		typ = kindTypes[p.Kind]
	}
	if newPostBuilder(typ) == nil {
		return "", nil, fmt.Errorf("%w: post type %q (want Article, Page, Event or Note)", ErrUnsupportedType, typ)
	}
	if p.Kind != "" && kindTypes[p.Kind] != typ {
		return "", nil, fmt.Errorf("%w: kind %s is published as %s, not %s", ErrInvalid, p.Kind, kindTypes[p.Kind], typ)
	}
	if typ != "Note" && (p.Name == "" || p.Summary == "") {
		return "", nil, fmt.Errorf("%w: a %s needs name and summary: Mastodon shows nothing else", ErrInvalid, typ)
	}
	if len(p.To) == 0 {
		return "", nil, fmt.Errorf("%w: to is empty", ErrInvalid)
	}
	if typ != "Event" && hasEventFields(p) {
		return "", nil, fmt.Errorf("%w: event fields on a %s", ErrInvalid, typ)
	}
	iris, err := parseIRIs(map[string]string{"id": p.ID, "attributedTo": p.AttributedTo},
		map[string]string{"url": p.URL, "inReplyTo": p.InReplyTo})
	if err != nil {
		return "", nil, err
	}
	for _, t := range p.Tags {
		if t.Type == "" || t.Name == "" {
			return "", nil, fmt.Errorf("%w: tag %+v needs a type and a name", ErrInvalid, t)
		}
		if t.Href != "" && !isHTTPURL(t.Href) {
			return "", nil, fmt.Errorf("%w: tag href %q is not an absolute http(s) URL", ErrInvalid, t.Href)
		}
	}
	return typ, iris, nil
}

// addressing builds to and cc; cc is nil when empty.
func addressing(to, cc []string) (vocab.ActivityStreamsToProperty, vocab.ActivityStreamsCcProperty, error) {
	tp := streams.NewActivityStreamsToProperty()
	for _, s := range to {
		u, ok := httpURL(s)
		if !ok {
			return nil, nil, fmt.Errorf("%w: to %q is not an absolute http(s) URL", ErrInvalid, s)
		}
		tp.AppendIRI(u)
	}
	if len(cc) == 0 {
		return tp, nil, nil
	}
	cp := streams.NewActivityStreamsCcProperty()
	for _, s := range cc {
		u, ok := httpURL(s)
		if !ok {
			return nil, nil, fmt.Errorf("%w: cc %q is not an absolute http(s) URL", ErrInvalid, s)
		}
		cp.AppendIRI(u)
	}
	return tp, cp, nil
}

// sourceProp writes source {content, mediaType}; mediaType defaults to
// text/markdown, the only source Commonplace keeps.
func sourceProp(s Source) vocab.ActivityStreamsSourceProperty {
	o := streams.NewActivityStreamsObject()
	c := streams.NewActivityStreamsContentProperty()
	c.AppendXMLSchemaString(s.Content)
	o.SetActivityStreamsContent(c)
	mt := streams.NewActivityStreamsMediaTypeProperty()
	if s.MediaType == "" {
		s.MediaType = "text/markdown"
	}
	mt.Set(s.MediaType)
	o.SetActivityStreamsMediaType(mt)
	p := streams.NewActivityStreamsSourceProperty()
	p.SetActivityStreamsObject(o)
	return p
}

// tagsOut writes tags as plain maps: go-fed v1.0.0 has no Hashtag type.
func tagsOut(tags []Tag) []any {
	out := make([]any, len(tags))
	for i, t := range tags {
		m := map[string]any{"type": t.Type, "name": t.Name}
		if t.Href != "" {
			m["href"] = t.Href
		}
		out[i] = m
	}
	return out
}

// addAttachments writes images as Document attachments with Mastodon's
// blurhash, width and height, after any the event terms put there, and the
// first as the post's image (the picture link previews and event cards use).
func addAttachments(m map[string]any, atts []ImageAttachment) {
	if len(atts) == 0 {
		return
	}
	var list []any
	switch prev := m["attachment"].(type) {
	case []any:
		list = prev
	case map[string]any:
		list = []any{prev}
	}
	for _, a := range atts {
		doc := map[string]any{"type": "Document", "mediaType": a.MediaType, "url": a.URL, "name": a.Name}
		if a.Blurhash != "" {
			doc["blurhash"] = a.Blurhash
		}
		if a.Width > 0 && a.Height > 0 {
			doc["width"], doc["height"] = a.Width, a.Height
		}
		list = append(list, doc)
	}
	m["attachment"] = list
	m["image"] = map[string]any{"type": "Image", "mediaType": atts[0].MediaType, "url": atts[0].URL, "name": atts[0].Name}
}
