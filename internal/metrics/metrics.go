// Package metrics holds an instance's Prometheus metrics. Each instance has
// its own registry rather than the global default, so that several
// instances in one process (the multi-instance tests) count separately.
package metrics

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics are one instance's counters. All methods are safe on a nil
// *Metrics and then do nothing, so code paths without an instance (unit
// tests, CLI commands) need no metrics wired.
type Metrics struct {
	Registry *prometheus.Registry

	httpRequests *prometheus.CounterVec
	httpDuration *prometheus.HistogramVec
	inbox        *prometheus.CounterVec
	sigFailures  *prometheus.CounterVec
	deliveries   *prometheus.CounterVec
	throttled    *prometheus.CounterVec
}

// New builds the metrics and registers them, with the Go runtime and
// process collectors, on a fresh registry.
func New() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		httpRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "commonplace_http_requests_total",
			Help: "HTTP requests answered, by route template, method and status code.",
		}, []string{"route", "method", "code"}),
		httpDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "commonplace_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route template and method.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route", "method"}),
		inbox: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "commonplace_inbox_activities_total",
			Help: "Inbox activities by type and outcome: accepted, duplicate or refused_<status> on receipt; applied, ignored, dropped or failed when applied.",
		}, []string{"type", "outcome"}),
		sigFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "commonplace_signature_failures_total",
			Help: "Inbox deliveries refused for their HTTP signature, by reason.",
		}, []string{"reason"}),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "commonplace_deliveries_total",
			Help: "Outgoing delivery attempts by outcome: delivered, retry, gave_up, snoozed, throttled, cancelled, dead_host.",
		}, []string{"outcome"}),
		throttled: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "commonplace_inbox_throttled_total",
			Help: "Inbox deliveries refused with 429 before being read, by reason: host (its host's budget is spent) or unsigned (no keyId to name a host).",
		}, []string{"reason"}),
	}
	m.Registry.MustRegister(m.httpRequests, m.httpDuration, m.inbox, m.sigFailures, m.deliveries, m.throttled,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// ObserveRequest counts one answered HTTP request.
func (m *Metrics) ObserveRequest(route, method string, code int, seconds float64) {
	if m == nil {
		return
	}
	method = boundMethod(method)
	m.httpRequests.WithLabelValues(route, method, statusText(code)).Inc()
	m.httpDuration.WithLabelValues(route, method).Observe(seconds)
}

// InboxActivity counts an inbox outcome; typ is bounded by ActivityType.
func (m *Metrics) InboxActivity(typ, outcome string) {
	if m == nil {
		return
	}
	m.inbox.WithLabelValues(ActivityType(typ), outcome).Inc()
}

// SignatureFailure counts a refused signature.
func (m *Metrics) SignatureFailure(reason string) {
	if m == nil {
		return
	}
	m.sigFailures.WithLabelValues(reason).Inc()
}

// InboxThrottled counts a delivery refused by the per-host rate limit.
func (m *Metrics) InboxThrottled(reason string) {
	if m == nil {
		return
	}
	m.throttled.WithLabelValues(reason).Inc()
}

// Delivery counts one delivery attempt's outcome.
func (m *Metrics) Delivery(outcome string) {
	if m == nil {
		return
	}
	m.deliveries.WithLabelValues(outcome).Inc()
}

type ctxKey struct{}

// NewContext carries m to the inbox handler and the queue workers. The
// instance attaches it at its two entry points (the HTTP middleware and
// the queue's start context, which River passes on to every job), so the
// federation and delivery code count without new fields or parameters.
func NewContext(ctx context.Context, m *Metrics) context.Context {
	return context.WithValue(ctx, ctxKey{}, m)
}

// From returns the metrics carried by ctx, or nil.
func From(ctx context.Context) *Metrics {
	m, _ := ctx.Value(ctxKey{}).(*Metrics)
	return m
}
