// Package transport is the outgoing HTTP client for federation: every fetch
// and delivery this server makes goes through it, so that address filtering,
// signing, timeouts, size limits and error reporting are done in one place.
package transport

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"time"

	"github.com/commonplace-social/commonplace/federation/httpsign"
)

// Options configures a Client. Zero values take the defaults noted.
type Options struct {
	AllowPrivate   bool          // local-testing mode: permit loopback/private/link-local targets
	UserAgent      string        // e.g. "Commonplace/0.1 (+https://example.org/)"; default "Commonplace"
	ConnectTimeout time.Duration // TCP connect and TLS handshake; default 5s
	RequestTimeout time.Duration // whole exchange including reading the body; default 30s
	MaxBodyBytes   int64         // largest response body accepted; default 1 MiB
}

const (
	defaultUserAgent      = "Commonplace"
	defaultConnectTimeout = 5 * time.Second
	defaultRequestTimeout = 30 * time.Second
	defaultMaxBodyBytes   = 1 << 20
	maxRedirects          = 5
)

// Client is the federation HTTP client. It is safe for concurrent use and
// should be shared, so connections to busy peers are reused.
type Client struct {
	opts      Options
	policy    *addrPolicy
	transport *http.Transport
	// permit admits extra addresses before the policy is consulted. Only
	// tests set it, to let one loopback port stand in for a public host.
	permit func(netip.AddrPort) bool
}

// New builds a Client.
func New(opts Options) *Client {
	if opts.UserAgent == "" {
		opts.UserAgent = defaultUserAgent
	}
	if opts.ConnectTimeout <= 0 {
		opts.ConnectTimeout = defaultConnectTimeout
	}
	if opts.RequestTimeout <= 0 {
		opts.RequestTimeout = defaultRequestTimeout
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = defaultMaxBodyBytes
	}
	c := &Client{opts: opts, policy: newAddrPolicy()}
	c.transport = &http.Transport{
		// No proxy: the proxy, not the target, would be dialled, and the
		// address check would be bypassed.
		Proxy:               nil,
		DialContext:         c.dialer().DialContext,
		ForceAttemptHTTP2:   true, // a custom DialContext turns it off otherwise
		TLSHandshakeTimeout: opts.ConnectTimeout,
		// Room for a fan-out's worth of peers: when the idle pool is full,
		// net/http closes its oldest connection, and if that connection's
		// answer has not yet reached its caller (a busy CPU), the POST fails
		// with "putIdleConn: too many idle connections" though it was
		// answered, and is sent again.
		MaxIdleConns:          4096,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
		ExpectContinueTimeout: time.Second,
	}
	return c
}

// exchange sends one request and hands the response to read while the
// request's deadline still runs, so RequestTimeout covers the body too. A
// non-nil signer signs the request now, and again on every redirect it
// follows. Every error is prefixed with the method and URL, so the remote
// host is in the log line.
func (c *Client) exchange(parent context.Context, method, rawURL string, header http.Header, body []byte, signer *httpsign.Signer, read func(*http.Response) error) error {
	ctx, cancel := context.WithTimeout(parent, c.opts.RequestTimeout)
	defer cancel()
	// Say when it was our own limit that ran out, not the caller's.
	timedOut := func(err error) error {
		if errors.Is(err, context.DeadlineExceeded) && parent.Err() == nil {
			return fmt.Errorf("no complete answer within %s: %w", c.opts.RequestTimeout, err)
		}
		return err
	}

	req, err := http.NewRequestWithContext(ctx, method, rawURL, bodyReader(body))
	if err != nil {
		return fmt.Errorf("%s %s: %w: %w", method, rawURL, ErrBadURL, err)
	}
	if err := checkURL(req.URL); err != nil {
		return fmt.Errorf("%s %s: %w", method, rawURL, err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	if signer != nil {
		if err := signer.Sign(req, body); err != nil {
			return fmt.Errorf("%s %s: %w: %w", method, rawURL, ErrSigning, err)
		}
	}
	hc := &http.Client{Transport: c.transport, CheckRedirect: redirectPolicy(signer, body)}
	resp, err := hc.Do(req)
	if err != nil {
		// *url.Error repeats the URL; keep only its target, which differs
		// from ours when a redirect is what failed.
		final := ""
		if ue, ok := errors.AsType[*url.Error](err); ok {
			final, err = ue.URL, ue.Err
		}
		return fmt.Errorf("%s: %w", location(method, req.URL, final), timedOut(err))
	}
	defer resp.Body.Close()
	if err := read(resp); err != nil {
		return fmt.Errorf("%s: %w", location(method, req.URL, resp.Request.URL.Redacted()), timedOut(err))
	}
	return nil
}

// bodyReader returns a nil interface for a nil body, so GETs carry no body.
func bodyReader(body []byte) io.Reader {
	if body == nil {
		return nil
	}
	return bytes.NewReader(body)
}

// location names a request in error messages, with the redirect target
// when the failure happened after a redirect.
func location(method string, u *url.URL, final string) string {
	if final != "" && final != u.String() && final != u.Redacted() {
		return fmt.Sprintf("%s %s (redirected to %s)", method, u.Redacted(), final)
	}
	return method + " " + u.Redacted()
}

// checkURL admits absolute http and https URLs only.
func checkURL(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%w: scheme %q", ErrBadURL, u.Scheme)
	}
	if u.Host == "" {
		return fmt.Errorf("%w: no host", ErrBadURL)
	}
	return nil
}
