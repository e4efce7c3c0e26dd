package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"github.com/commonplace-social/commonplace/internal/media"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// commentsPerPage is how many comments a post page shows at once; a long
// thread pages with plain links, oldest first, so reading it needs no script.
const commentsPerPage = 50

// commentPage loads the comments a post page shows: the first page, or the
// one ?after= (newer) or ?before= (older) names. ok is false for a cursor
// this site did not make.
func (s *Server) commentPage(r *http.Request, p *model.Post) (page store.CommentPage, ok bool, err error) {
	q := r.URL.Query()
	after, okAfter := parseCursor(q.Get("after"))
	before, okBefore := parseCursor(q.Get("before"))
	if !okAfter || !okBefore || (after != nil && before != nil) {
		return page, false, nil
	}
	if before != nil {
		page, err = s.Store.CommentsBefore(r.Context(), p.ID, *before, commentsPerPage)
	} else {
		page, err = s.Store.Comments(r.Context(), p.ID, after, commentsPerPage)
	}
	return page, true, err
}

// commentLinks are the links to the pages either side, "" where none is.
func commentLinks(path string, page store.CommentPage) (older, newer string) {
	link := func(key string, c *store.Cursor) string {
		if c == nil {
			return ""
		}
		return path + "?" + url.Values{key: {formatCursor(c)}}.Encode() + "#comments-heading"
	}
	return link("before", page.Older), link("after", page.Newer)
}

// commentLink is where comment c is read: its anchor on our page of the
// post it answers, the first page of comments when it is there, else the
// page that starts with it. Another server's post is linked as it is.
func (s *Server) commentLink(r *http.Request, root, c *model.Post) (string, error) {
	link := s.postLink(root)
	if !root.Local {
		return link, nil
	}
	ahead, err := s.Store.CommentsAhead(r.Context(), root.ID, c, commentsPerPage)
	if err != nil {
		return "", err
	}
	anchor := "#comment-" + strconv.FormatInt(c.ID, 10)
	if ahead < commentsPerPage || c.ID < 2 {
		return link + anchor, nil
	}
	// Cursors keep whole seconds, so the page may start with a comment or
	// two from the same second; c is still on it.
	return link + "?" + url.Values{"after": {formatCursor(&store.Cursor{Published: c.Published, ID: c.ID - 1})}}.Encode() + anchor, nil
}

func commentViews(cs []*model.Post) []commentView {
	views := make([]commentView, 0, len(cs))
	for _, c := range cs {
		name := c.Author.Name
		if name == "" {
			name = c.Author.Username
		}
		profile := c.Author.URL
		if profile == "" {
			profile = c.Author.IRI
		}
		views = append(views, commentView{Post: c, Author: name, Handle: c.Author.Handle(""),
			Profile: profile, Server: c.Author.Host, HTML: template.HTML(c.ContentHTML)})
	}
	return views
}

func init() {
	// remoteMediaPath is where a remote picture is shown: our own copy.
	funcs["remoteMediaPath"] = media.RemotePath
}

// addCommentMedia adds the commenters' avatars and the comments' images. A
// failure to load them leaves the comments without pictures rather than
// failing the page.
func (s *Server) addCommentMedia(r *http.Request, views []commentView) {
	if len(views) == 0 {
		return
	}
	postIDs := make([]int64, 0, len(views))
	actorIDs := make([]int64, 0, len(views))
	for _, v := range views {
		postIDs = append(postIDs, v.Post.ID)
		actorIDs = append(actorIDs, v.Post.AuthorID)
	}
	images, err := s.Store.RemoteMediaOfPosts(r.Context(), postIDs...)
	if err != nil {
		s.Log.WarnContext(r.Context(), "comment images not shown", "err", err)
		return
	}
	avatars, err := s.Store.RemoteAvatars(r.Context(), actorIDs...)
	if err != nil {
		s.Log.WarnContext(r.Context(), "commenters' avatars not shown", "err", err)
		return
	}
	for i := range views {
		views[i].Images = images[views[i].Post.ID]
		views[i].Avatar = avatars[views[i].Post.AuthorID]
	}
}
