package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/commonplace-social/commonplace/internal/content"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/posts"
)

// postForm is the compose form's fields as typed, so a refused form comes
// back exactly as it was sent.
type postForm struct {
	Org, Kind, Title, Body, Summary, Tags, Topic string
	Start, End, TimeZone                         string
	Venue, Address, OnlineURL, BookingURL        string
	// PublishAt is when to publish, "" for now; Scheduled names the
	// scheduled post being changed, if any.
	PublishAt, Scheduled string
	// Images are the picture slots (compose_images.go).
	Images []formImage `json:",omitempty"`
}

// dateTimeLocal is the format of <input type="datetime-local">.
const dateTimeLocal = "2006-01-02T15:04"

// timeZones are offered in the form; any other IANA name can be typed.
var timeZones = []string{"Europe/London", "Europe/Dublin", "Europe/Paris", "UTC", "America/New_York", "Australia/Sydney"}

func readPostForm(r *http.Request) postForm {
	v := func(k string) string { return r.PostFormValue(k) }
	return postForm{Org: v("org"), Kind: v("kind"), Title: v("title"), Body: v("body"), Summary: v("summary"),
		Tags: v("tags"), Topic: v("topic"), Start: v("start"), End: v("end"), TimeZone: strings.TrimSpace(v("timezone")),
		Venue: v("venue"), Address: v("address"), OnlineURL: strings.TrimSpace(v("online_url")), BookingURL: strings.TrimSpace(v("booking_url")),
		PublishAt: v("publish_at"), Scheduled: v("scheduled")}
}

// formOf fills the form from a stored post, for editing.
func formOf(p *model.Post) postForm {
	f := postForm{Org: p.Author.Username, Kind: p.Kind, Title: p.Title, Body: p.Source, Summary: p.Summary, Topic: p.Topic}
	var tags []string
	for _, t := range p.Tags {
		tags = append(tags, t.Name)
	}
	f.Tags = strings.Join(tags, ", ")
	if p.Kind == model.KindEvent {
		loc, err := time.LoadLocation(p.TimeZone)
		if err != nil {
			loc = time.UTC
		}
		f.Start, f.End = p.StartTime.In(loc).Format(dateTimeLocal), p.EndTime.In(loc).Format(dateTimeLocal)
		f.TimeZone, f.Venue, f.Address, f.OnlineURL, f.BookingURL = p.TimeZone, p.Venue, p.Address, p.OnlineURL, p.BookingURL
	}
	return f
}

// draft turns the form into a posts.Draft, noting every field it cannot
// read; the use case does the rest of the validation. Event times are read
// in the chosen zone.
func (f postForm) draft() (posts.Draft, posts.Problems) {
	d := posts.Draft{Kind: f.Kind, Title: f.Title, Body: f.Body, Summary: f.Summary, Topic: f.Topic}
	var ps posts.Problems
	if strings.TrimSpace(f.Tags) != "" {
		tags, err := content.ParseTags(f.Tags)
		if err != nil {
			ps = append(ps, posts.Problem{Field: "tags", Message: model.ErrorMessage(err)})
		}
		d.Tags = tags
	}
	if f.Kind != model.KindEvent {
		return d, ps
	}
	tz := f.TimeZone
	if tz == "" {
		tz = "Europe/London"
	}
	if _, err := content.Zone(tz); err != nil {
		return d, append(ps, posts.Problem{Field: "timezone", Message: fmt.Sprintf("%q is not a time zone name like Europe/London", tz)})
	}
	d.Event = model.Event{TimeZone: tz, Venue: f.Venue, Address: f.Address, OnlineURL: f.OnlineURL, BookingURL: f.BookingURL}
	for _, t := range []struct {
		name, in string
		out      *time.Time
	}{{"start", f.Start, &d.Event.StartTime}, {"end", f.End, &d.Event.EndTime}} {
		if t.in == "" {
			continue
		}
		v, err := content.ParseEventTime(t.in, tz)
		if err != nil {
			ps = append(ps, posts.Problem{Field: t.name, Message: fmt.Sprintf("the event's %s %v", t.name, err)})
			continue
		}
		*t.out = v
	}
	return d, ps
}

// kindParam accepts the short words people use in links (?kind=note).
func kindParam(k string) string {
	switch k {
	case "note", "meetup", model.KindMeetupNote:
		return model.KindMeetupNote
	case model.KindGuidance, model.KindEvent, model.KindUpdate:
		return k
	}
	return model.KindMeetupNote
}
