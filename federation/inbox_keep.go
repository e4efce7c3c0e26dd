package federation

import (
	"context"
	"time"

	"github.com/commonplace-social/commonplace/federation/vocab"
	"github.com/commonplace-social/commonplace/internal/metrics"
	"github.com/commonplace-social/commonplace/internal/model"
)

// appliedTypes are the activity types apply acts on (its switch; a test
// keeps the two the same). Only these are kept whole and queued: anything
// else would be ignored when applied, so its body is never stored.
var appliedTypes = map[string]bool{
	"Follow": true, "Undo": true, "Accept": true, "Reject": true, "Update": true, "Delete": true,
	"Create": true, "Like": true, "Announce": true, "QuoteRequest": true,
}

// ignoredRow is the record of an activity we do not apply: its id, type
// and actor alone, already processed. A repeat is still recognised, and a
// sender cannot store a megabyte per request that nothing would read.
func ignoredRow(act *vocab.Activity) *model.InboxActivity {
	now := time.Now().UTC()
	return &model.InboxActivity{ActivityIRI: act.ID, Type: act.Type, ActorIRI: act.Actor,
		ReceivedAt: now, ProcessedAt: now, Outcome: "ignored: " + act.Type + " is not handled yet"}
}

func countIgnored(ctx context.Context, typ string) {
	metrics.From(ctx).InboxActivity(typ, "ignored")
}
