package content

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// localLayouts are the wall-clock forms people type for an event's start
// and end: what <input type="datetime-local"> sends, and the same with a
// space, as typed at a shell.
var localLayouts = []string{
	"2006-01-02T15:04", "2006-01-02 15:04",
	"2006-01-02T15:04:05", "2006-01-02 15:04:05",
}

// ParseEventTime reads an event time given as the clock on the wall where
// the event is ("2026-03-26 18:30" or "2026-03-26T18:30") in the IANA zone
// tz, and returns the instant in UTC. The offset comes from the zone, so
// summer time is right without the author working it out.
//
// Where the clocks change, a wall time can be missing or doubled:
//
//   - a time the clocks skip (01:30 on the night they go forward in
//     London) is refused with an error that says so;
//   - a time that happens twice (01:30 on the night they go back) means
//     the first of the two, before the clocks go back, as RFC 5545 reads
//     such times too.
//
// An RFC 3339 time with its own offset (2026-10-25T01:30:00+00:00) is
// taken as the instant it names, whatever tz is; that is also how the
// second of two doubled times is given. tz may then be empty.
func ParseEventTime(s, tz string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	var wall time.Time
	var err error
	for _, layout := range localLayouts {
		if wall, err = time.Parse(layout, s); err == nil {
			break
		}
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date and time like 2026-03-26 18:30", s)
	}
	if tz == "" || tz == "Local" {
		return time.Time{}, fmt.Errorf("%q needs a time zone, such as Europe/London, to say when it is", s)
	}
	loc, err := Zone(tz)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a time zone name like Europe/London", tz)
	}
	switch at := instantsAt(wall, loc); len(at) {
	case 0:
		before, after := wall.Add(-time.Hour).Format("15:04"), wall.Add(time.Hour).Format("15:04")
		return time.Time{}, fmt.Errorf("%s does not happen in %s: the clocks go forward that night, so choose a time such as %s or %s",
			wall.Format("2006-01-02 15:04"), tz, before, after)
	default:
		return at[0], nil
	}
}

// instantsAt finds every instant whose clock in loc reads wall: none in a
// gap, two in an overlap, otherwise one, earliest first. Go's time.Date
// picks one arbitrarily in both cases, so each offset the zone uses near
// that day is tried in turn.
func instantsAt(wall time.Time, loc *time.Location) []time.Time {
	naive := wall.Unix() // the wall clock read as if it were UTC
	offsets := map[int]bool{}
	for _, d := range []int64{-36, -12, 0, 12, 36} {
		_, off := time.Unix(naive+d*3600, 0).In(loc).Zone()
		offsets[off] = true
	}
	var at []time.Time
	for off := range offsets {
		t := time.Unix(naive-int64(off), int64(wall.Nanosecond())).In(loc)
		if _, got := t.Zone(); got == off && sameWall(t, wall) {
			at = append(at, t.UTC())
		}
	}
	sort.Slice(at, func(i, j int) bool { return at[i].Before(at[j]) })
	return at
}

func sameWall(t, wall time.Time) bool {
	y, mo, d := t.Date()
	wy, wmo, wd := wall.Date()
	return y == wy && mo == wmo && d == wd && t.Hour() == wall.Hour() && t.Minute() == wall.Minute() && t.Second() == wall.Second()
}
