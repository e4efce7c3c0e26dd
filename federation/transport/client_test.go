package transport

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/federation/httpsign"
)

func TestPrivateAddressRefused(t *testing.T) {
	var hits atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { hits.Add(1); activityHandler(w, r) })
	signer, _ := newSigner(t)
	c := New(Options{})
	ctx := context.Background()

	_, portPart, _ := strings.Cut(strings.TrimPrefix(srv.URL, "http://"), ":")
	for name, call := range map[string]func() error{
		"Get":            func() error { _, err := c.Get(ctx, srv.URL+"/x", nil, ""); return err },
		"Get localhost":  func() error { _, err := c.Get(ctx, "http://localhost:"+portPart+"/x", nil, ""); return err },
		"GetActivity":    func() error { _, err := c.GetActivity(ctx, srv.URL+"/x", signer); return err },
		"Post":           func() error { return c.Post(ctx, srv.URL+"/inbox", []byte(`{}`), signer) },
		"Get 0.0.0.0":    func() error { _, err := c.Get(ctx, "http://0.0.0.0:"+portPart+"/x", nil, ""); return err },
		"Get ::ffff:127": func() error { _, err := c.Get(ctx, "http://[::ffff:127.0.0.1]:"+portPart+"/x", nil, ""); return err },
	} {
		err := call()
		if !errors.Is(err, ErrPrivateAddress) {
			t.Errorf("%s: got %v, want ErrPrivateAddress", name, err)
			continue
		}
		if Retryable(err) {
			t.Errorf("%s: refusal is retryable", name)
		}
		if !strings.Contains(err.Error(), portPart) {
			t.Errorf("%s: error does not name the target: %v", name, err)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("server was reached %d times", n)
	}
}

func TestAllowPrivate(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if ua := r.Header.Get("User-Agent"); ua != "Commonplace/test" {
			t.Errorf("User-Agent = %q", ua)
		}
		if r.Header.Get("Signature") != "" {
			t.Error("unsigned GET carries a Signature")
		}
		w.Header().Set("X-Test", "yes")
		w.WriteHeader(http.StatusTeapot)
		_, _ = w.Write([]byte("hello"))
	})
	c := New(Options{AllowPrivate: true, UserAgent: "Commonplace/test"})
	resp, err := c.Get(context.Background(), srv.URL+"/x", nil, "text/plain")
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusTeapot || string(resp.Body) != "hello" || resp.Header.Get("X-Test") != "yes" {
		t.Errorf("got %d %q %v", resp.StatusCode, resp.Body, resp.Header)
	}
	if resp.URL.String() != srv.URL+"/x" {
		t.Errorf("URL = %s", resp.URL)
	}
}

func TestRedirectIntoPrivateRefused(t *testing.T) {
	var internalHits atomic.Int32
	internal := serve(t, func(w http.ResponseWriter, r *http.Request) { internalHits.Add(1); activityHandler(w, r) })
	public := serve(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, internal.URL+"/secret", http.StatusFound)
	})
	c := New(Options{})
	permitServer(t, c, public)

	_, err := c.GetActivity(context.Background(), public.URL+"/actor", nil)
	if !errors.Is(err, ErrPrivateAddress) {
		t.Fatalf("got %v, want ErrPrivateAddress", err)
	}
	if !strings.Contains(err.Error(), "redirected to "+internal.URL) {
		t.Errorf("error does not name the redirect target: %v", err)
	}
	if n := internalHits.Load(); n != 0 {
		t.Errorf("internal server reached %d times", n)
	}
}

// A redirect is followed and re-signed for its new target; the permitted
// server also shows the test hook admits exactly its port.
func TestRedirectFollowedAndResigned(t *testing.T) {
	signer, pub := newSigner(t)
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/old" {
			http.Redirect(w, r, "/new?page=1", http.StatusMovedPermanently)
			return
		}
		p, err := httpsign.ParseRequest(r, nil, time.Now())
		if err == nil {
			err = p.Verify(pub)
		}
		if err != nil {
			http.Error(w, err.Error(), httpsign.Status(err))
			return
		}
		activityHandler(w, r)
	})
	c := New(Options{})
	permitServer(t, c, srv)
	body, err := c.GetActivity(context.Background(), srv.URL+"/old", signer)
	if err != nil {
		t.Fatal(err)
	}
	if string(body) != `{"type":"Person"}` {
		t.Errorf("body = %s", body)
	}
}

func TestRedirectLimit(t *testing.T) {
	var hits atomic.Int32
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, fmt.Sprintf("/r%d", hits.Load()), http.StatusFound)
	})
	c := New(Options{AllowPrivate: true})
	_, err := c.Get(context.Background(), srv.URL+"/start", nil, "")
	if !errors.Is(err, ErrRedirect) || Retryable(err) {
		t.Fatalf("got %v (retryable %v), want ErrRedirect", err, Retryable(err))
	}
	if n := hits.Load(); n != maxRedirects+1 {
		t.Errorf("%d requests, want %d", n, maxRedirects+1)
	}
}

func TestBadSchemes(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "ftp://files.example/x", http.StatusFound)
	})
	c := New(Options{AllowPrivate: true})
	ctx := context.Background()
	if _, err := c.Get(ctx, srv.URL, nil, ""); !errors.Is(err, ErrBadURL) {
		t.Errorf("redirect to ftp: %v", err)
	}
	for _, u := range []string{"file:///etc/passwd", "gopher://x.example/", "/relative", "http://"} {
		if _, err := c.Get(ctx, u, nil, ""); !errors.Is(err, ErrBadURL) || Retryable(err) {
			t.Errorf("%s: %v", u, err)
		}
	}
}

func TestRedirectDowngradeRefused(t *testing.T) {
	plain := serve(t, activityHandler)
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, plain.URL+"/actor", http.StatusFound)
	}))
	defer tlsSrv.Close()
	c := New(Options{AllowPrivate: true})
	c.transport.TLSClientConfig = tlsSrv.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
	if _, err := c.GetActivity(context.Background(), tlsSrv.URL+"/actor", nil); !errors.Is(err, ErrRedirect) {
		t.Fatalf("got %v, want ErrRedirect", err)
	}
}

func TestBodyTooLarge(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/activity+json")
		n := 2048
		if r.URL.Path == "/exact" {
			n = 1024
		}
		if r.URL.Path == "/chunked" {
			w.(http.Flusher).Flush() // no Content-Length
		}
		_, _ = w.Write([]byte(strings.Repeat("x", n)))
	})
	c := New(Options{AllowPrivate: true, MaxBodyBytes: 1024})
	ctx := context.Background()
	for _, path := range []string{"/length", "/chunked"} {
		_, err := c.Get(ctx, srv.URL+path, nil, "")
		if !errors.Is(err, ErrBodyTooLarge) || Retryable(err) {
			t.Errorf("Get %s: %v", path, err)
		}
		if _, err := c.GetActivity(ctx, srv.URL+path, nil); !errors.Is(err, ErrBodyTooLarge) {
			t.Errorf("GetActivity %s: %v", path, err)
		}
	}
	resp, err := c.Get(ctx, srv.URL+"/exact", nil, "")
	if err != nil || len(resp.Body) != 1024 {
		t.Errorf("body at the limit: %v", err)
	}
}

func TestGetActivityContentType(t *testing.T) {
	for ct, ok := range map[string]bool{
		"application/activity+json":                                            true,
		"application/activity+json; charset=utf-8":                             true,
		`application/ld+json; profile="https://www.w3.org/ns/activitystreams"`: true,
		"application/ld+json":                                                  true,
		"text/html; charset=utf-8":                                             false,
		"application/json":                                                     false,
		"":                                                                     false,
	} {
		srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
			if got := r.Header.Get("Accept"); got != ActivityAccept {
				t.Errorf("Accept = %q", got)
			}
			w.Header().Set("Content-Type", ct)
			_, _ = w.Write([]byte(`{"type":"Note"}`))
		})
		body, err := New(Options{AllowPrivate: true}).GetActivity(context.Background(), srv.URL+"/note", nil)
		if ok && (err != nil || string(body) != `{"type":"Note"}`) {
			t.Errorf("%q: %v", ct, err)
		}
		if !ok && (!errors.Is(err, ErrNotActivity) || Retryable(err)) {
			t.Errorf("%q: got %v, want ErrNotActivity", ct, err)
		}
	}
}

func TestGetActivityStatus(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		var code int
		_, _ = fmt.Sscanf(r.URL.Path, "/%d", &code)
		w.Header().Set("Retry-After", "30")
		http.Error(w, "nope\nsecond line", code)
	})
	c := New(Options{AllowPrivate: true})
	for code, want := range map[int]struct{ gone, retry bool }{
		404: {true, false},
		410: {true, false},
		401: {false, false},
		500: {false, true},
		503: {false, true},
		429: {false, true},
	} {
		_, err := c.GetActivity(context.Background(), fmt.Sprintf("%s/%d", srv.URL, code), nil)
		se, ok := errors.AsType[*StatusError](err)
		if !ok {
			t.Errorf("%d: got %v, want *StatusError", code, err)
			continue
		}
		if se.Code != code || se.Gone() != want.gone || se.Retryable() != want.retry || Retryable(err) != want.retry {
			t.Errorf("%d: %+v gone=%v retryable=%v", code, se, se.Gone(), se.Retryable())
		}
		if se.RetryAfter != 30*time.Second || se.Detail != "nope second line" {
			t.Errorf("%d: RetryAfter=%s Detail=%q", code, se.RetryAfter, se.Detail)
		}
		if !strings.Contains(err.Error(), srv.URL) {
			t.Errorf("%d: error does not name the host: %v", code, err)
		}
	}
}

func TestSignedGETVerifies(t *testing.T) {
	signer, pub := newSigner(t)
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		p, err := httpsign.ParseRequest(r, nil, time.Now())
		if err == nil {
			err = p.Verify(pub)
		}
		if err != nil || p.KeyID() != testKeyID {
			http.Error(w, fmt.Sprint(err), httpsign.Status(err))
			return
		}
		activityHandler(w, r)
	})
	c := New(Options{AllowPrivate: true})
	if _, err := c.GetActivity(context.Background(), srv.URL+"/users/bob?page=true", signer); err != nil {
		t.Fatal(err)
	}
	// Unsigned, the same server refuses.
	_, err := c.GetActivity(context.Background(), srv.URL+"/users/bob", nil)
	if se, ok := errors.AsType[*StatusError](err); !ok || se.Code != http.StatusUnauthorized {
		t.Fatalf("unsigned: %v", err)
	}
}
