package instance

import (
	"context"
	"net/http"
	"os"
	"time"

	"github.com/gorilla/mux"

	"github.com/commonplace-social/commonplace/federation"
	"github.com/commonplace-social/commonplace/federation/delivery"
	"github.com/commonplace-social/commonplace/internal/metrics"
)

// registerMetrics builds the instance's metrics and serves them at GET
// /metrics, for loopback clients or holders of COMMONPLACE_METRICS_TOKEN
// (read once, here; see metrics.Handler for why the endpoint is closed).
// It also labels every routed request with its route template.
func (inst *Instance) registerMetrics(r *mux.Router) {
	inst.Metrics = metrics.New()
	inst.Metrics.Register(&metrics.QueueCollector{DB: inst.Store.DB, Error: func(err error) {
		inst.Log.Warn("metrics: counting queued jobs failed", "err", err)
	}})
	inst.Metrics.Register(federation.InboxBacklog(inst.Store, func(err error) {
		inst.Log.Warn("metrics: counting pending inbox activities failed", "err", err)
	}))
	inst.Metrics.Register(delivery.Backlog(inst.Store, func(err error) {
		inst.Log.Warn("metrics: counting queued deliveries failed", "err", err)
	}))
	r.Handle("/metrics", inst.Metrics.Handler(os.Getenv(metrics.EnvToken))).Methods("GET", "HEAD")
	r.Use(labelRoute)
}

// routeKey carries a *string the router fills with the matched route's
// template. The counting middleware sits outside the router, which hands
// its handlers a copy of the request, so the template comes back this way.
type routeKey struct{}

// countRequests counts and times every request by route template, never
// the raw path, which would give one series per post or user. It also puts
// the metrics in the request context for the inbox handler.
func countRequests(m *metrics.Metrics, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		route := "unmatched"
		ctx := context.WithValue(metrics.NewContext(r.Context(), m), routeKey{}, &route)
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r.WithContext(ctx))
		m.ObserveRequest(route, r.Method, rec.status, time.Since(start).Seconds())
	})
}

// labelRoute is router middleware: it runs only for matched routes.
func labelRoute(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p, ok := r.Context().Value(routeKey{}).(*string); ok {
			if cur := mux.CurrentRoute(r); cur != nil {
				if tpl, err := cur.GetPathTemplate(); err == nil {
					*p = tpl
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}
