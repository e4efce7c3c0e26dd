// Package metrics holds an instance's Prometheus metrics. Each instance has
// its own set rather than a global one, so that several instances in one
// process (the multi-instance tests) count separately. The metrics are
// kept by VictoriaMetrics' small library, which writes the Prometheus text
// format: Prometheus' own client brought protobuf with it, about 1 MB of a
// binary held to 40 MB (issue 11).
package metrics

import (
	"context"
	"io"
	"strings"

	vm "github.com/VictoriaMetrics/metrics"
)

// Metrics are one instance's counters. All methods are safe on a nil
// *Metrics and then do nothing, so code paths without an instance (unit
// tests, CLI commands) need no metrics wired.
type Metrics struct {
	set *vm.Set
}

// The metrics counted as things happen, with their labels. (The library
// writes no HELP lines for these, so what each means is said here.)
const (
	// HTTP requests answered, by route template, method and status code.
	httpRequests = "commonplace_http_requests_total"
	// Time to answer an HTTP request, by route template and method.
	httpDuration = "commonplace_http_request_duration_seconds"
	// Inbox activities by type and outcome: accepted, duplicate or
	// refused_<status> on receipt; applied, ignored, dropped or failed when
	// applied.
	inbox = "commonplace_inbox_activities_total"
	// Inbox deliveries refused for their HTTP signature, by reason.
	sigFailures = "commonplace_signature_failures_total"
	// Outgoing delivery attempts by outcome: delivered, retry, gave_up,
	// snoozed, throttled, cancelled, dead_host.
	deliveries = "commonplace_deliveries_total"
	// Inbox deliveries refused with 429 before being read, by reason: host
	// (its host's budget is spent) or unsigned (no keyId to name a host).
	throttled = "commonplace_inbox_throttled_total"
)

// durationBuckets are Prometheus' default buckets, which the request
// duration histogram has always used.
var durationBuckets = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// New builds an empty set of metrics that also reports the Go runtime and
// the process (go_* and process_* series).
func New() *Metrics {
	m := &Metrics{set: vm.NewSet()}
	m.set.RegisterMetricsWriter(vm.WriteProcessMetrics)
	return m
}

// Collector writes figures taken at scrape time, in the Prometheus text
// format, each line ending in a newline.
type Collector interface {
	Collect(w io.Writer)
}

// Register adds collectors whose figures are read at each scrape.
func (m *Metrics) Register(cs ...Collector) {
	for _, c := range cs {
		m.set.RegisterMetricsWriter(c.Collect)
	}
}

// series names one series: the metric and its label pairs (name, value,
// ...), given in the order of their names as the text format lists them.
func series(metric string, labels ...string) string {
	var b strings.Builder
	b.WriteString(metric)
	for i := 0; i+1 < len(labels); i += 2 {
		if i == 0 {
			b.WriteByte('{')
		} else {
			b.WriteByte(',')
		}
		b.WriteString(labels[i])
		b.WriteString(`="`)
		b.WriteString(labelEscaper.Replace(labels[i+1]))
		b.WriteByte('"')
	}
	if len(labels) > 1 {
		b.WriteByte('}')
	}
	return b.String()
}

// labelEscaper escapes a label value as the text format requires.
var labelEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)

// ObserveRequest counts one answered HTTP request.
func (m *Metrics) ObserveRequest(route, method string, code int, seconds float64) {
	if m == nil {
		return
	}
	method = boundMethod(method)
	m.set.GetOrCreateCounter(series(httpRequests, "code", statusText(code), "method", method, "route", route)).Inc()
	m.set.GetOrCreatePrometheusHistogramExt(series(httpDuration, "method", method, "route", route), durationBuckets).Update(seconds)
}

// InboxActivity counts an inbox outcome; typ is bounded by ActivityType.
func (m *Metrics) InboxActivity(typ, outcome string) {
	if m == nil {
		return
	}
	m.set.GetOrCreateCounter(series(inbox, "outcome", outcome, "type", ActivityType(typ))).Inc()
}

// SignatureFailure counts a refused signature.
func (m *Metrics) SignatureFailure(reason string) {
	if m == nil {
		return
	}
	m.set.GetOrCreateCounter(series(sigFailures, "reason", reason)).Inc()
}

// InboxThrottled counts a delivery refused by the per-host rate limit.
func (m *Metrics) InboxThrottled(reason string) {
	if m == nil {
		return
	}
	m.set.GetOrCreateCounter(series(throttled, "reason", reason)).Inc()
}

// Delivery counts one delivery attempt's outcome.
func (m *Metrics) Delivery(outcome string) {
	if m == nil {
		return
	}
	m.set.GetOrCreateCounter(series(deliveries, "outcome", outcome)).Inc()
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
