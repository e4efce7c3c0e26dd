package content

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestEventWhen(t *testing.T) {
	tests := []struct {
		name, start, end, tz, want string
	}{
		{"Tweet Meet, BST", "2013-09-10T17:30:00Z", "2013-09-10T19:30:00Z", "Europe/London",
			"Tuesday 10 September 2013, 6:30pm to 8:30pm BST"},
		{"winter is GMT, on the hour", "2013-12-10T18:30:00Z", "2013-12-10T20:00:00Z", "Europe/London",
			"Tuesday 10 December 2013, 6:30pm to 8pm GMT"},
		{"multi-day, same year", "2025-10-03T08:00:00Z", "2025-10-05T16:00:00Z", "Europe/London",
			"Friday 3 October, 9am to Sunday 5 October 2025, 5pm BST"},
		{"multi-day across years", "2025-12-31T20:00:00Z", "2026-01-01T01:00:00Z", "Europe/London",
			"Wednesday 31 December 2025, 8pm to Thursday 1 January 2026, 1am GMT"},
		{"midday", "2013-09-05T11:00:00Z", "2013-09-05T13:30:00Z", "Europe/London",
			"Thursday 5 September 2013, midday to 2:30pm BST"},
		{"Social Care Curry until midnight", "2013-09-05T18:30:00Z", "2013-09-05T23:00:00Z", "Europe/London",
			"Thursday 5 September 2013, 7:30pm to midnight BST"},
		{"from midnight", "2013-09-05T23:00:00Z", "2013-09-06T01:30:00Z", "Europe/London",
			"Friday 6 September 2013, midnight to 2:30am BST"},
		{"just after midnight and noon", "2013-09-05T23:30:00Z", "2013-09-06T11:15:00Z", "Europe/London",
			"Friday 6 September 2013, 12:30am to 12:15pm BST"},
		{"midnight to midnight", "2025-10-02T23:00:00Z", "2025-10-03T23:00:00Z", "Europe/London",
			"Friday 3 October, midnight to Saturday 4 October 2025, midnight BST"},
		{"no end", "2013-09-10T17:30:00Z", "", "Europe/London",
			"Tuesday 10 September 2013, 6:30pm BST"},
		{"clocks go back during the event", "2025-10-25T23:30:00Z", "2025-10-26T02:00:00Z", "Europe/London",
			"Sunday 26 October 2025, 12:30am BST to 2am GMT"},
		{"another zone", "2013-09-10T17:30:00Z", "2013-09-10T19:30:00Z", "America/New_York",
			"Tuesday 10 September 2013, 1:30pm to 3:30pm EDT"},
		{"zone without letters", "2013-09-10T17:30:00Z", "2013-09-10T19:30:00Z", "Asia/Dubai",
			"Tuesday 10 September 2013, 9:30pm to 11:30pm UTC+04"},
		{"UTC", "2013-09-10T17:30:00Z", "2013-09-10T19:30:00Z", "UTC",
			"Tuesday 10 September 2013, 5:30pm to 7:30pm UTC"},
	}
	for _, tt := range tests {
		var end time.Time
		if tt.end != "" {
			end = at(tt.end)
		}
		got, err := EventWhen(at(tt.start), end, tt.tz)
		if err != nil || got != tt.want {
			t.Errorf("%s: EventWhen = %q, %v\n want %q", tt.name, got, err, tt.want)
		}
	}
}

func TestEventWhenErrors(t *testing.T) {
	start, end := at("2013-09-10T17:30:00Z"), at("2013-09-10T19:30:00Z")
	for _, tz := range []string{"Europe/Leeds", "", "Local", "../../etc/passwd"} {
		if _, err := EventWhen(start, end, tz); err == nil || !strings.Contains(err.Error(), "time zone") {
			t.Errorf("EventWhen(tz %q) error = %v, want a time zone error", tz, err)
		}
	}
	if _, err := EventWhen(end, start, "Europe/London"); err == nil {
		t.Error("EventWhen accepted an end before the start")
	}
}

func TestEventSummary(t *testing.T) {
	start, end := at("2013-09-10T17:30:00Z"), at("2013-09-10T19:30:00Z")
	when := "Tuesday 10 September 2013, 6:30pm to 8:30pm BST"
	desc := "The fourth #HSCLeeds Tweet Meet.\n\nBring your questions about social media at work; cake likely."
	tests := []struct {
		name, venue, address string
		online               bool
		want                 string
	}{
		{"venue and address", "Tech North", "Chapel Allerton, Leeds", false,
			when + " at Tech North, Chapel Allerton, Leeds. The fourth #HSCLeeds Tweet Meet. Bring your questions about social media at work; cake likely."},
		{"address lines", " Tech North ", "Chapel Allerton\n\nLeeds.\n", false,
			when + " at Tech North, Chapel Allerton, Leeds. The fourth"},
		{"hybrid", "Tech North", "Chapel Allerton, Leeds", true,
			when + " at Tech North, Chapel Allerton, Leeds. Also online. The fourth"},
		{"online only", "", "", true, when + ", online. The fourth"},
		{"nowhere given", "", "", false, when + ". The fourth"},
	}
	for _, tt := range tests {
		got, err := EventSummary(start, end, "Europe/London", tt.venue, tt.address, tt.online, desc, SummaryMax)
		if err != nil || !strings.HasPrefix(got, tt.want) {
			t.Errorf("%s: EventSummary = %q, %v\n want prefix %q", tt.name, got, err, tt.want)
		}
	}
}

func TestEventSummaryBounds(t *testing.T) {
	start, end := at("2013-09-05T18:30:00Z"), at("2013-09-05T23:00:00Z")
	head := "Thursday 5 September 2013, 7:30pm to midnight BST at the Mumtaz, Leeds."
	long := strings.Repeat("An informal curry for people working in social care, with #TrulySocial chat. ", 20)
	for _, limit := range []int{1, 10, 40, len(head), len(head) + 1, len(head) + 3, len(head) + 30, SummaryMax} {
		got, err := EventSummary(start, end, "Europe/London", "the Mumtaz", "Leeds", false, long+"\x00", limit)
		if err != nil {
			t.Fatal(err)
		}
		if n := utf8.RuneCountInString(got); n > limit {
			t.Errorf("limit %d: %d runes: %q", limit, n, got)
		}
		if limit >= len(head) && !strings.HasPrefix(got, head) {
			t.Errorf("limit %d: lost when and where: %q", limit, got)
		}
		if strings.ContainsRune(got, 0) || strings.HasSuffix(got, " "+ellipsis) {
			t.Errorf("limit %d: %q", limit, got)
		}
	}
	if got, _ := EventSummary(start, end, "Europe/London", "the Mumtaz", "Leeds", false, long, SummaryMax); !strings.HasSuffix(got, ellipsis) {
		t.Errorf("long description not cut: %q", got)
	}
	if _, err := EventSummary(start, end, "Europe/London", "", "", false, "", 0); err == nil {
		t.Error("EventSummary accepted limit 0")
	}
	if _, err := EventSummary(start, end, "Mars/Olympus", "", "", false, "", SummaryMax); err == nil {
		t.Error("EventSummary accepted an unknown zone")
	}
}

func ExampleEventWhen() {
	start := time.Date(2013, 9, 10, 17, 30, 0, 0, time.UTC)
	when, _ := EventWhen(start, start.Add(2*time.Hour), "Europe/London")
	fmt.Println(when)
	// Output: Tuesday 10 September 2013, 6:30pm to 8:30pm BST
}
