package metrics

import (
	"crypto/subtle"
	"net"
	"net/http"
	"strings"
)

// EnvToken names the variable that, when set, opens /metrics to any client
// presenting "Authorization: Bearer <token>".
const EnvToken = "COMMONPLACE_METRICS_TOKEN"

// Handler serves the metrics to the operator only. Metrics are not
// harmless: their labels and counts reveal which hosts follow the instance
// and how much it talks to each, which members of an organisation may not
// want public. So without a token only loopback clients (127.0.0.0/8, ::1)
// are answered, and a loopback request carrying X-Forwarded-For or
// Forwarded is refused too, since a reverse proxy on the same machine
// makes every public request look local. With a token, a matching bearer
// token is required from everyone, loopback included.
func (m *Metrics) Handler(token string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !allowed(r, token) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			http.Error(w, "metrics are for the operator: ask from the server itself, or with the metrics token", http.StatusForbidden)
			return
		}
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		m.set.WritePrometheus(w)
	})
}

func allowed(r *http.Request, token string) bool {
	if token != "" {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		return ok && subtle.ConstantTimeCompare([]byte(got), []byte(token)) == 1
	}
	if r.Header.Get("X-Forwarded-For") != "" || r.Header.Get("Forwarded") != "" {
		return false
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
