package content

import (
	"strings"
	"testing"
	"time"
)

// The wall clock in the event's zone gives the instant, with summer time
// worked out from the zone on both sides of each change, in both
// hemispheres.
func TestParseEventTimeAcrossClockChanges(t *testing.T) {
	for _, c := range []struct {
		in, tz, want string // want in RFC 3339 UTC
	}{
		// London 2026: the clocks go forward at 01:00 GMT on 29 March and
		// back at 01:00 GMT on 25 October.
		{"2026-03-26 18:30", "Europe/London", "2026-03-26T18:30:00Z"},
		{"2026-03-26T18:30", "Europe/London", "2026-03-26T18:30:00Z"},
		{"2026-03-29 00:59", "Europe/London", "2026-03-29T00:59:00Z"},
		{"2026-03-29 02:00", "Europe/London", "2026-03-29T01:00:00Z"},
		{"2026-03-30 18:30", "Europe/London", "2026-03-30T17:30:00Z"},
		{"2026-10-24 18:30", "Europe/London", "2026-10-24T17:30:00Z"},
		{"2026-10-25 00:59", "Europe/London", "2026-10-24T23:59:00Z"},
		{"2026-10-25 02:00", "Europe/London", "2026-10-25T02:00:00Z"},
		{"2026-10-26 18:30:00", "Europe/London", "2026-10-26T18:30:00Z"},
		// Sydney's summer is the other way round: October forward, April back.
		{"2026-10-03 18:30", "Australia/Sydney", "2026-10-03T08:30:00Z"},
		{"2026-10-05 18:30", "Australia/Sydney", "2026-10-05T07:30:00Z"},
		{"2026-04-04 18:30", "Australia/Sydney", "2026-04-04T07:30:00Z"},
		{"2026-04-06 18:30", "Australia/Sydney", "2026-04-06T08:30:00Z"},
		{"2026-03-26 18:30", "UTC", "2026-03-26T18:30:00Z"},
		// An explicit offset names the instant itself.
		{"2026-03-26T18:30:00+01:00", "Europe/London", "2026-03-26T17:30:00Z"},
		{"2026-03-26T18:30:00+01:00", "", "2026-03-26T17:30:00Z"},
		{" 2026-03-26 18:30 ", "Europe/London", "2026-03-26T18:30:00Z"},
	} {
		got, err := ParseEventTime(c.in, c.tz)
		if err != nil {
			t.Errorf("ParseEventTime(%q, %q): %v", c.in, c.tz, err)
			continue
		}
		if s := got.Format(time.RFC3339); s != c.want || got.Location() != time.UTC {
			t.Errorf("ParseEventTime(%q, %q) = %s (%v), want %s", c.in, c.tz, s, got.Location(), c.want)
		}
	}
}

// A time that happens twice, as the clocks go back, is the first of the
// two; the second is reached with an explicit offset.
func TestParseEventTimeDoubledHourIsTheFirst(t *testing.T) {
	for _, c := range []struct{ in, tz, want string }{
		{"2026-10-25 01:30", "Europe/London", "2026-10-25T00:30:00Z"},             // BST, not GMT
		{"2026-10-25T01:30:00+00:00", "Europe/London", "2026-10-25T01:30:00Z"},    // GMT, asked for
		{"2026-04-05 02:30", "Australia/Sydney", "2026-04-04T15:30:00Z"},          // AEDT, not AEST
		{"2026-11-01 01:30", "America/New_York", "2026-11-01T05:30:00Z"},          // EDT, not EST
		{"2026-11-01T01:30:00-05:00", "America/New_York", "2026-11-01T06:30:00Z"}, // EST, asked for
	} {
		got, err := ParseEventTime(c.in, c.tz)
		if err != nil || got.Format(time.RFC3339) != c.want {
			t.Errorf("ParseEventTime(%q, %q) = %s, %v; want %s", c.in, c.tz, got.Format(time.RFC3339), err, c.want)
		}
	}
}

// A time the clocks skip is refused, saying why and what to choose.
func TestParseEventTimeSkippedHourIsRefused(t *testing.T) {
	for _, c := range []struct{ in, tz string }{
		{"2026-03-29 01:30", "Europe/London"},
		{"2026-03-29T01:00", "Europe/London"},
		{"2026-10-04 02:15", "Australia/Sydney"},
		{"2026-03-08 02:30", "America/New_York"},
	} {
		_, err := ParseEventTime(c.in, c.tz)
		if err == nil || !strings.Contains(err.Error(), "does not happen in "+c.tz) || !strings.Contains(err.Error(), "clocks go forward") {
			t.Errorf("ParseEventTime(%q, %q) error = %v, want one about the clocks going forward", c.in, c.tz, err)
		}
	}
}

func TestParseEventTimeRefusesWhatItCannotRead(t *testing.T) {
	for _, c := range []struct{ in, tz, want string }{
		{"26/03/2026 18:30", "Europe/London", "not a date and time like 2026-03-26 18:30"},
		{"2026-02-30 18:30", "Europe/London", "not a date and time"},
		{"", "Europe/London", "not a date and time"},
		{"2026-03-26 18:30", "", "needs a time zone"},
		{"2026-03-26 18:30", "Local", "needs a time zone"},
		{"2026-03-26 18:30", "Europe/Leeds", `"Europe/Leeds" is not a time zone name`},
	} {
		if _, err := ParseEventTime(c.in, c.tz); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseEventTime(%q, %q) error = %v, want %q", c.in, c.tz, err, c.want)
		}
	}
}
