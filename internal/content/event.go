package content

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/commonplace-social/commonplace/internal/sanitize"
)

// EventWhen says when an event happens, in words people read at a glance,
// in the event's own IANA time zone: the people who go are where the event
// is, and Mastodon shows no startTime, only our summary (INTEROP.md §4).
//
//	Tuesday 10 September 2013, 6:30pm to 8:30pm BST
//	Friday 3 October, 9am to Sunday 5 October 2025, 5pm BST
//	Friday 3 October 2025, 8pm to midnight BST
//
// Minutes are left out on the hour; 12:00 is "midday" and 00:00 "midnight",
// as the GOV.UK and NHS style guides prefer to the ambiguous 12pm/12am. An
// end at midnight reads as the end of the start's day (unless the event
// also starts at midnight, where both dates are needed). The zone
// abbreviation is always given, because the summary is read on servers
// everywhere; it is given twice when a clock change falls inside the event,
// and zones without a lettered abbreviation show as e.g. "UTC+04". A zero
// end, or one equal to start, gives the start alone.
//
// tz must name an IANA zone; "" and "Local" are refused, since they would
// silently mean the server's zone.
func EventWhen(start, end time.Time, tz string) (string, error) {
	if tz == "" || tz == "Local" {
		return "", fmt.Errorf("content: event time zone %q: an IANA zone name such as Europe/London is required", tz)
	}
	loc, err := Zone(tz)
	if err != nil {
		return "", fmt.Errorf("content: event time zone %q: %w", tz, err)
	}
	if !end.IsZero() && end.Before(start) {
		return "", errors.New("content: event ends before it starts")
	}
	s := start.In(loc)
	if end.IsZero() || end.Equal(start) {
		return day(s, true) + ", " + clock(s) + " " + zone(s), nil
	}
	e := end.In(loc)

	var b strings.Builder
	sameDay := sameDate(s, e) || (isMidnight(e) && !isMidnight(s) && sameDate(s, e.Add(-time.Minute)))
	if sameDay {
		b.WriteString(day(s, true) + ", " + clock(s))
	} else {
		b.WriteString(day(s, s.Year() != e.Year()) + ", " + clock(s))
	}
	if zone(s) != zone(e) {
		b.WriteString(" " + zone(s))
	}
	b.WriteString(" to ")
	if !sameDay {
		b.WriteString(day(e, true) + ", ")
	}
	b.WriteString(clock(e) + " " + zone(e))
	return b.String(), nil
}

func isMidnight(t time.Time) bool { return t.Hour() == 0 && t.Minute() == 0 }

func sameDate(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}

// day is "Tuesday 10 September", with the year when asked for.
func day(t time.Time, withYear bool) string {
	if withYear {
		return t.Format("Monday 2 January 2006")
	}
	return t.Format("Monday 2 January")
}

// clock is "6:30pm", "9am", "midday" or "midnight"; seconds are ignored.
func clock(t time.Time) string {
	h, m := t.Hour(), t.Minute()
	switch {
	case isMidnight(t):
		return "midnight"
	case h == 12 && m == 0:
		return "midday"
	}
	suffix := "am"
	if h >= 12 {
		suffix = "pm"
	}
	if h = h % 12; h == 0 {
		h = 12
	}
	if m == 0 {
		return fmt.Sprintf("%d%s", h, suffix)
	}
	return fmt.Sprintf("%d:%02d%s", h, m, suffix)
}

// zone is the zone's abbreviation ("BST"), or "UTC+04" where the tz
// database has none and Go would print a bare "+04".
func zone(t time.Time) string {
	abbr, _ := t.Zone()
	if strings.HasPrefix(abbr, "+") || strings.HasPrefix(abbr, "-") {
		return "UTC" + abbr
	}
	return abbr
}

// EventSummary is the plain-text gist of an event for its ActivityPub
// summary, which is what Mastodon users see of it:
//
//	<when> at <venue>, <address>. Also online. <start of description>
//
// Address lines are joined with commas. With no venue or address but
// online, the first sentence ends "<when>, online.". The when-and-where
// part is always kept whole when it fits; the description fills what is
// left of limit runes (usually SummaryMax), cut at a word. Pass description
// as plain text, such as Rendered.Text.
func EventSummary(start, end time.Time, tz, venue, address string, online bool, description string, limit int) (string, error) {
	if limit < 1 {
		return "", fmt.Errorf("content: event summary limit %d is not positive", limit)
	}
	when, err := EventWhen(start, end, tz)
	if err != nil {
		return "", err
	}
	where := place(venue, address)

	head := when
	switch {
	case where != "" && online:
		head += " at " + where + ". Also online."
	case where != "":
		head += " at " + where + "."
	case online:
		head += ", online."
	default:
		head += "."
	}
	room := limit - len([]rune(head)) - 1 // a space before the description
	if room < 2 {
		return Summary(head, limit), nil
	}
	if desc := Summary(sanitize.Text(description), room); desc != "" && desc != ellipsis {
		head += " " + desc
	}
	return head, nil
}

// place joins venue and address lines into "Tech North, Chapel Allerton,
// Leeds", dropping blank parts and trailing punctuation that would clash
// with the full stop after it.
func place(venue, address string) string {
	var parts []string
	for _, p := range append([]string{venue}, strings.Split(address, "\n")...) {
		p = strings.Trim(strings.Join(strings.Fields(sanitize.Text(p)), " "), " ,.")
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}
