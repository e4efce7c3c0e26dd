package web

import (
	"errors"
	"net/http"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/gorilla/mux"

	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/remoteurl"
	"github.com/commonplace-social/commonplace/internal/store"
)

// eventICS is one event as an iCalendar file, for "add to calendar".
func (s *Server) eventICS(w http.ResponseWriter, r *http.Request) {
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
	cal := s.newCalendar("Commonplace event")
	s.addEvent(cal, p)
	writeCalendar(w, r, cal, "event.ics")
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

func (s *Server) newCalendar(name string) *ics.Calendar {
	cal := ics.NewCalendarFor("Commonplace " + s.Layout.Host())
	cal.SetMethod(ics.MethodPublish)
	cal.SetName(name)
	cal.SetXWRCalName(name)
	return cal
}

// addEvent writes one event. Its UID is the post's ActivityPub id, so a
// calendar that imports it twice, from here or from another instance,
// updates one entry. Times are UTC; the reader's calendar shows them in
// the reader's zone.
func (s *Server) addEvent(cal *ics.Calendar, p *model.Post) {
	uid := p.IRI
	if p.Local && p.Author != nil {
		uid = s.Layout.Post(p.Author.Username, p.Token)
	}
	e := cal.AddEvent(uid)
	e.SetDtStampTime(lastChange(p).UTC())
	e.SetStartAt(p.StartTime.UTC())
	if !p.EndTime.IsZero() {
		e.SetEndAt(p.EndTime.UTC())
	}
	title := p.Title
	if title == "" {
		title = summaryLine(p.Summary, "Event")
	}
	e.SetSummary(icalText(title))
	if p.Summary != "" {
		e.SetDescription(icalText(p.Summary))
	}
	if where := place(p); where != "" {
		e.SetLocation(icalText(where))
	} else if u := remoteurl.Clean(p.OnlineURL); u != "" {
		e.SetLocation(u)
	}
	// The library writes URI values as they are: only a checked URL, which
	// cannot hold a line break, goes in.
	if u := remoteurl.Clean(s.postLink(p)); u != "" {
		e.SetURL(u)
	}
}

func writeCalendar(w http.ResponseWriter, r *http.Request, cal *ics.Calendar, download string) {
	h := w.Header()
	h.Set("Content-Type", "text/calendar; charset=utf-8")
	if download != "" {
		h.Set("Content-Disposition", `attachment; filename="`+download+`"`)
	}
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		// RFC 5545 requires CRLF line ends; the library defaults to the OS's.
		_, _ = w.Write([]byte(cal.Serialize(ics.WithNewLineWindows)))
	}
}
