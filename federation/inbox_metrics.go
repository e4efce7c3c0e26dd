package federation

import (
	"github.com/commonplace-social/commonplace/internal/metrics"
	"github.com/commonplace-social/commonplace/internal/store"
)

// InboxBacklog reports how far applying received activities is behind
// receiving them.
func InboxBacklog(st *store.Store, onError func(error)) *metrics.BacklogGauge {
	return &metrics.BacklogGauge{
		Name:  "commonplace_inbox_pending",
		Help:  "Received activities recorded and not yet applied, counted at scrape time.",
		Count: st.CountPendingInboxActivities,
		Error: onError,
	}
}
