package posts

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/internal/model"
)

// A draft with several things wrong is refused with all of them, each
// named by its field, and still reads as one EInvalid error for the CLI.
func TestValidateReportsEveryProblem(t *testing.T) {
	start := time.Date(2030, 9, 10, 17, 30, 0, 0, time.UTC)
	_, err := validate(Draft{Kind: model.KindEvent, Body: " ", Topic: "x",
		Event: model.Event{StartTime: start, EndTime: start.Add(-time.Hour), TimeZone: "Mars/Olympus", BookingURL: "ftp://x"}})
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("err = %v, want Problems", err)
	}
	var fields []string
	for _, p := range ps {
		fields = append(fields, p.Field)
	}
	want := "title body topic end timezone venue booking_url"
	if got := strings.Join(fields, " "); got != want {
		t.Errorf("fields = %q, want %q", got, want)
	}
	if model.ErrorCode(err) != model.EInvalid || !strings.Contains(model.ErrorMessage(err), "a title is required") ||
		!strings.Contains(model.ErrorMessage(err), "the event ends before it starts") {
		t.Errorf("as one error: %s %q", model.ErrorCode(err), model.ErrorMessage(err))
	}
	if _, err := validate(Draft{Kind: model.KindUpdate, Body: "Fine."}); err != nil {
		t.Errorf("a good draft: %v", err)
	}
}
