package web

import (
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/internal/model"
)

// The compose form reads an event's times on the clock of its zone, with
// summer time from the zone, and says plainly when a time does not exist.
func TestComposeFormReadsEventTimesInTheEventsZone(t *testing.T) {
	f := postForm{Kind: model.KindEvent, Title: "Tweet Meet", Body: "Cake.", TimeZone: "Europe/London",
		Start: "2026-10-24T18:30", End: "2026-10-26T18:30"}
	d, err := f.draft()
	if err != nil {
		t.Fatal(err)
	}
	if s, e := d.Event.StartTime.Format(time.RFC3339), d.Event.EndTime.Format(time.RFC3339); s != "2026-10-24T17:30:00Z" || e != "2026-10-26T18:30:00Z" {
		t.Errorf("times read as %s to %s, want BST then GMT", s, e)
	}

	f.Start = "2026-03-29T01:30"
	_, ps := f.draft()
	if len(ps) != 1 || ps[0].Field != "start" || !strings.HasPrefix(ps[0].Message, "the event's start 2026-03-29 01:30 does not happen in Europe/London") {
		t.Errorf("skipped hour: %+v", ps)
	}
}
