package transport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"":                               0,
		"120":                            2 * time.Minute,
		" 5 ":                            5 * time.Second,
		"0":                              0,
		"-10":                            0,
		"soon":                           0,
		"99999999999999":                 maxRetryAfter,
		"Sun, 01 Mar 2026 12:01:30 GMT":  90 * time.Second,
		"Sunday, 01-Mar-26 12:00:10 GMT": 10 * time.Second,
		"Sun, 01 Mar 2026 11:00:00 GMT":  0, // past
		"Sun, 01 Mar 2027 12:00:00 GMT":  maxRetryAfter,
	} {
		if got := parseRetryAfter(v, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %s, want %s", v, got, want)
		}
	}
}

func TestRetryable(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("POST https://x.example/inbox: %w", err) }
	for name, tc := range map[string]struct {
		err  error
		want bool
	}{
		"nil":             {nil, false},
		"private":         {wrap(ErrPrivateAddress), false},
		"too large":       {wrap(ErrBodyTooLarge), false},
		"bad url":         {wrap(ErrBadURL), false},
		"redirect":        {wrap(ErrRedirect), false},
		"not activity":    {wrap(ErrNotActivity), false},
		"signing":         {wrap(ErrSigning), false},
		"503":             {wrap(&StatusError{Code: 503}), true},
		"500":             {wrap(&StatusError{Code: 500}), true},
		"429":             {wrap(&StatusError{Code: 429}), true},
		"404":             {wrap(&StatusError{Code: 404}), false},
		"410":             {wrap(&StatusError{Code: 410}), false},
		"403":             {wrap(&StatusError{Code: 403}), false},
		"deadline":        {wrap(context.DeadlineExceeded), true},
		"connect refused": {wrap(&net.OpError{Op: "dial", Err: errors.New("connection refused")}), true},
		"dns":             {wrap(&net.DNSError{Err: "no such host", IsNotFound: true}), true},
		"eof":             {wrap(io.ErrUnexpectedEOF), true},
	} {
		if got := Retryable(tc.err); got != tc.want {
			t.Errorf("%s: Retryable = %v, want %v", name, got, tc.want)
		}
	}
}

// RequestTimeout bounds the whole exchange: waiting for headers, and reading
// a body that trickles.
func TestRequestTimeout(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow-body" {
			w.Header().Set("Content-Type", "application/activity+json")
			_, _ = w.Write([]byte(`{"type":`))
			w.(http.Flusher).Flush()
		}
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	c := New(Options{AllowPrivate: true, RequestTimeout: 200 * time.Millisecond})
	for _, path := range []string{"/slow-headers", "/slow-body"} {
		start := time.Now()
		_, err := c.GetActivity(context.Background(), srv.URL+path, nil)
		if err == nil {
			t.Fatalf("%s: no error", path)
		}
		if elapsed := time.Since(start); elapsed > 2*time.Second {
			t.Errorf("%s: took %s", path, elapsed)
		}
		if !errors.Is(err, context.DeadlineExceeded) || !Retryable(err) {
			t.Errorf("%s: got %v (retryable %v), want a retryable deadline error", path, err, Retryable(err))
		}
	}
}

func TestConnectionRefusedRetryable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, err = New(Options{AllowPrivate: true}).Get(context.Background(), "http://"+addr+"/x", nil, "")
	if err == nil || !Retryable(err) {
		t.Fatalf("got %v, want a retryable error", err)
	}
	var opErr *net.OpError
	if !errors.As(err, &opErr) {
		t.Errorf("not a network error: %v", err)
	}
	if want := addr; !strings.Contains(err.Error(), want) {
		t.Errorf("error does not name %s: %v", want, err)
	}
}

func TestStatusErrorMessage(t *testing.T) {
	e := &StatusError{Code: http.StatusServiceUnavailable, RetryAfter: time.Minute, Detail: "down"}
	if got, want := e.Error(), `status 503 Service Unavailable, retry after 1m0s: "down"`; got != want {
		t.Errorf("Error() = %s, want %s", got, want)
	}
}
