package web

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	template "github.com/DataDog/datadog-agent/pkg/template/html"

	"github.com/commonplace-social/commonplace/internal/content"
	"github.com/commonplace-social/commonplace/internal/media"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/remoteurl"
	"github.com/commonplace-social/commonplace/internal/store"
)

// itemsTemplate is the list of posts shared by the timeline, tag and
// organisation pages. The page loader gives each page only the layout and
// its own file, so the list is rendered apart and handed in as HTML.
var itemsTemplate = template.Must(template.New("items.partial.html").Funcs(funcs).ParseFS(templateFiles, "templates/items.partial.html"))

// itemView is one post in a list, with the links and words worked out.
type itemView struct {
	Post     *model.Post
	OrgName  string
	Handle   string
	OrgURL   string
	Link     string // our page for local posts, the original for remote ones
	KindName string
	Text     string        // summary, for kinds with a title
	HTML     template.HTML // the post itself, for updates
	When     string        // events only: when and where, once
	Tags     []tagLink
	Avatar   string // the author's avatar path, "" for none
	// Images are a remote post's pictures, from our own cache: its page
	// is on its own server, so the card is where readers here see them.
	Images []cardImage
}

type cardImage struct {
	Src, Alt      string
	Width, Height int
}

type tagLink struct{ Name, URL string }

func (s *Server) itemOf(p *model.Post) itemView {
	v := itemView{Post: p, KindName: kindNames[p.Kind], Link: s.postLink(p)}
	if a := p.Author; a != nil {
		v.OrgName, v.Handle, v.OrgURL = a.Name, a.Handle(s.Layout.Host()), s.orgLink(a)
		if a.AvatarKey != "" {
			v.Avatar = media.Path(a.AvatarKey)
		}
		if v.OrgName == "" {
			v.OrgName = a.Username
		}
	}
	if p.Kind == model.KindUpdate {
		// Updates are short notes with no title: show them whole.
		v.HTML = template.HTML(p.ContentHTML) // sanitised when stored
	} else {
		v.Text = p.Summary
	}
	if p.Kind == model.KindEvent {
		v.When, v.Text = eventLines(p)
	}
	for _, t := range p.Tags {
		v.Tags = append(v.Tags, tagLink{Name: t.Name, URL: "/tags/" + t.Tag})
	}
	return v
}

// postLink is where a reader goes to read a post in full.
func (s *Server) postLink(p *model.Post) string {
	if p.Local && p.Author != nil {
		return s.Layout.Post(p.Author.Username, p.Token)
	}
	// Checked when it arrived; checked again because this is the one place
	// every page, feed and calendar takes a remote link from.
	if u := remoteurl.SameOrigin(p.URL, p.IRI); u != "" {
		return u
	}
	return p.IRI
}

// orgLink is an organisation's page: ours for local ones, their own
// profile page for remote ones.
func (s *Server) orgLink(a *model.Actor) string {
	if a.Local {
		return s.Layout.Profile(a.Username)
	}
	if u := remoteurl.SameOrigin(a.URL, a.IRI); u != "" {
		return u
	}
	return a.IRI
}

// readableWhen is an event's time in its own zone, falling back to the
// older formatter when the stored zone is unusable.
func readableWhen(p *model.Post) string {
	if w, err := content.EventWhen(p.StartTime, p.EndTime, p.TimeZone); err == nil {
		return w
	}
	return eventWhen(p)
}

// renderItems renders a list of posts to HTML for a page to embed; nested
// lists sit under a section heading, so their titles are a level lower.
func (s *Server) renderItems(ctx context.Context, ps []*model.Post, nested bool) (template.HTML, error) {
	views := make([]itemView, 0, len(ps))
	var remote, remotePosts []int64
	for _, p := range ps {
		views = append(views, s.itemOf(p))
		if p.Author != nil && !p.Author.Local {
			remote = append(remote, p.AuthorID)
		}
		if !p.Local {
			remotePosts = append(remotePosts, p.ID)
		}
	}
	images, err := s.Store.RemoteMediaOfPosts(ctx, remotePosts...)
	if err != nil {
		return "", err
	}
	// Remote authors' avatars come from our own cache (/media/remote/ID),
	// never from their servers: pages load pictures only from this site.
	avatars, err := s.Store.RemoteAvatars(ctx, remote...)
	if err != nil {
		return "", err
	}
	for i := range views {
		if m := avatars[views[i].Post.AuthorID]; m != nil && views[i].Avatar == "" {
			views[i].Avatar = media.RemotePath(m.ID)
		}
		for _, m := range images[views[i].Post.ID] {
			views[i].Images = append(views[i].Images, cardImage{Src: media.RemotePath(m.ID), Alt: m.Alt, Width: m.Width, Height: m.Height})
		}
	}
	var buf bytes.Buffer
	if err := itemsTemplate.ExecuteTemplate(&buf, "items", struct {
		Items  []itemView
		Nested bool
	}{views, nested}); err != nil {
		return "", fmt.Errorf("render post list: %w", err)
	}
	return template.HTML(buf.String()), nil // produced by html/template above
}

// formatCursor writes a keyset position as <unix seconds>.<id>, the form
// the outbox uses too. Published times are kept to the second.
func formatCursor(c *store.Cursor) string {
	return strconv.FormatInt(c.Published.Unix(), 10) + "." + strconv.FormatInt(c.ID, 10)
}

// parseCursor reads ?before=; "" means the first page.
func parseCursor(s string) (*store.Cursor, bool) {
	if s == "" {
		return nil, true
	}
	secs, id, ok := strings.Cut(s, ".")
	if !ok {
		return nil, false
	}
	t, err1 := strconv.ParseInt(secs, 10, 64)
	n, err2 := strconv.ParseInt(id, 10, 64)
	if err1 != nil || err2 != nil || n < 1 {
		return nil, false
	}
	return &store.Cursor{Published: time.Unix(t, 0).UTC(), ID: n}, true
}
