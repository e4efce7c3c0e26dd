package instance_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance"
	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/config"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

func acmeConfig(t *testing.T) config.Config {
	return config.Config{Domain: "social.example.org", Listen: config.DefaultListen, DataDir: t.TempDir(),
		LogFormat: "text", LogLevel: "warn", QueueWorkers: 4, JobTimeout: time.Minute, JobRescueAfter: 2 * time.Minute,
		ACME: true, ACMEEmail: "it@example.org"}
}

// --acme is refused, in one sentence, wherever a certificate authority
// could never issue a certificate.
func TestACMEConfigRefusals(t *testing.T) {
	c := acmeConfig(t)
	if err := c.ValidateServer(); err != nil {
		t.Fatalf("valid --acme config refused: %v", err)
	}
	if got, want := c.ACMECacheDir(), filepath.Join(c.DataDir, "acme"); got != want {
		t.Errorf("default cache dir %q, want %q", got, want)
	}
	cases := map[string]struct {
		mutate func(*config.Config)
		want   string
	}{
		"local testing": {func(c *config.Config) { c.LocalTesting = true }, "--local-testing"},
		"port":          {func(c *config.Config) { c.Domain = "social.example.org:8443" }, "without a port"},
		"ipv4":          {func(c *config.Config) { c.Domain = "203.0.113.7" }, "not the IP address"},
		"ipv6":          {func(c *config.Config) { c.Domain = "2001:db8::1" }, "not the IP address"},
		"single label":  {func(c *config.Config) { c.Domain = "localhost" }, "public domain"},
		"no email":      {func(c *config.Config) { c.ACMEEmail = "" }, "--acme-email"},
	}
	for name, tc := range cases {
		c := acmeConfig(t)
		tc.mutate(&c)
		err := c.ValidateServer()
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %q, want one line mentioning %q", name, err, tc.want)
		}
	}
	// Without --acme, a port or local-testing mode is still fine.
	c = acmeConfig(t)
	c.ACME, c.Domain, c.LocalTesting = false, "localhost:8080", true
	if err := c.ValidateServer(); err != nil {
		t.Errorf("plain local-testing config refused: %v", err)
	}
}

// The manager asks for a certificate for the configured domain only, so a
// stranger pointing another name at the server cannot make it request
// certificates (and exhaust the rate limit).
func TestACMEHostPolicy(t *testing.T) {
	m := instance.ACMEManager(acmeConfig(t))
	if err := m.HostPolicy(bg, "social.example.org"); err != nil {
		t.Errorf("own domain refused: %v", err)
	}
	for _, h := range []string{"evil.example", "www.social.example.org", "example.org"} {
		if err := m.HostPolicy(bg, h); err == nil {
			t.Errorf("host %q allowed", h)
		}
		// The refusal happens before any network traffic.
		if _, err := m.GetCertificate(&tls.ClientHelloInfo{ServerName: h}); err == nil {
			t.Errorf("certificate handed out for %q", h)
		}
	}
}

// Port 80 redirects ordinary requests to https, keeping path and query.
func TestACMEPortEightyRedirects(t *testing.T) {
	m := instance.ACMEManager(acmeConfig(t))
	srv := httptest.NewServer(m.HTTPHandler(nil))
	defer srv.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequest("GET", srv.URL+"/@stgemmas?page=2", nil)
	req.Host = "social.example.org"
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusFound || loc != "https://social.example.org/@stgemmas?page=2" {
		t.Errorf("GET on :80 = %d Location %q, want 302 to https://social.example.org/@stgemmas?page=2", res.StatusCode, loc)
	}
}

// ServeACME end to end, offline: a certificate for the domain is put in the
// cache as if the certificate authority had issued it, and WebFinger is
// asked over HTTPS on one listener while the other redirects.
func TestServeACMEWithCachedCertificate(t *testing.T) {
	cfg := acmeConfig(t)
	cfg.DatabaseURL = storetest.URL(t, store.SQLite)
	certPEM := writeCachedCert(t, cfg.ACMECacheDir(), cfg.Domain)

	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	ctx, cancel := context.WithCancel(context.Background())
	inst, err := instance.OpenTuned(ctx, cfg, log, instancetest.FastTuning)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	defer inst.Close()
	if _, err := inst.Orgs.Create(bg, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's Hospice"}); err != nil {
		t.Fatal(err)
	}
	httpsLn, _ := net.Listen("tcp", "127.0.0.1:0")
	httpLn, _ := net.Listen("tcp", "127.0.0.1:0")
	done := make(chan error, 1)
	go func() { done <- inst.ServeACME(ctx, instance.ACMEManager(cfg), httpsLn, httpLn) }()
	defer func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("ServeACME: %v", err)
		}
	}()

	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(certPEM)
	dial := func(addr string) func(ctx context.Context, network, _ string) (net.Conn, error) {
		return func(ctx context.Context, network, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		}
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		DialContext: dial(httpsLn.Addr().String()), TLSClientConfig: &tls.Config{RootCAs: roots}, ForceAttemptHTTP2: true}}
	res, err := client.Get("https://social.example.org/.well-known/webfinger?resource=acct:stgemmas@social.example.org")
	if err != nil {
		t.Fatal(err)
	}
	var jrd struct{ Subject string }
	err = json.NewDecoder(res.Body).Decode(&jrd)
	res.Body.Close()
	if err != nil || res.StatusCode != 200 || jrd.Subject != "acct:stgemmas@social.example.org" {
		t.Errorf("WebFinger over HTTPS: %d %+v %v", res.StatusCode, jrd, err)
	}
	if res.ProtoMajor != 2 {
		t.Logf("served over %s", res.Proto)
	}

	plain := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DialContext: dial(httpLn.Addr().String())},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err = plain.Get("http://social.example.org/@stgemmas")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusFound || res.Header.Get("Location") != "https://social.example.org/@stgemmas" {
		t.Errorf("plain HTTP: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
}

// writeCachedCert stores a self-signed certificate for domain in the
// autocert cache layout (private key PEM, then the certificate) and returns
// the certificate PEM.
func writeCachedCert(t *testing.T, dir, domain string) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: domain}, DNSNames: []string{domain},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(90 * 24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	data := append(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), certPEM...)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, domain), data, 0o600); err != nil {
		t.Fatal(err)
	}
	return certPEM
}
