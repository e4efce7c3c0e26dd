package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	template "github.com/DataDog/datadog-agent/pkg/template/html"

	"github.com/commonplace-social/commonplace/internal/content"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/store"
)

// maxUpcoming bounds the calendar feed; a city's network announces a few
// events a month, so this is months ahead. The events page shows
// pageSize at a time, with a link to later ones.
const maxUpcoming = 200

// eventView is one event in a list.
type eventView struct {
	Post    *model.Post
	Title   string
	Link    string
	OrgName string
	OrgURL  string
	When    string
	Where   string // venue, address
	ICS     string
}

// monthGroup is the events starting in one month, in their own zones.
type monthGroup struct {
	Month  string // "September 2027"
	Events []eventView
}

type eventsData struct {
	Past   bool
	Months []monthGroup
	Older  string // past events: the next page back
	Later  string // upcoming events: the next page forward
	// Webcal and Feed are the network calendar's address for subscribing
	// (webcal:, which calendar apps open) and as it is served (https:).
	Webcal template.URL
	Feed   string
	// Of is the network whose members' events these are, at OfURL; nil
	// for the whole instance's.
	Of    *model.Actor
	OfURL string
}

// events lists upcoming events across the network, by month.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	after, ok := parseCursor(r.URL.Query().Get("after"))
	if !ok {
		s.badRequest(w, r, "The link to later events is not one this site made.")
		return
	}
	res, err := s.Store.UpcomingEventsPage(r.Context(), time.Now(), after, pageSize)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	d := eventsData{Months: s.byMonth(res.Posts), Feed: s.Layout.Base + "/events.ics", Webcal: webcalURL(s.Layout.Base + "/events.ics")}
	if res.Next != nil {
		d.Later = "/events?" + url.Values{"after": {formatCursor(res.Next)}}.Encode()
	}
	s.render(w, r, http.StatusOK, "events", page{
		Title:       "Upcoming events",
		Description: "Meetups and events from health and social care organisations across the network.",
		URL:         s.Layout.Base + "/events",
		Data:        d,
	})
}

// pastEvents is the archive, most recent first, paged.
func (s *Server) pastEvents(w http.ResponseWriter, r *http.Request) {
	after, ok := parseCursor(r.URL.Query().Get("before"))
	if !ok {
		s.badRequest(w, r, "The link to older events is not one this site made.")
		return
	}
	res, err := s.Store.PastEvents(r.Context(), time.Now(), after, pageSize)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	d := eventsData{Past: true, Months: s.byMonth(res.Posts)}
	if res.Next != nil {
		d.Older = "/events/past?" + url.Values{"before": {formatCursor(res.Next)}}.Encode()
	}
	s.render(w, r, http.StatusOK, "events", page{
		Title:       "Past events",
		Description: "Earlier meetups and events from across the network.",
		URL:         s.Layout.Base + "/events/past",
		Data:        d,
	})
}

// byMonth groups events, already in order, by the month they start in,
// reckoned in each event's own time zone.
func (s *Server) byMonth(list []*model.Post) []monthGroup {
	var months []monthGroup
	for _, p := range list {
		month := p.StartTime.In(eventZone(p)).Format("January 2006")
		if n := len(months); n == 0 || months[n-1].Month != month {
			months = append(months, monthGroup{Month: month})
		}
		v := eventView{Post: p, Title: p.Title, Link: s.postLink(p), When: readableWhen(p),
			Where: place(p), ICS: s.eventICSLink(p)}
		if v.Title == "" {
			v.Title = summaryLine(p.Summary, "Event")
		}
		if p.Author != nil {
			v.OrgName, v.OrgURL = p.Author.Name, s.orgLink(p.Author)
		}
		months[len(months)-1].Events = append(months[len(months)-1].Events, v)
	}
	return months
}

// eventZone is the event's own zone, or UTC when it names none we know.
func eventZone(p *model.Post) *time.Location {
	if loc, err := content.Zone(p.TimeZone); err == nil && p.TimeZone != "" {
		return loc
	}
	return time.UTC
}

// eventID reads the numeric id in /events/{id}.ics.
func eventID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id < 1 {
		return 0, fmt.Errorf("event id %q: %w", s, store.ErrNotFound)
	}
	return id, nil
}

// place is where an event happens, for people and calendars alike.
func place(p *model.Post) string {
	switch {
	case p.Venue != "" && p.Address != "":
		return p.Venue + ", " + p.Address
	case p.Venue != "":
		return p.Venue
	}
	return p.Address
}

// webcalURL is an https or http address with the webcal: scheme, which
// calendar apps register for, so following it offers to subscribe rather
// than to download once. It is made from our own base address, never from
// anything a visitor sent, so it is safe to mark as a URL.
func webcalURL(u string) template.URL {
	_, rest, _ := strings.Cut(u, "://")
	return template.URL("webcal://" + rest)
}
