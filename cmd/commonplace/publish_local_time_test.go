package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
)

// --start and --end are the clock where the event happens; --timezone
// gives the offset, summer time included, and an edit that changes only
// the time reads it in the event's own zone.
func TestPublishReadsEventTimesInTheEventsZone(t *testing.T) {
	ctx := context.Background()
	a := instancetest.Start(t, store.SQLite)
	a.AddOrg(t, orgs.NewOrg{Username: "hscleeds", Name: "HSC Leeds"})
	body := filepath.Join(t.TempDir(), "event.md")
	if err := os.WriteFile(body, []byte("Bring questions."), 0o600); err != nil {
		t.Fatal(err)
	}
	event := func(start, end string) []string {
		return []string{"publish", "--org", "hscleeds", "--kind", "event", "--title", "Tweet Meet", "--file", body,
			"--start", start, "--end", end, "--timezone", "Europe/London", "--venue", "Tech North", "--db", a.DBURL}
	}
	stored := func(postURL string) (string, string) {
		t.Helper()
		p, err := a.Posts.Find(ctx, postURL)
		if err != nil {
			t.Fatal(err)
		}
		return p.StartTime.UTC().Format(time.RFC3339), p.EndTime.UTC().Format(time.RFC3339)
	}

	for _, c := range []struct{ start, end, wantStart, wantEnd string }{
		// Thursday before the clocks go forward (GMT), Monday after (BST).
		{"2026-03-26 18:30", "2026-03-26T20:30", "2026-03-26T18:30:00Z", "2026-03-26T20:30:00Z"},
		{"2026-03-30 18:30", "2026-03-30 20:30", "2026-03-30T17:30:00Z", "2026-03-30T19:30:00Z"},
		// Saturday before they go back (BST), Monday after (GMT).
		{"2026-10-24T18:30", "2026-10-24T20:30", "2026-10-24T17:30:00Z", "2026-10-24T19:30:00Z"},
		{"2026-10-26 18:30", "2026-10-26 20:30", "2026-10-26T18:30:00Z", "2026-10-26T20:30:00Z"},
	} {
		r := runCmd(ctx, nil, t, event(c.start, c.end)...)
		if r.code != 0 {
			t.Fatalf("publish --start %q: %+v", c.start, r)
		}
		if s, e := stored(strings.TrimSpace(r.out)); s != c.wantStart || e != c.wantEnd {
			t.Errorf("--start %q --end %q stored as %s to %s, want %s to %s", c.start, c.end, s, e, c.wantStart, c.wantEnd)
		}
	}

	r := runCmd(ctx, nil, t, event("2026-03-26 18:30", "2026-03-26 20:30")...)
	postURL := strings.TrimSpace(r.out)
	if r := runCmd(ctx, nil, t, "edit", postURL, "--file", body, "--start", "2026-07-02 18:00", "--end", "2026-07-02 19:00", "--db", a.DBURL); r.code != 0 {
		t.Fatalf("edit: %+v", r)
	}
	if s, e := stored(postURL); s != "2026-07-02T17:00:00Z" || e != "2026-07-02T18:00:00Z" {
		t.Errorf("edited in the event's zone to %s to %s, want 17:00Z to 18:00Z", s, e)
	}

	for name, c := range map[string]struct {
		args []string
		want string
	}{
		"no zone": {[]string{"publish", "--org", "hscleeds", "--kind", "event", "--title", "x", "--file", body,
			"--start", "2026-03-26 18:30", "--end", "2026-03-26 20:30", "--db", a.DBURL}, "--timezone"},
		"skipped hour": {event("2026-03-29 01:30", "2026-03-29 03:00"), "the clocks go forward"},
		"not a time":   {event("next tuesday", "2026-03-29 03:00"), "not a date and time like 2026-03-26 18:30"},
	} {
		r := runCmd(ctx, nil, t, c.args...)
		if r.code == 0 || !strings.Contains(r.errOut, c.want) || !strings.Contains(r.errOut, "--start") ||
			strings.Count(strings.TrimSpace(r.errOut), "\n") > 0 {
			t.Errorf("%s: exit %d, stderr %q; want a one-line error about --start mentioning %q", name, r.code, r.errOut, c.want)
		}
	}
}
