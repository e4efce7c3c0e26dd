package instance

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"golang.org/x/crypto/acme/autocert"

	"github.com/commonplace-social/commonplace/internal/config"
)

// ACMEManager returns the certificate manager for built-in TLS: it asks the
// certificate authority (Let's Encrypt by default) for a certificate for the
// configured domain and no other, keeps it in the cache directory and renews
// it before it expires. cfg must have passed ValidateServer with ACME set.
func ACMEManager(cfg config.Config) *autocert.Manager {
	return &autocert.Manager{
		Prompt:     autocert.AcceptTOS,
		Cache:      autocert.DirCache(cfg.ACMECacheDir()),
		HostPolicy: autocert.HostWhitelist(cfg.Domain),
		Email:      cfg.ACMEEmail,
	}
}

// ServeACME is Serve for a single server with no proxy in front: HTTPS with
// the manager's certificates on httpsLn (normally :443), and on httpLn
// (normally :80) the HTTP-01 challenge answers, with every other GET or HEAD
// redirected to https. Both stop when ctx is cancelled.
func (inst *Instance) ServeACME(ctx context.Context, m *autocert.Manager, httpsLn, httpLn net.Listener) error {
	plain := &http.Server{
		Handler:           m.HTTPHandler(nil),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		IdleTimeout:       30 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(inst.Log.Handler(), slog.LevelWarn),
	}
	plainErr := make(chan error, 1)
	go func() { plainErr <- plain.Serve(httpLn) }()
	inst.Log.Info("serving ACME challenges and redirects to https", "listen", httpLn.Addr().String())

	tlsCfg := m.TLSConfig()
	tlsCfg.MinVersion = tls.VersionTLS12
	serveCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	httpsErr := make(chan error, 1)
	go func() { httpsErr <- inst.Serve(serveCtx, tls.NewListener(httpsLn, tlsCfg)) }()

	var err error
	select {
	case err = <-httpsErr:
		// Serve returns only after ctx is done or the HTTPS server failed.
	case perr := <-plainErr:
		err = fmt.Errorf("http server for ACME challenges: %w", perr)
		cancel()
		if serr := <-httpsErr; serr != nil {
			err = errors.Join(err, serr)
		}
		return err
	}
	shutCtx, done := context.WithTimeout(context.Background(), 5*time.Second)
	defer done()
	if serr := plain.Shutdown(shutCtx); serr != nil && err == nil {
		err = fmt.Errorf("stop the http server for ACME challenges: %w", serr)
	}
	return err
}
