package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/commonplace-social/commonplace/internal/content"
	"github.com/commonplace-social/commonplace/internal/model"
	"github.com/commonplace-social/commonplace/internal/posts"
)

// kindNames maps the words people type to the stored kinds.
var kindNames = map[string]string{
	"note": model.KindMeetupNote, "meetup": model.KindMeetupNote, "meetup_note": model.KindMeetupNote,
	"guidance": model.KindGuidance, "event": model.KindEvent, "update": model.KindUpdate,
}

// draftFlags are the flags publish and edit share.
type draftFlags struct {
	kind, title, file, summary, tags, topic            string
	start, end, timezone, venue, address, online, book string
}

func (d *draftFlags) register(f *configFlags) {
	f.StringVar(&d.kind, "kind", "", "note (a meetup write-up), guidance, event or update")
	f.StringVar(&d.title, "title", "", "title (required for all but an update)")
	f.StringVar(&d.file, "file", "", "Markdown file with the text, or - for standard input")
	f.StringVar(&d.summary, "summary", "", "short plain summary (default: taken from the text or the event details)")
	f.StringVar(&d.tags, "tags", "", "extra hashtags, comma separated, e.g. HSCLeeds,TrulySocial")
	f.StringVar(&d.topic, "topic", "", "guidance topic, e.g. \"Social media toolkit\"")
	f.StringVar(&d.start, "start", "", "event start on the clock where it happens, e.g. \"2026-03-26 18:30\" with --timezone Europe/London (a time the clocks skip is refused; one that happens twice means the first)")
	f.StringVar(&d.end, "end", "", "event end, as --start")
	f.StringVar(&d.timezone, "timezone", "", "event time zone, e.g. Europe/London; it gives --start and --end their UTC offset")
	f.StringVar(&d.venue, "venue", "", "event venue name")
	f.StringVar(&d.address, "address", "", "event postal address")
	f.StringVar(&d.online, "online-url", "", "link to join online")
	f.StringVar(&d.book, "booking-url", "", "link to book a place")
}

// draft reads the flags; zone is the event's time zone when --timezone is
// not given (an edit keeps the event's own), in which --start and --end
// are read.
func (d *draftFlags) draft(stdin io.Reader, zone string) (posts.Draft, error) {
	out := posts.Draft{Kind: d.kind, Title: d.title, Summary: d.summary, Topic: d.topic}
	if d.kind != "" {
		k, ok := kindNames[strings.ToLower(d.kind)]
		if !ok {
			return out, fmt.Errorf("%w: --kind must be note, guidance, event or update", errUsage)
		}
		out.Kind = k
	}
	switch d.file {
	case "":
		return out, fmt.Errorf("%w: give the text with --file BODY.md (or --file - to read standard input)", errUsage)
	case "-":
		b, err := io.ReadAll(io.LimitReader(stdin, 1<<20))
		if err != nil {
			return out, fmt.Errorf("read standard input: %w", err)
		}
		out.Body = string(b)
	default:
		b, err := os.ReadFile(d.file)
		if err != nil {
			return out, fmt.Errorf("read %s: %w", d.file, err)
		}
		out.Body = string(b)
	}
	if d.tags != "" {
		tags, err := content.ParseTags(d.tags)
		if err != nil {
			return out, err
		}
		out.Tags = tags
	}
	if d.timezone != "" {
		zone = d.timezone
	}
	var err error
	if out.Event.StartTime, err = parseTime("start", d.start, zone); err != nil {
		return out, err
	}
	if out.Event.EndTime, err = parseTime("end", d.end, zone); err != nil {
		return out, err
	}
	out.Event.TimeZone, out.Event.Venue, out.Event.Address = d.timezone, d.venue, d.address
	out.Event.OnlineURL, out.Event.BookingURL = d.online, d.book
	return out, nil
}

// parseTime reads --start or --end as the clock in the event's zone.
func parseTime(name, s, zone string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := content.ParseEventTime(s, zone)
	if err != nil {
		if zone == "" {
			return t, fmt.Errorf("%w: --%s: %v (give it with --timezone Europe/London, say)", errUsage, name, err)
		}
		return t, fmt.Errorf("%w: --%s: %v", errUsage, name, err)
	}
	return t, nil
}

// stdin is where `--file -` reads from; tests replace it.
var stdin io.Reader = os.Stdin

func runPublish(ctx context.Context, args []string, out, _ io.Writer) error {
	var orgName, at string
	var d draftFlags
	var images imageFlags
	core, rest, err := openTools(ctx, "publish", "publish --org USERNAME --kind note|guidance|event|update [--title TITLE] --file BODY.md [--summary TEXT] [--tags a,b] [--topic TOPIC] [--start \"2026-03-26 18:30\" --end \"2026-03-26 20:30\" --timezone Europe/London --venue NAME --address TEXT --online-url URL --booking-url URL] [--image FILE --alt TEXT]...", args, out,
		func(f *configFlags) {
			f.StringVar(&orgName, "org", "", "the organisation that publishes (required)")
			f.StringVar(&at, "at", "", "publish later, at this RFC 3339 time (e.g. 2026-12-24T09:00:00Z); the running server publishes it then")
			d.register(f)
			images.register(f)
		})
	if err != nil {
		return err
	}
	defer core.Close()
	if len(rest) > 0 {
		return fmt.Errorf("%w: publish takes no arguments besides flags, got %q", errUsage, rest)
	}
	if d.kind == "" {
		return fmt.Errorf("%w: say what kind of post with --kind note|guidance|event|update", errUsage)
	}
	o, err := org(ctx, core, orgName)
	if err != nil {
		return err
	}
	draft, err := d.draft(stdin, "")
	if err != nil {
		return err
	}
	if at != "" {
		if len(images.files) > 0 {
			return fmt.Errorf("a scheduled post cannot carry images yet: publish it with --image without --at, or schedule it without images")
		}
		return schedule(ctx, core, o, draft, at, out)
	}
	if draft.Images, err = images.prepare(ctx, core); err != nil {
		return err
	}
	p, err := core.Posts.Publish(ctx, o, draft)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, core.Layout.Post(o.Username, p.Token))
	return nil
}

func runEdit(ctx context.Context, args []string, out, _ io.Writer) error {
	var d draftFlags
	core, rest, err := openTools(ctx, "edit", "edit POST_URL_OR_ID [--title TITLE] --file BODY.md [other publish flags]", args, out,
		func(f *configFlags) { d.register(f) })
	if err != nil {
		return err
	}
	defer core.Close()
	if len(rest) != 1 {
		return fmt.Errorf("%w: give the post's URL or id", errUsage)
	}
	p, err := core.Posts.Find(ctx, rest[0])
	if err != nil {
		return err
	}
	draft, err := d.draft(stdin, p.TimeZone)
	if err != nil {
		return err
	}
	if draft.Kind == "" {
		draft.Kind = p.Kind
	}
	keepUnset(&draft, p, d)
	if _, err := core.Posts.Edit(ctx, p, draft); err != nil {
		return err
	}
	fmt.Fprintln(out, core.Layout.Post(p.Author.Username, p.Token))
	return nil
}

// keepUnset carries over what an edit does not mention, so that changing
// the text of an event does not erase its time and place.
func keepUnset(d *posts.Draft, p *model.Post, f draftFlags) {
	if f.title == "" {
		d.Title = p.Title
	}
	if f.topic == "" {
		d.Topic = p.Topic
	}
	if f.tags == "" {
		for _, t := range p.Tags {
			d.Tags = append(d.Tags, t.Name)
		}
	}
	if p.Kind != model.KindEvent {
		return
	}
	e := &d.Event
	if f.start == "" {
		e.StartTime = p.StartTime
	}
	if f.end == "" {
		e.EndTime = p.EndTime
	}
	if f.timezone == "" {
		e.TimeZone = p.TimeZone
	}
	if f.venue == "" {
		e.Venue = p.Venue
	}
	if f.address == "" {
		e.Address = p.Address
	}
	if f.online == "" {
		e.OnlineURL = p.OnlineURL
	}
	if f.book == "" {
		e.BookingURL = p.BookingURL
	}
}

func runDelete(ctx context.Context, args []string, out, _ io.Writer) error {
	core, rest, err := openTools(ctx, "delete", "delete POST_URL_OR_ID", args, out, nil)
	if err != nil {
		return err
	}
	defer core.Close()
	if len(rest) != 1 {
		return fmt.Errorf("%w: give the post's URL or id", errUsage)
	}
	p, err := core.Posts.Find(ctx, rest[0])
	if err != nil {
		return err
	}
	if err := core.Posts.Delete(ctx, p); err != nil {
		return err
	}
	fmt.Fprintf(out, "Deleted %s; the server will tell its followers.\n", core.Layout.Post(p.Author.Username, p.Token))
	return nil
}
