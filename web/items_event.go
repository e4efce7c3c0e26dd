package web

import (
	"strings"

	"github.com/commonplace-social/commonplace/internal/content"
	"github.com/commonplace-social/commonplace/internal/model"
)

// eventLines is an event card's one line of when and where, and the rest of
// its summary. A summary made from the event's details (ours, and every
// Commonplace peer's) starts with that same line, which the card would
// otherwise print twice; a summary the author wrote is left whole.
func eventLines(p *model.Post) (when, rest string) {
	head, err := content.EventSummary(p.StartTime, p.EndTime, p.TimeZone, p.Venue, p.Address, p.OnlineURL != "", "", content.SummaryMax)
	if err != nil {
		when = readableWhen(p)
		if p.Venue != "" {
			when += ", " + p.Venue
		}
		return when, p.Summary
	}
	if after, ok := strings.CutPrefix(p.Summary, head); ok {
		return head, strings.TrimSpace(after)
	}
	return head, p.Summary
}
