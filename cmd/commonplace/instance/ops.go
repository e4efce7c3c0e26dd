package instance

import (
	"context"
	"net/http"
	"time"
)

// healthz says the process is alive and serving HTTP.
func (inst *Instance) healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

// readyz says the instance can do useful work: its database answers.
func (inst *Instance) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := inst.Store.Ping(ctx); err != nil {
		inst.Log.Warn("readiness check failed", "err", err)
		http.Error(w, "database unreachable", http.StatusServiceUnavailable)
		return
	}
	_, _ = w.Write([]byte("ready\n"))
}
