package web

import (
	"errors"
	"html/template"
	"net/http"
	"time"

	"github.com/gorilla/mux"

	"github.com/commonplace-social/commonplace/internal/content"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

type commentView struct {
	Post    *model.Post
	Author  string // display name
	Handle  string
	Profile string // link to the commenter's profile on their server
	Server  string
	HTML    template.HTML
	Remove  *commentRemoval // for admins of the post's organisation only
	// Avatar and Images are the commenter's avatar and the comment's images,
	// shown from our media cache (see post_comments.go).
	Avatar *model.RemoteMedia
	Images []*model.RemoteMedia
}

type postView struct {
	Post     *model.Post
	OrgURL   string
	Handle   string
	HTML     template.HTML
	KindName string
	When     string
	Calendar string // events: the .ics file for "add to calendar"
	Comments []commentView
	ID       string
	// OlderComments and NewerComments link to the pages of comments either
	// side of these, "" where there are none.
	OlderComments, NewerComments string
	// CanChange offers Edit and Delete: the visitor writes for the author.
	CanChange bool
	// Preview marks the compose form's preview, which shows the post as
	// published under the form's own heading.
	Preview bool
	// Images are the post's pictures, in order.
	Images []imageView
}

// kindNames are the words people read for each kind.
var kindNames = map[string]string{
	model.KindMeetupNote: "Meetup note",
	model.KindGuidance:   "Guidance",
	model.KindEvent:      "Event",
	model.KindUpdate:     "Update",
}

// post shows one of our posts with its comments. Deleted posts answer 410.
func (s *Server) post(w http.ResponseWriter, r *http.Request) {
	vars := mux.Vars(r)
	p, err := s.Store.PostByToken(r.Context(), vars["token"])
	if errors.Is(err, store.ErrNotFound) || (err == nil && (!p.Local || p.Author.Username != vars["username"])) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if p.Deleted() {
		s.render(w, r, http.StatusGone, "error", page{Title: "Deleted",
			Data: map[string]string{"Heading": "This post was deleted", "Text": "Its author removed it."}})
		return
	}
	comments, ok, err := s.commentPage(r, p)
	if !ok {
		s.badRequest(w, r, "The link to more comments is not one this site made.")
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := s.postViewOf(p)
	// withModerator has loaded any session's account already: no query here.
	if a := s.viewer(r); a != nil && a.Writes(p.AuthorID) {
		v.CanChange = true
		// The page now differs by who asks: keep shared caches out of it.
		w.Header().Set("Cache-Control", "private, no-store")
	}
	if p.Kind == model.KindEvent {
		v.Calendar = s.eventICSLink(p)
	}
	if v.Images, err = s.postImages(r.Context(), p); err != nil {
		s.serverError(w, r, err)
		return
	}
	v.Comments = commentViews(comments.Comments)
	addRemoveButtons(r, p, v.Comments)
	s.addCommentMedia(r, v.Comments)
	v.OlderComments, v.NewerComments = commentLinks(r.URL.Path, comments)
	title := p.Title
	if title == "" {
		title = kindNames[p.Kind] + " from " + p.Author.Name
	}
	s.render(w, r, http.StatusOK, "post", page{Title: title, Description: summaryLine(p.Summary, title), URL: v.ID, Creator: v.Handle, Data: v})
}

// postViewOf is what the post page and the compose form's preview show of
// a post.
func (s *Server) postViewOf(p *model.Post) postView {
	v := postView{Post: p, OrgURL: s.Layout.Profile(p.Author.Username), Handle: p.Author.Handle(s.Layout.Host()),
		// Content was sanitised when it was stored (local Markdown and remote HTML alike).
		HTML: template.HTML(p.ContentHTML), KindName: kindNames[p.Kind], ID: s.Layout.Post(p.Author.Username, p.Token)}
	if p.Kind == model.KindEvent && !p.StartTime.IsZero() && !p.EndTime.IsZero() {
		v.When = readableWhen(p)
	}
	return v
}

// eventWhen shows an event's time in its own zone.
func eventWhen(p *model.Post) string {
	loc, err := content.Zone(p.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	start, end := p.StartTime.In(loc), p.EndTime.In(loc)
	s := start.Format("Monday 2 January 2006, 3:04pm")
	if end.Format("2006-01-02") == start.Format("2006-01-02") {
		return s + " to " + end.Format("3:04pm") + " (" + p.TimeZone + ")"
	}
	return s + " to " + end.Format("Monday 2 January 2006, 3:04pm") + " (" + p.TimeZone + ")"
}
