package posts

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/commonplace-social/commonplace/internal/model"
)

// Draft is what an author gives to publish or edit a post, from the web
// form or the command line.
type Draft struct {
	Kind    string
	Title   string
	Body    string // Markdown
	Summary string // optional: derived from the body (or the event details) when empty
	Tags    []string
	Topic   string // guidance only
	Event   model.Event
	// Images are pictures already processed and stored (media.Service's
	// Prepare), saved with the post in its transaction; at most MaxImages.
	Images []*model.Media
}

// MaxImages is how many images a post may carry, as on Mastodon.
const MaxImages = 4

// Limits keep posts within what other servers accept and people read.
const (
	maxTitle   = 200
	maxSummary = 500 // Mastodon's recommendation for a summary shown alone
	maxBody    = 100_000
	maxField   = 300
)

// Problem is one thing wrong with a draft, named by the form field it is
// about (the field names of the web form: title, body, start...), so a form
// can show each message next to its field.
type Problem struct {
	Field   string
	Message string
}

// Problems is everything wrong with a draft at once, so a person fixes all
// of it in one go rather than one refusal at a time. It unwraps to a
// model.Error with code EInvalid whose message lists every problem, for
// callers (the CLI) that only print a sentence.
type Problems []Problem

func (ps Problems) Error() string {
	msgs := make([]string, len(ps))
	for i, p := range ps {
		msgs[i] = p.Message
	}
	return strings.Join(msgs, "; ")
}

func (ps Problems) Unwrap() error { return model.Errorf(model.EInvalid, "%s", ps.Error()) }

// Has reports whether a field already has a problem.
func (ps Problems) Has(field string) bool {
	return slices.ContainsFunc(ps, func(p Problem) bool { return p.Field == field })
}

// Err is nil when there are no problems.
func (ps Problems) Err() error {
	if len(ps) == 0 {
		return nil
	}
	return ps
}

// Check validates a draft as publishing would, without storing anything,
// and returns it with its text tidied; the error, if any, is Problems.
func Check(d Draft) (Draft, error) { return validate(d) }

// validate checks a draft and returns it with its text tidied. Every
// problem is reported, not only the first.
func validate(d Draft) (Draft, error) {
	d.Title = strings.TrimSpace(d.Title)
	d.Summary = strings.TrimSpace(d.Summary)
	d.Topic = strings.TrimSpace(d.Topic)
	d.Body = strings.ReplaceAll(d.Body, "\x00", "")
	var ps Problems
	add := func(field, format string, args ...any) {
		ps = append(ps, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if !slices.Contains(model.PublishedKinds, d.Kind) {
		add("kind", "the kind %q is not one of note, guidance, event or update", d.Kind)
	}
	switch {
	case d.Kind != model.KindUpdate && d.Title == "":
		add("title", "a title is required for this kind of post")
	case utf8.RuneCountInString(d.Title) > maxTitle:
		add("title", "the title is longer than %d characters", maxTitle)
	}
	switch {
	case strings.TrimSpace(d.Body) == "":
		add("body", "the post has no text")
	case len(d.Body) > maxBody:
		add("body", "the text is longer than %d bytes", maxBody)
	}
	if utf8.RuneCountInString(d.Summary) > maxSummary {
		add("summary", "the summary is longer than %d characters: Mastodon shows it alone, so keep it short", maxSummary)
	}
	switch {
	case d.Topic != "" && d.Kind != model.KindGuidance:
		add("topic", "only guidance has a topic")
	case utf8.RuneCountInString(d.Topic) > 100:
		add("topic", "the topic is longer than 100 characters")
	}
	if len(d.Images) > MaxImages {
		add("images", "a post can carry at most %d images; this one has %d", MaxImages, len(d.Images))
	}
	switch {
	case d.Kind == model.KindEvent:
		ps = append(ps, validateEvent(&d.Event)...)
	case d.Event != (model.Event{}):
		add("start", "only events have a start, end, venue or links")
	}
	return d, ps.Err()
}

func validateEvent(e *model.Event) Problems {
	e.Venue, e.Address = strings.TrimSpace(e.Venue), strings.TrimSpace(e.Address)
	var ps Problems
	add := func(field, format string, args ...any) {
		ps = append(ps, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if e.StartTime.IsZero() {
		add("start", "an event needs a start")
	}
	if e.EndTime.IsZero() {
		add("end", "an event needs an end")
	}
	if !e.StartTime.IsZero() && !e.EndTime.IsZero() {
		switch {
		case e.EndTime.Before(e.StartTime):
			add("end", "the event ends before it starts")
		case e.EndTime.Sub(e.StartTime) > 31*24*time.Hour:
			add("end", "the event lasts more than a month; publish it as several events")
		}
	}
	if e.TimeZone == "" {
		add("timezone", "an event needs a time zone, e.g. Europe/London")
	} else if _, err := time.LoadLocation(e.TimeZone); err != nil {
		add("timezone", "%q is not a time zone name like Europe/London", e.TimeZone)
	}
	if e.Venue == "" && e.OnlineURL == "" {
		add("venue", "an event needs a venue or an online link")
	}
	if utf8.RuneCountInString(e.Venue) > maxField {
		add("venue", "the venue is longer than %d characters", maxField)
	}
	if utf8.RuneCountInString(e.Address) > maxField {
		add("address", "the address is longer than %d characters", maxField)
	}
	for _, l := range []struct{ field, name, url string }{{"online_url", "online link", e.OnlineURL}, {"booking_url", "booking link", e.BookingURL}} {
		if l.url == "" {
			continue
		}
		parsed, err := url.Parse(l.url)
		if err != nil || (parsed.Scheme != "https" && parsed.Scheme != "http") || parsed.Host == "" {
			add(l.field, "the %s %q is not an http(s) URL", l.name, l.url)
		}
	}
	return ps
}

// Preview renders a draft into the post it would publish, problems and all, storing and
// sending nothing, so a form can show it exactly as readers will see it.
func (s *Service) Preview(org *model.Actor, d Draft) (*model.Post, error) {
	p := &model.Post{AuthorID: org.ID, Author: org, Local: true, Token: "preview"}
	// A half-finished draft previews too: what is wrong with it is reported
	// beside the preview, not instead of it.
	d, _ = validate(d)
	if err := s.render(p, org, d); err != nil {
		return nil, err
	}
	p.Published = time.Now().UTC().Truncate(time.Second)
	return p, nil
}
