package vocab

import (
	"errors"
	"strings"
	"testing"
	"time"
)

const (
	cpHost      = "https://leeds.commonplace.example"
	cpOrg       = cpHost + "/orgs/hscleeds"
	cpFollowers = cpOrg + "/followers"
)

func london(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// sampleEvent is the golden event: an evening meetup on a Tuesday in May,
// so the times carry British Summer Time's +01:00.
func sampleEvent(t testing.TB) Post {
	id := cpHost + "/posts/01JT8Q4M2E"
	lat, long := 53.8296, -1.5381
	return Post{
		ID: id, Kind: KindEvent, AttributedTo: cpOrg,
		Name: "#HSCLeeds Tweet Meet",
		Summary: "Tuesday 19 May 2026, 6:30pm to 8:30pm at Tech North, Chapel Allerton, Leeds. " +
			"An informal evening for people in health and social care who post about their work. Free, booking needed.",
		ContentHTML: "<p>Come and meet the people behind the accounts you follow. We start with a quick round of " +
			"introductions, then two five-minute talks from local teams on what posting in public has taught them, " +
			"and leave the rest of the evening for conversation.</p>\n" +
			"<p>Tea, coffee and soft drinks are on us. The room is step-free; tell us about any access needs " +
			"when you book.</p>",
		Source: &Source{
			Content: "Come and meet the people behind the accounts you follow. We start with a quick round of " +
				"introductions, then two five-minute talks from local teams on what posting in public has taught them, " +
				"and leave the rest of the evening for conversation.\n\n" +
				"Tea, coffee and soft drinks are on us. The room is step-free; tell us about any access needs " +
				"when you book.",
			MediaType: "text/markdown",
		},
		URL:       cpHost + "/@hscleeds/events/tweet-meet-may-2026",
		Published: time.Date(2026, 4, 28, 9, 15, 0, 0, time.UTC),
		To:        []string{PublicIRI}, Cc: []string{cpFollowers},
		Tags: []Tag{
			{Type: "Hashtag", Name: "#HSCLeeds", Href: cpHost + "/tags/HSCLeeds"},
			{Type: "Hashtag", Name: "#TweetMeet", Href: cpHost + "/tags/TweetMeet"},
		},
		StartTime: time.Date(2026, 5, 19, 18, 30, 0, 0, london(t)),
		EndTime:   time.Date(2026, 5, 19, 20, 30, 0, 0, london(t)),
		Timezone:  "Europe/London",
		Location: &Place{
			Name: "Tech North", StreetAddress: "Chapel Allerton", Locality: "Leeds", PostalCode: "LS7",
			Region: "West Yorkshire", Country: "United Kingdom", Latitude: &lat, Longitude: &long,
		},
		OnlineURL:  "https://stream.example/hscleeds/tweet-meet-may",
		BookingURL: "https://tickets.example/e/hscleeds-tweet-meet-may",
		Replies:    &Replies{ID: id + "/replies"},
	}
}

// sampleArticle is the golden meetup note: a write-up that has been edited
// once and has had a reply.
func sampleArticle() Post {
	id := cpHost + "/posts/01JS2K7V9C"
	return Post{
		ID: id, Kind: KindMeetupNote, AttributedTo: cpOrg,
		Name: "What we heard at the April #HSCLeeds Tweet Meet",
		Summary: "Notes from April's meetup: around thirty people from NHS, council and voluntary-sector teams " +
			"swapped ideas on writing about services without jargon, and picked three things to try before May.",
		ContentHTML: "<p>Thank you to everyone who came out on a wet Tuesday. Here is what we took away.</p>\n" +
			"<h2>Say who it is for first</h2>\n<p>Posts that opened with the person a service helps were shared " +
			"far more than posts that opened with the service's name.</p>\n" +
			"<h2>Three things to try</h2>\n<ul>\n<li>One post a week in plain words, checked by someone outside the team.</li>\n" +
			"<li>Alt text on every image.</li>\n<li>Reply to questions within a working day.</li>\n</ul>",
		Source: &Source{
			Content: "Thank you to everyone who came out on a wet Tuesday. Here is what we took away.\n\n" +
				"## Say who it is for first\n\nPosts that opened with the person a service helps were shared " +
				"far more than posts that opened with the service's name.\n\n" +
				"## Three things to try\n\n- One post a week in plain words, checked by someone outside the team.\n" +
				"- Alt text on every image.\n- Reply to questions within a working day.",
			MediaType: "text/markdown",
		},
		URL:       cpHost + "/@hscleeds/notes/april-tweet-meet",
		Published: time.Date(2026, 4, 16, 12, 0, 0, 0, time.UTC),
		Updated:   time.Date(2026, 4, 17, 8, 30, 0, 0, time.UTC),
		To:        []string{PublicIRI}, Cc: []string{cpFollowers},
		Tags: []Tag{{Type: "Hashtag", Name: "#HSCLeeds", Href: cpHost + "/tags/HSCLeeds"}},
		Replies: &Replies{
			ID: id + "/replies", FirstID: id + "/replies?page=1",
			Items: []string{"https://mastodon.example/users/alice/statuses/112233"},
			Next:  id + "/replies?page=2",
		},
		CanQuote: []string{PublicIRI},
	}
}

func samplePage() Post {
	return Post{
		ID: cpHost + "/posts/01JR0C3D4F", Kind: KindGuidance, AttributedTo: cpOrg,
		Name: "Getting a carer's assessment", Summary: "Who can ask for a carer's assessment in Leeds and how to ask.",
		ContentHTML: "<p>Anyone who looks after someone can ask.</p>",
		Source:      &Source{Content: "Anyone who looks after someone can ask.", MediaType: "text/markdown"},
		URL:         cpHost + "/@hscleeds/guidance/carers-assessment",
		Published:   time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC),
		Updated:     time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC),
		To:          []string{PublicIRI}, Cc: []string{cpFollowers},
		Topic: "Carers",
	}
}

func sampleNote() Post {
	return Post{
		ID: cpHost + "/posts/01JT9A1B2C", Kind: KindUpdate, AttributedTo: cpOrg,
		ContentHTML: "<p>Our Thursday drop-in moves to the library from next week.</p>",
		Source:      &Source{Content: "Our Thursday drop-in moves to the library from next week.", MediaType: "text/markdown"},
		URL:         cpHost + "/@hscleeds/updates/01JT9A1B2C",
		Published:   time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC),
		To:          []string{PublicIRI}, Cc: []string{cpFollowers},
		InReplyTo: cpHost + "/posts/01JT8Q4M2E",
		Tags:      []Tag{{Type: "Mention", Name: "@carers@cp.example", Href: "https://cp.example/orgs/carers"}},
	}
}

// wantObject is what ParseObject must return for p: every field we send
// comes back (times as the same instants, in UTC).
func wantObject(p Post, raw []byte) *Object {
	o := &Object{
		ID: p.ID, Type: WireType(p.Kind), AttributedTo: p.AttributedTo,
		Name: p.Name, Summary: p.Summary, Content: p.ContentHTML, URL: p.URL, InReplyTo: p.InReplyTo,
		Published: p.Published.UTC(), Updated: p.Updated.UTC(),
		To: p.To, Cc: p.Cc, Tags: p.Tags,
		Kind: p.Kind, Topic: p.Topic, Source: p.Source,
		StartTime: p.StartTime.UTC(), EndTime: p.EndTime.UTC(), Timezone: p.Timezone,
		OnlineURL: p.OnlineURL, BookingURL: p.BookingURL, Raw: raw,
	}
	if p.Updated.IsZero() {
		o.Updated = time.Time{}
	}
	if p.StartTime.IsZero() {
		o.StartTime, o.EndTime = time.Time{}, time.Time{}
	}
	if p.Location != nil {
		l := *p.Location
		l.Address = joinNonEmpty(", ", l.StreetAddress, joinNonEmpty(" ", l.PostalCode, l.Locality), l.Region, l.Country)
		o.Location = &l
	}
	if p.OnlineURL != "" {
		o.Attachments = []Attachment{{Type: "Link", MediaType: "text/html", URL: p.OnlineURL, Name: "Website"}}
	}
	if p.BookingURL != "" {
		o.JoinMode = "external"
	}
	if p.Replies != nil {
		o.RepliesIRI = p.Replies.ID
		o.Replies = p.Replies
	}
	return o
}

func TestPostRoundTripEveryKind(t *testing.T) {
	for name, p := range map[string]Post{
		"event": sampleEvent(t), "meetup_note": sampleArticle(), "guidance": samplePage(), "update": sampleNote(),
	} {
		t.Run(name, func(t *testing.T) {
			b, err := MarshalPost(p)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ParseObject(b)
			if err != nil {
				t.Fatalf("ParseObject: %v\n%s", err, b)
			}
			eq(t, "round trip", got, wantObject(p, b))
			if !got.StartTime.Equal(p.StartTime) || !got.Published.Equal(p.Published) {
				t.Error("times are not the same instants")
			}
		})
	}
}

// A Note's summary is written as given (on Mastodon it is a content
// warning); the source is offered as Markdown only when it is Markdown.
func TestNoteSummaryAndSourceMarkdown(t *testing.T) {
	n := sampleNote()
	n.Summary = "Drop-in moves to the library"
	eq(t, "Note summary", decodeMap(t, must(MarshalPost(n)))["summary"], any(n.Summary))
	o, err := ParseObject(must(MarshalPost(sampleNote())))
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "SourceMarkdown", o.SourceMarkdown(), sampleNote().Source.Content)
	o.Source.MediaType = "text/plain"
	eq(t, "SourceMarkdown (plain text)", o.SourceMarkdown(), "")
	o.Source = nil
	eq(t, "SourceMarkdown (none)", o.SourceMarkdown(), "")
}

func TestEventTimesInTheirZone(t *testing.T) {
	m := decodeMap(t, must(MarshalPost(sampleEvent(t))))
	eq(t, "startTime", m["startTime"], any("2026-05-19T18:30:00+01:00"))
	eq(t, "endTime", m["endTime"], any("2026-05-19T20:30:00+01:00"))
	eq(t, "timezone", m["timezone"], any("Europe/London"))
	eq(t, "published (UTC)", m["published"], any("2026-04-28T09:15:00Z"))

	// Without a zone the times are written in UTC; in winter London is +00:00.
	p := sampleEvent(t)
	p.Timezone = ""
	eq(t, "startTime (no zone)", decodeMap(t, must(MarshalPost(p)))["startTime"], any("2026-05-19T17:30:00Z"))
	p.Timezone, p.StartTime, p.EndTime = "Europe/London", time.Date(2026, 1, 13, 18, 30, 0, 0, time.UTC), time.Time{}
	m = decodeMap(t, must(MarshalPost(p)))
	eq(t, "startTime (GMT)", m["startTime"], any("2026-01-13T18:30:00Z"))
	if _, ok := m["endTime"]; ok {
		t.Error("endTime written although zero")
	}
}

// OnlineURL is a Mobilizon "Website" Link and location stays one Place, so
// a hybrid event reaches Mobilizon whole (event.go).
func TestOnlineAndBookingShapes(t *testing.T) {
	m := decodeMap(t, must(MarshalPost(sampleEvent(t))))
	loc, ok := m["location"].(map[string]any)
	if !ok {
		t.Fatalf("location must be one Place object: %#v", m["location"])
	}
	eq(t, "location.type", loc["type"], any("Place"))
	eq(t, "location.address", loc["address"], any(map[string]any{
		"type": "PostalAddress", "streetAddress": "Chapel Allerton", "addressLocality": "Leeds",
		"postalCode": "LS7", "addressRegion": "West Yorkshire", "addressCountry": "United Kingdom",
	}))
	eq(t, "attachment", m["attachment"], any([]any{map[string]any{
		"type": "Link", "name": "Website", "href": "https://stream.example/hscleeds/tweet-meet-may", "mediaType": "text/html",
	}}))
	eq(t, "joinMode", m["joinMode"], any("external"))
	eq(t, "externalParticipationUrl", m["externalParticipationUrl"], any("https://tickets.example/e/hscleeds-tweet-meet-may"))

	// Online only, bookings by e-mail (FEP-8a8e allows mailto), a place
	// given as one line.
	p := sampleEvent(t)
	p.Location, p.BookingURL = nil, "mailto:events@hscleeds.example"
	m = decodeMap(t, must(MarshalPost(p)))
	if _, ok := m["location"]; ok {
		t.Error("location written for an online-only event")
	}
	eq(t, "mailto booking", m["externalParticipationUrl"], any("mailto:events@hscleeds.example"))
	o, err := ParseObject(must(MarshalPost(p)))
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "OnlineURL", o.OnlineURL, p.OnlineURL)
	// We write mailto for our own, but take only http(s) links from others
	// (remoteurl): a booking link becomes a link on our pages.
	eq(t, "BookingURL", o.BookingURL, "")

	p = sampleEvent(t)
	p.OnlineURL, p.BookingURL = "", ""
	p.Location = &Place{Name: "Tech North", Address: "Chapel Allerton, Leeds LS7"}
	m = decodeMap(t, must(MarshalPost(p)))
	for _, k := range []string{"attachment", "joinMode", "externalParticipationUrl"} {
		if _, ok := m[k]; ok {
			t.Errorf("%s written although not set", k)
		}
	}
	eq(t, "one-line address", m["location"].(map[string]any)["address"],
		any(map[string]any{"type": "PostalAddress", "streetAddress": "Chapel Allerton, Leeds LS7"}))
}

func TestRepliesEmbedded(t *testing.T) {
	m := decodeMap(t, must(MarshalPost(sampleArticle())))
	replies := m["replies"].(map[string]any)
	eq(t, "replies.type", replies["type"], any("Collection"))
	first, ok := replies["first"].(map[string]any)
	if !ok {
		t.Fatalf("first page not embedded: %#v", replies["first"])
	}
	eq(t, "first.items (one, still an array)", first["items"], any([]any{"https://mastodon.example/users/alice/statuses/112233"}))
	eq(t, "first.partOf", first["partOf"], replies["id"])

	// An empty first page says so, as Mastodon's does.
	m = decodeMap(t, must(MarshalPost(sampleEvent(t))))
	first = m["replies"].(map[string]any)["first"].(map[string]any)
	eq(t, "empty first.items", first["items"], any([]any{}))
	if _, ok := first["next"]; ok {
		t.Error("next written although empty")
	}
}

func TestMarshalPostRefuses(t *testing.T) {
	cases := map[string]struct {
		edit func(*Post)
		want error
	}{
		"unknown kind":        {func(p *Post) { p.Kind = "poll" }, ErrInvalid},
		"unknown type":        {func(p *Post) { p.Kind, p.Type = "", "Question" }, ErrUnsupportedType},
		"kind/type mismatch":  {func(p *Post) { p.Type = "Note" }, ErrInvalid},
		"no name":             {func(p *Post) { p.Name = "" }, ErrInvalid},
		"no summary":          {func(p *Post) { p.Summary = "" }, ErrInvalid},
		"no to":               {func(p *Post) { p.To = nil }, ErrInvalid},
		"relative id":         {func(p *Post) { p.ID = "/posts/1" }, ErrInvalid},
		"no author":           {func(p *Post) { p.AttributedTo = "" }, ErrInvalid},
		"bad cc":              {func(p *Post) { p.Cc = []string{"followers"} }, ErrInvalid},
		"bad tag":             {func(p *Post) { p.Tags = []Tag{{Type: "Hashtag"}} }, ErrInvalid},
		"no start":            {func(p *Post) { p.StartTime = time.Time{} }, ErrInvalid},
		"end before start":    {func(p *Post) { p.EndTime = p.StartTime.Add(-time.Hour) }, ErrInvalid},
		"unknown zone":        {func(p *Post) { p.Timezone = "Europe/Leeds" }, ErrInvalid},
		"bad booking":         {func(p *Post) { p.BookingURL = "ftp://x.example/b" }, ErrInvalid},
		"bad online":          {func(p *Post) { p.OnlineURL = "meet.example/x" }, ErrInvalid},
		"one coordinate":      {func(p *Post) { p.Location.Longitude = nil }, ErrInvalid},
		"bad reply IRI":       {func(p *Post) { p.Replies.Items = []string{"/r/1"} }, ErrInvalid},
		"event fields on Art": {func(p *Post) { p.Kind, p.Type = KindMeetupNote, "" }, ErrInvalid},
	}
	for name, c := range cases {
		p := sampleEvent(t)
		c.edit(&p)
		_, err := MarshalPost(p)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", name, err, c.want)
		} else if !strings.HasPrefix(err.Error(), "vocab: ") {
			t.Errorf("%s: error %q lacks the vocab: prefix", name, err)
		}
	}
	// A Note needs neither name nor summary; a kind-less post takes its type.
	n := sampleNote()
	n.Kind, n.Type = "", "Note"
	if _, err := MarshalPost(n); err != nil {
		t.Errorf("kind-less Note: %v", err)
	}
}

// Mastodon, GoToSocial and Mobilizon payloads still parse, and a foreign
// "kind" is not taken for ours.
func TestParsePostTolerance(t *testing.T) {
	o, err := ParseObject([]byte(`{"id":"https://g.example/event/2","type":"Event","name":"Hybrid drop-in",
		"kind":"workshop","source":"plain words","joinMode":"free","externalParticipationUrl":"https://old.example/book",
		"location":[{"type":"VirtualLocation","name":"Jitsi room","url":"https://meet.example/room"},
			{"type":"Place","name":"Community Hall","address":"1 High St, Leeds"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "Kind (foreign value)", o.Kind, "")
	eq(t, "Source (string)", o.Source, &Source{Content: "plain words"})
	eq(t, "OnlineURL (VirtualLocation)", o.OnlineURL, "https://meet.example/room")
	eq(t, "Location (the Place, not the named VirtualLocation)", o.Location, &Place{Name: "Community Hall", Address: "1 High St, Leeds"})
	eq(t, "JoinMode", o.JoinMode, "free")
	eq(t, "BookingURL (not external)", o.BookingURL, "")

	o, err = ParseObject([]byte(`{"id":"https://m.example/events/3","type":"Event",
		"location":{"type":"VirtualLocation","url":"https://meet.example/only"},
		"externalParticipationUrl":"https://m.example/book",
		"attachment":[{"type":"Link","name":"Website","href":"https://mobilizon.example/live","mediaType":"text/html"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "Location (VirtualLocation only)", o.Location, (*Place)(nil))
	eq(t, "OnlineURL (location first)", o.OnlineURL, "https://meet.example/only")
	eq(t, "BookingURL (no joinMode)", o.BookingURL, "https://m.example/book")

	o, err = ParseObject([]byte(`{"id":"https://m.example/events/4","type":"Event",
		"attachment":[{"type":"Document","url":"https://m.example/banner.jpg","name":"Banner"},
			{"type":"Link","name":"Website","href":"https://mobilizon.example/live","mediaType":"text/html"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "OnlineURL (Mobilizon Link)", o.OnlineURL, "https://mobilizon.example/live")
	eq(t, "Attachments[0].URL (Document url)", o.Attachments[0].URL, "https://m.example/banner.jpg")
}
