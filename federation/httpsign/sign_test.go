package httpsign

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

const gtsKeyID = "https://gts.example/users/alice/main-key"

func TestSignVerifyGET(t *testing.T) {
	a := newActor(t, gtsKeyID)
	srv, results := verifyServer(t, a.pub)
	req := newRequest(t, http.MethodGet, srv.URL+"/users/bob", nil)
	if err := a.signer.Sign(req, nil); err != nil {
		t.Fatal(err)
	}
	sig := req.Header.Get("Signature")
	for _, want := range []string{`keyId="` + gtsKeyID + `"`, `algorithm="hs2019"`, `headers="(request-target) host date"`} {
		if !strings.Contains(sig, want) {
			t.Errorf("Signature %q lacks %s", sig, want)
		}
	}
	if req.Header.Get("Digest") != "" {
		t.Error("GET got a Digest header")
	}
	if err := send(t, srv, results, req); err != nil {
		t.Fatalf("verify: %v", err)
	}
}

func TestSignVerifyPOST(t *testing.T) {
	a := newActor(t, gtsKeyID)
	srv, results := verifyServer(t, a.pub)
	body := []byte(`{"type":"Follow"}`)
	req := newRequest(t, http.MethodPost, srv.URL+"/users/bob/inbox", body)
	req.Header.Set("Content-Type", `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`)
	if err := a.signer.Sign(req, body); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(req.Header.Get("Signature"), `headers="(request-target) host date digest"`) {
		t.Errorf("POST signature header list: %s", req.Header.Get("Signature"))
	}
	if !strings.HasPrefix(req.Header.Get("Digest"), "SHA-256=") {
		t.Errorf("Digest = %q", req.Header.Get("Digest"))
	}
	if err := send(t, srv, results, req); err != nil {
		t.Fatalf("verify: %v", err)
	}
}

// Paths with escapes and queries must be signed in their wire form, which
// httpsig alone would not do.
func TestSignEscapedPathAndQuery(t *testing.T) {
	a := newActor(t, gtsKeyID)
	srv, results := verifyServer(t, a.pub)
	req := newRequest(t, http.MethodGet, srv.URL+"/users/%7Ealice/outbox?page=true&min_id=a%20b", nil)
	if err := a.signer.Sign(req, nil); err != nil {
		t.Fatal(err)
	}
	if err := send(t, srv, results, req); err != nil {
		t.Fatalf("verify: %v", err)
	}
}

func TestResignForRetry(t *testing.T) {
	a := newActor(t, gtsKeyID)
	srv, results := verifyServer(t, a.pub)
	body := []byte(`{"type":"Create"}`)
	req := newRequest(t, http.MethodPost, srv.URL+"/inbox", body)

	clock := time.Now().Add(-10 * time.Minute)
	a.signer.now = func() time.Time { return clock }
	if err := a.signer.Sign(req, body); err != nil {
		t.Fatal(err)
	}
	first := req.Header.Get("Date")
	clock = time.Now()
	if err := a.signer.Sign(req, body); err != nil {
		t.Fatalf("second sign (retry): %v", err)
	}
	if got := req.Header.Get("Date"); got == first {
		t.Errorf("Date not refreshed: %s", got)
	}
	for _, h := range []string{"Signature", "Digest", "Date", "Host"} {
		if n := len(req.Header.Values(h)); n != 1 {
			t.Errorf("%d %s headers after re-signing", n, h)
		}
	}
	if err := send(t, srv, results, req); err != nil {
		t.Fatalf("verify re-signed request: %v", err)
	}
}

func TestConcurrentSign(t *testing.T) {
	a := newActor(t, gtsKeyID)
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := fmt.Appendf(nil, `{"n":%d}`, i)
			req := newRequest(t, http.MethodPost, "https://remote.example/inbox", body)
			if err := a.signer.Sign(req, body); err != nil {
				errs <- err
				return
			}
			p, err := ParseRequest(req, body, time.Now())
			if err == nil {
				err = p.Verify(a.pub)
			}
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

func TestNewSignerErrors(t *testing.T) {
	if _, err := NewSigner("", "x"); err == nil {
		t.Error("empty key id accepted")
	}
	if _, err := NewSigner(gtsKeyID, "not a pem"); err == nil {
		t.Error("garbage key accepted")
	}
	a := newActor(t, gtsKeyID)
	if a.signer.KeyID() != gtsKeyID {
		t.Errorf("KeyID = %q", a.signer.KeyID())
	}
	req := &http.Request{Method: http.MethodGet, Header: http.Header{}}
	if err := a.signer.Sign(req, nil); err == nil || errors.Is(err, ErrBadSignature) {
		t.Errorf("request without URL: %v", err)
	}
}
