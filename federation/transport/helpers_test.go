package transport

import (
	"crypto/rsa"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strconv"
	"testing"

	"github.com/commonplace-social/commonplace/federation/httpsign"
	"github.com/commonplace-social/commonplace/internal/keys"
)

const testKeyID = "https://local.example/actor#main-key"

func newSigner(t *testing.T) (*httpsign.Signer, *rsa.PublicKey) {
	t.Helper()
	pair, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	s, err := httpsign.NewSigner(testKeyID, pair.PrivatePEM)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := keys.ParsePublic(pair.PublicPEM)
	if err != nil {
		t.Fatal(err)
	}
	return s, pub
}

func serve(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// permitServer makes srv's loopback port count as public for c, so tests
// can exercise the address check with one permitted and one refused server.
func permitServer(t *testing.T, c *Client, srv *httptest.Server) {
	t.Helper()
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	port, err := strconv.ParseUint(u.Port(), 10, 16)
	if err != nil {
		t.Fatal(err)
	}
	c.permit = func(ap netip.AddrPort) bool { return ap.Addr().IsLoopback() && ap.Port() == uint16(port) }
}

func activityHandler(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/activity+json")
	_, _ = w.Write([]byte(`{"type":"Person"}`))
}
