package web

import (
	"net/http"

	"github.com/commonplace-social/commonplace/internal/clientip"
)

// clientIP is the visitor's address as login limits count it: behind a
// trusted proxy, the one it appended to X-Forwarded-For.
func (s *Server) clientIP(r *http.Request) string {
	return clientip.Resolver{BehindProxy: s.BehindProxy, Trusted: s.TrustedProxies}.Addr(r)
}
