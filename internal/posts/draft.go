package posts

import (
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

func invalid(format string, args ...any) error { return model.Errorf(model.EInvalid, format, args...) }

// validate checks a draft and returns it with its text tidied.
func validate(d Draft) (Draft, error) {
	d.Title = strings.TrimSpace(d.Title)
	d.Summary = strings.TrimSpace(d.Summary)
	d.Topic = strings.TrimSpace(d.Topic)
	d.Body = strings.ReplaceAll(d.Body, "\x00", "")
	switch {
	case !slices.Contains(model.PublishedKinds, d.Kind):
		return d, invalid("the kind %q is not one of note, guidance, event or update", d.Kind)
	case d.Kind != model.KindUpdate && d.Title == "":
		return d, invalid("a title is required for this kind of post")
	case utf8.RuneCountInString(d.Title) > maxTitle:
		return d, invalid("the title is longer than %d characters", maxTitle)
	case strings.TrimSpace(d.Body) == "":
		return d, invalid("the post has no text")
	case len(d.Body) > maxBody:
		return d, invalid("the text is longer than %d bytes", maxBody)
	case utf8.RuneCountInString(d.Summary) > maxSummary:
		return d, invalid("the summary is longer than %d characters: Mastodon shows it alone, so keep it short", maxSummary)
	case d.Topic != "" && d.Kind != model.KindGuidance:
		return d, invalid("only guidance has a topic")
	case utf8.RuneCountInString(d.Topic) > 100:
		return d, invalid("the topic is longer than 100 characters")
	case len(d.Images) > MaxImages:
		return d, invalid("a post can carry at most %d images; this one has %d", MaxImages, len(d.Images))
	}
	if d.Kind == model.KindEvent {
		return d, validateEvent(&d.Event)
	}
	if d.Event != (model.Event{}) {
		return d, invalid("only events have a start, end, venue or links")
	}
	return d, nil
}

func validateEvent(e *model.Event) error {
	e.Venue, e.Address = strings.TrimSpace(e.Venue), strings.TrimSpace(e.Address)
	switch {
	case e.StartTime.IsZero() || e.EndTime.IsZero():
		return invalid("an event needs a start and an end")
	case e.EndTime.Before(e.StartTime):
		return invalid("the event ends before it starts")
	case e.EndTime.Sub(e.StartTime) > 31*24*time.Hour:
		return invalid("the event lasts more than a month; publish it as several events")
	case e.TimeZone == "":
		return invalid("an event needs a time zone, e.g. Europe/London")
	case e.Venue == "" && e.OnlineURL == "":
		return invalid("an event needs a venue or an online link")
	case utf8.RuneCountInString(e.Venue) > maxField || utf8.RuneCountInString(e.Address) > maxField:
		return invalid("the venue or address is longer than %d characters", maxField)
	}
	if _, err := time.LoadLocation(e.TimeZone); err != nil {
		return invalid("%q is not a time zone name like Europe/London", e.TimeZone)
	}
	for name, u := range map[string]string{"online link": e.OnlineURL, "booking link": e.BookingURL} {
		if u == "" {
			continue
		}
		parsed, err := url.Parse(u)
		if err != nil || (parsed.Scheme != "https" && parsed.Scheme != "http") || parsed.Host == "" {
			return invalid("the %s %q is not an http(s) URL", name, u)
		}
	}
	return nil
}
