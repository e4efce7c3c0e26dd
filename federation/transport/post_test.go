package transport

import (
	"context"
	"crypto/rsa"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/federation/httpsign"
)

// inboxServer verifies deliveries as a peer would, then answers with
// respond; it counts verified deliveries and remembers their Date headers.
func inboxServer(t *testing.T, pub *rsa.PublicKey, respond http.HandlerFunc) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var verified atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Error(err)
			return
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/activity+json" {
			http.Error(w, "content type "+ct, http.StatusNotAcceptable)
			return
		}
		p, err := httpsign.ParseRequest(r, body, time.Now())
		if err == nil {
			err = p.Verify(pub)
		}
		if err != nil {
			http.Error(w, err.Error(), httpsign.Status(err))
			return
		}
		if string(body) != `{"type":"Create"}` {
			http.Error(w, "body "+string(body), http.StatusBadRequest)
			return
		}
		verified.Add(1)
		respond(w, r)
	})
	return srv, &verified
}

func accepted(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusAccepted) }

func TestPostSignedWithDigest(t *testing.T) {
	signer, pub := newSigner(t)
	srv, verified := inboxServer(t, pub, accepted)
	c := New(Options{AllowPrivate: true})
	for range 2 { // the second is a retry, signed afresh
		if err := c.Post(context.Background(), srv.URL+"/users/bob/inbox", []byte(`{"type":"Create"}`), signer); err != nil {
			t.Fatal(err)
		}
	}
	if n := verified.Load(); n != 2 {
		t.Errorf("%d verified deliveries", n)
	}
}

func TestPostNeedsSigner(t *testing.T) {
	c := New(Options{AllowPrivate: true})
	err := c.Post(context.Background(), "http://127.0.0.1:1/inbox", []byte(`{}`), nil)
	if !errors.Is(err, ErrSigning) || Retryable(err) {
		t.Fatalf("got %v", err)
	}
}

func TestPostStatus(t *testing.T) {
	signer, pub := newSigner(t)
	srv, _ := inboxServer(t, pub, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/503":
			w.Header().Set("Retry-After", "120")
			w.WriteHeader(http.StatusServiceUnavailable)
		case "/429":
			w.Header().Set("Retry-After", time.Now().Add(time.Hour).UTC().Format(http.TimeFormat))
			w.WriteHeader(http.StatusTooManyRequests)
		case "/404":
			w.WriteHeader(http.StatusNotFound)
		case "/400":
			w.WriteHeader(http.StatusBadRequest)
		case "/302":
			http.Redirect(w, r, "/ok", http.StatusFound)
		}
	})
	c := New(Options{AllowPrivate: true})
	for _, tc := range []struct {
		path       string
		code       int
		retry      bool
		retryAfter time.Duration // lower bound
	}{
		{"/503", 503, true, 120 * time.Second},
		{"/429", 429, true, 59 * time.Minute},
		{"/404", 404, false, 0},
		{"/400", 400, false, 0},
		{"/302", 302, false, 0}, // a delivery is not turned into a GET
	} {
		err := c.Post(context.Background(), srv.URL+tc.path, []byte(`{"type":"Create"}`), signer)
		se, ok := errors.AsType[*StatusError](err)
		if !ok {
			t.Errorf("%s: got %v, want *StatusError", tc.path, err)
			continue
		}
		if se.Code != tc.code || se.Retryable() != tc.retry || Retryable(err) != tc.retry || se.RetryAfter < tc.retryAfter {
			t.Errorf("%s: %+v, Retryable=%v", tc.path, se, Retryable(err))
		}
		if !strings.Contains(err.Error(), srv.URL) {
			t.Errorf("%s: error does not name the host: %v", tc.path, err)
		}
	}
}

// 307 keeps method and body; the delivery must arrive re-signed.
func TestPostFollows307Resigned(t *testing.T) {
	signer, pub := newSigner(t)
	srv, verified := inboxServer(t, pub, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/old" {
			http.Redirect(w, r, "/new", http.StatusTemporaryRedirect)
			return
		}
		w.WriteHeader(http.StatusAccepted)
	})
	c := New(Options{AllowPrivate: true})
	if err := c.Post(context.Background(), srv.URL+"/old", []byte(`{"type":"Create"}`), signer); err != nil {
		t.Fatal(err)
	}
	if n := verified.Load(); n != 2 {
		t.Errorf("%d verified requests, want 2", n)
	}
}
