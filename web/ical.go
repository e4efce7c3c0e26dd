package web

import (
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/gorilla/mux"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/remoteurl"
	"github.com/commonplace-social/commonplace/internal/store"
)

// localEventICS is one of our events as an iCalendar file, for "add to
// calendar": /users/{username}/posts/{token}/event.ics.
func (s *Server) localEventICS(w http.ResponseWriter, r *http.Request) {
	vars := mux.Vars(r)
	p, err := s.Store.PostByToken(r.Context(), vars["token"])
	if err == nil && (!p.Local || p.Author == nil || p.Author.Username != vars["username"]) {
		err = store.ErrNotFound
	}
	s.serveEventICS(w, r, p, err)
}

// remoteEventICS is an event from an organisation we follow, named by its
// ActivityPub id: /events/remote.ics?id=<id>.
func (s *Server) remoteEventICS(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("id")
	if id == "" {
		s.notFound(w, r)
		return
	}
	p, err := s.Store.PostByIRI(r.Context(), id)
	if err == nil && (p.Local || !p.InTimeline) {
		err = store.ErrNotFound
	}
	s.serveEventICS(w, r, p, err)
}

// numberedEventICS answers the addresses earlier versions gave, which
// numbered events by this instance's rows, with the lasting address.
func (s *Server) numberedEventICS(w http.ResponseWriter, r *http.Request) {
	id, err := eventID(mux.Vars(r)["id"])
	var p *model.Post
	if err == nil {
		p, err = s.Store.EventByID(r.Context(), id)
	}
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, s.eventICSLink(p), http.StatusMovedPermanently)
}

func (s *Server) serveEventICS(w http.ResponseWriter, r *http.Request, p *model.Post, err error) {
	if err == nil && (p.Kind != model.KindEvent || p.Deleted() || p.StartTime.IsZero()) {
		err = store.ErrNotFound
	}
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	title := eventTitle(p)
	name := title
	if org := orgName(p); org != "" {
		name += " (" + org + ")"
	}
	cal := s.newCalendar(name)
	s.addEvent(cal, p)
	writeCalendar(w, r, cal, calendarFileName(title))
}

// eventsICS is the calendar people subscribe to: every upcoming event.
func (s *Server) eventsICS(w http.ResponseWriter, r *http.Request) {
	list, err := s.Store.UpcomingEvents(r.Context(), time.Now(), maxUpcoming)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	cal := s.newCalendar("Events on " + s.Layout.Host())
	for _, p := range list {
		s.addEvent(cal, p)
	}
	writeCalendar(w, r, cal, "")
}

// eventICSLink is the lasting address of an event's calendar file, made
// from the post's own identity so it is the same wherever it is linked
// from and survives a database being rebuilt: under the post's address
// for ours, and from the object's id for others'.
func (s *Server) eventICSLink(p *model.Post) string {
	if p.Local && p.Author != nil {
		return s.Layout.Post(p.Author.Username, p.Token) + "/event.ics"
	}
	return s.Layout.Base + "/events/remote.ics?id=" + url.QueryEscape(p.IRI)
}

func (s *Server) newCalendar(name string) *ics.Calendar {
	cal := ics.NewCalendarFor("Commonplace " + s.Layout.Host())
	cal.SetMethod(ics.MethodPublish)
	name = icalText(name)
	cal.SetName(name)
	cal.SetXWRCalName(name)
	return cal
}

// addEvent writes one event. Its UID is the post's ActivityPub id, so a
// calendar that imports it twice, from here or from another instance,
// updates one entry.
//
// Times are written in UTC rather than with a TZID: an event happens once,
// so the instant is all a calendar needs to show it in its reader's zone,
// and a TZID would oblige us to write a VTIMEZONE describing the zone's
// rules, which the library cannot build from Go's zone data and which a
// calendar trusts over its own when they disagree.
func (s *Server) addEvent(cal *ics.Calendar, p *model.Post) {
	uid := p.IRI
	if p.Local && p.Author != nil {
		uid = s.Layout.Post(p.Author.Username, p.Token)
	}
	e := cal.AddEvent(uid)
	// DTSTAMP moves on with each edit, so a calendar importing the file
	// again takes the newer copy.
	e.SetDtStampTime(lastChange(p).UTC())
	e.SetCreatedTime(p.Published.UTC())
	e.SetLastModifiedAt(lastChange(p).UTC())
	e.SetStartAt(p.StartTime.UTC())
	if !p.EndTime.IsZero() {
		e.SetEndAt(p.EndTime.UTC())
	}
	e.SetSummary(icalText(eventTitle(p)))
	if d := s.eventDescription(p); d != "" {
		e.SetDescription(icalText(d))
	}
	if where := place(p); where != "" {
		e.SetLocation(icalText(where))
	} else if u := remoteurl.Clean(p.OnlineURL); u != "" {
		e.SetLocation(u)
	}
	// The library writes URI values as they are: only a checked URL, which
	// cannot hold a line break, goes in. The booking link is where the
	// reader acts, so it is the event's URL when there is one.
	if u := remoteurl.Clean(p.BookingURL); u != "" {
		e.SetURL(u)
	} else if u := remoteurl.Clean(s.postLink(p)); u != "" {
		e.SetURL(u)
	}
	if p.Author != nil {
		if u := remoteurl.Clean(s.orgLink(p.Author)); u != "" {
			// SetOrganizer insists on mailto:; organisations here are
			// reached at their page, which is a URI all the same.
			e.SetProperty(ics.ComponentPropertyOrganizer, u, ics.WithCN(paramText(orgName(p))))
		}
	}
}

// eventDescription is the summary and then the links a person needs when
// the calendar entry is all they have in front of them.
func (s *Server) eventDescription(p *model.Post) string {
	var parts []string
	if p.Summary != "" {
		parts = append(parts, p.Summary)
	}
	if u := remoteurl.Clean(p.BookingURL); u != "" {
		parts = append(parts, "Book a place: "+u)
	}
	if u := remoteurl.Clean(p.OnlineURL); u != "" {
		parts = append(parts, "Join online: "+u)
	}
	if u := remoteurl.Clean(s.postLink(p)); u != "" {
		parts = append(parts, "Details: "+u)
	}
	return strings.Join(parts, "\n\n")
}

// eventTitle is what an event is called in lists and calendars.
func eventTitle(p *model.Post) string {
	if p.Title != "" {
		return p.Title
	}
	return summaryLine(p.Summary, "Event")
}

// orgName is the name of the organisation holding the event, if known.
func orgName(p *model.Post) string {
	if p.Author == nil {
		return ""
	}
	if p.Author.Name != "" {
		return p.Author.Name
	}
	return p.Author.Username
}

func writeCalendar(w http.ResponseWriter, r *http.Request, cal *ics.Calendar, download string) {
	h := w.Header()
	h.Set("Content-Type", "text/calendar; charset=utf-8")
	if download != "" {
		h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": download}))
	}
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		// RFC 5545 requires CRLF line ends; the library defaults to the OS's.
		_, _ = w.Write([]byte(cal.Serialize(ics.WithNewLineWindows)))
	}
}
