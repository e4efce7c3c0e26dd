package federation

import (
	"html"
	"net/url"
	"strings"
	"time"

	"github.com/commonplace-social/commonplace/federation/vocab"
	"github.com/commonplace-social/commonplace/internal/content"
	"github.com/commonplace-social/commonplace/internal/iri"
	"github.com/commonplace-social/commonplace/internal/media"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/posts"
)

// repliesPageSize is how many reply ids the embedded first page carries.
const repliesPageSize = 20

// PostDocument describes one of our posts for the fediverse. comments are the
// replies to embed in the `replies` collection's first page.
func PostDocument(l iri.Layout, p *model.Post, comments []*model.Post) vocab.Post {
	author := p.Author
	id := l.Post(author.Username, p.Token)
	doc := vocab.Post{
		ID: id, Type: p.APType, Kind: p.Kind, AttributedTo: l.IDOf(author),
		Name: p.Title, Summary: p.Summary, ContentHTML: p.ContentHTML, URL: id,
		Published: p.Published, Updated: p.Updated,
		To: []string{vocab.PublicIRI}, Cc: []string{l.Followers(author.Username)},
		Topic: p.Topic, InReplyTo: p.InReplyTo,
		// Every post is public, and the public may quote it (FEP-044f).
		CanQuote: []string{vocab.PublicIRI},
	}
	if p.APType == "Note" {
		// Mastodon shows a Note's summary as a content warning, folding the
		// update behind its own first words; a Note carries its text alone.
		doc.Summary = ""
	} else {
		doc.ContentHTML = longFormContent(p.Title, p.ContentHTML, id)
	}
	if p.Source != "" {
		doc.Source = &vocab.Source{Content: p.Source, MediaType: "text/markdown"}
	}
	for _, t := range p.Tags {
		doc.Tags = append(doc.Tags, vocab.Tag{Type: "Hashtag", Name: "#" + t.Name, Href: l.Tag(t.Tag)})
	}
	if p.Kind == model.KindEvent {
		doc.StartTime, doc.EndTime, doc.Timezone = p.StartTime, p.EndTime, p.TimeZone
		if p.Venue != "" || p.Address != "" {
			doc.Location = &vocab.Place{Name: p.Venue, Address: p.Address}
		}
		doc.OnlineURL, doc.BookingURL = p.OnlineURL, p.BookingURL
	}
	for _, m := range p.Media {
		w, h := media.DisplaySize(m.Kind, m.Width, m.Height)
		doc.Attachments = append(doc.Attachments, vocab.ImageAttachment{
			URL: media.URL(l.Base, m.DisplayKey), MediaType: m.ContentType, Name: m.Alt,
			Blurhash: m.Blurhash, Width: w, Height: h,
		})
	}
	replies := &vocab.Replies{ID: l.Replies(author.Username, p.Token)}
	replies.FirstID = replies.ID + "?page=true"
	for i, c := range comments {
		if i == repliesPageSize {
			break
		}
		replies.Items = append(replies.Items, c.IRI)
	}
	doc.Replies = replies
	return doc
}

// remotePost turns a received object into a post to store: HTML sanitised,
// text bounded, the kind taken from a Commonplace sender or guessed from
// the type. A Commonplace sender includes the Markdown source; rendering it
// here with our own renderer keeps the full post (headings and all) where
// the Mastodon-like remote allow-list would flatten it. ok is false for
// objects that are not posts at all.
func (s *Server) remotePost(o *vocab.Object) (*model.Post, []string, bool) {
	switch o.Type {
	case "Note", "Article", "Page", "Event", "Question":
	default:
		return nil, nil, false
	}
	kind := o.Kind
	if kind == "" || kind == model.KindComment {
		kind = posts.KindOfType(o.Type)
	}
	p := &model.Post{
		IRI: o.ID, APType: o.Type, Kind: kind,
		Title:       clip(o.Name, 200),
		Summary:     clip(plainText(o.Summary), 1000),
		ContentHTML: sanitizeHTML(o.Content),
		Source:      clip(o.SourceMarkdown(), 100_000),
		// vocab let through only http(s) links, the url only on the post's own
		// server (remoteurl), so both are safe to show and to write.
		URL: o.URL, Topic: clip(o.Topic, 100), InReplyTo: o.InReplyTo,
		Published: o.Published, Updated: o.Updated,
		Raw: cleanText(string(o.Raw)),
	}
	if p.Source != "" {
		if r, err := content.Render(p.Source, s.Layout.Tag); err == nil {
			p.ContentHTML = r.HTML
		}
	}
	if p.Summary == "" {
		// Notes arrive without one (see PostDocument); the timeline shows a
		// summary for every post, made here as for our own updates.
		p.Summary = content.Summary(plainText(p.ContentHTML), 280)
	}
	// Page cursors carry whole seconds, so stored times do too.
	p.Published, p.Updated = p.Published.UTC().Truncate(time.Second), p.Updated.UTC().Truncate(time.Second)
	if p.Published.IsZero() {
		p.Published = nowUTC()
	}
	if o.Type == "Event" {
		p.Event = model.Event{StartTime: o.StartTime, EndTime: o.EndTime, TimeZone: clip(o.Timezone, 64),
			OnlineURL: o.OnlineURL, BookingURL: o.BookingURL} // checked by vocab (remoteurl)
		if o.Location != nil {
			p.Venue, p.Address = oneLine(o.Location.Name, 300), oneLine(o.Location.Address, 300)
		}
	}
	var mentions []string
	for _, t := range o.Tags {
		switch t.Type {
		case "Hashtag":
			name := strings.TrimPrefix(t.Name, "#")
			if tag := normaliseTag(name); tag != "" {
				p.Tags = append(p.Tags, model.Tag{Tag: tag, Name: clip(name, 100)})
			}
		case "Mention":
			mentions = append(mentions, t.Href)
		}
	}
	return p, mentions, true
}

// longFormContent is what a server that shows an Article, Page or Event's
// content sees. GoToSocial shows the summary as a content warning over the
// content and never the name, so the content leads with the title and ends
// with a link to the whole post. Mastodon ignores this content and shows
// name, summary and url instead; another Commonplace renders the Markdown
// source, so neither sees the title twice.
func longFormContent(title, body, link string) string {
	var b strings.Builder
	if title != "" {
		b.WriteString("<p><strong>" + html.EscapeString(title) + "</strong></p>")
	}
	b.WriteString(body)
	text := link
	if u, err := url.Parse(link); err == nil && u.Host != "" {
		text = u.Host + u.EscapedPath()
	}
	b.WriteString(`<p><a href="` + html.EscapeString(link) + `">` + html.EscapeString(text) + "</a></p>")
	return b.String()
}
