package federation

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/commonplace-social/commonplace/internal/metrics"
	"github.com/commonplace-social/commonplace/internal/store"
)

// InboxBacklog reports how far applying received activities is behind
// receiving them.
func InboxBacklog(st *store.Store, onError func(error)) *metrics.BacklogGauge {
	return &metrics.BacklogGauge{
		Desc: prometheus.NewDesc("commonplace_inbox_pending",
			"Received activities recorded and not yet applied, counted at scrape time.", nil, nil),
		Count: st.CountPendingInboxActivities,
		Error: onError,
	}
}
