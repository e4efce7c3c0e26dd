package httpsign

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

const mastodonKeyID = "https://mastodon.example/users/carol#main-key"

// signedPOST returns a POST signed by a at the given time, with its body.
func signedPOST(t *testing.T, a actor, at time.Time) (*http.Request, []byte) {
	t.Helper()
	body := []byte(`{"type":"Like"}`)
	req := newRequest(t, http.MethodPost, "https://local.example/users/bob/inbox", body)
	a.signer.now = func() time.Time { return at }
	if err := a.signer.Sign(req, body); err != nil {
		t.Fatal(err)
	}
	return req, body
}

func parseAndVerify(req *http.Request, body []byte, now time.Time, a actor) error {
	p, err := ParseRequest(req, body, now)
	if err != nil {
		return err
	}
	return p.Verify(a.pub)
}

// httpsig always writes hs2019; Mastodon writes rsa-sha256 over the same
// RSASSA-PKCS1-v1_5 SHA-256 bytes.
func TestVerifyRSASHA256Label(t *testing.T) {
	a := newActor(t, mastodonKeyID)
	req, body := signedPOST(t, a, time.Now())
	sig := req.Header.Get("Signature")
	req.Header.Set("Signature", strings.Replace(sig, `algorithm="hs2019"`, `algorithm="rsa-sha256"`, 1))
	if req.Header.Get("Signature") == sig {
		t.Fatal("algorithm parameter not rewritten")
	}
	if err := parseAndVerify(req, body, time.Now(), a); err != nil {
		t.Fatalf("rsa-sha256: %v", err)
	}
}

// A Mastodon-style delivery over a real server: signs content-type too, has
// spaces between parameters, and is signed without httpsig.
func TestVerifyMastodonStyle(t *testing.T) {
	a := newActor(t, mastodonKeyID)
	srv, results := verifyServer(t, a.pub)
	body := []byte(`{"type":"Announce"}`)
	req := newRequest(t, http.MethodPost, srv.URL+"/users/bob/inbox", body)
	req.Header.Set("Content-Type", "application/activity+json")
	handSign(t, req, a.priv, mastodonKeyID, "/users/bob/inbox", body, "(request-target)", "host", "date", "digest", "content-type")
	if err := send(t, srv, results, req); err != nil {
		t.Fatalf("verify: %v", err)
	}
}

// Older senders leave the query out of (request-target); Mastodon accepts it.
func TestVerifyPathOnlyTarget(t *testing.T) {
	a := newActor(t, mastodonKeyID)
	srv, results := verifyServer(t, a.pub)
	req := newRequest(t, http.MethodGet, srv.URL+"/users/bob/outbox?page=true", nil)
	handSign(t, req, a.priv, mastodonKeyID, "/users/bob/outbox", nil, "(request-target)", "host", "date")
	if err := send(t, srv, results, req); err != nil {
		t.Fatalf("path-only signature: %v", err)
	}
	req = newRequest(t, http.MethodGet, srv.URL+"/users/bob/outbox?page=true", nil)
	handSign(t, req, a.priv, mastodonKeyID, "/users/bob/followers", nil, "(request-target)", "host", "date")
	if err := send(t, srv, results, req); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("signature for another path: %v", err)
	}
}

func TestTamperedBody(t *testing.T) {
	a := newActor(t, gtsKeyID)
	srv, results := verifyServer(t, a.pub)
	body := []byte(`{"type":"Follow"}`)
	req := newRequest(t, http.MethodPost, srv.URL+"/inbox", []byte(`{"type":"Block"}`))
	if err := a.signer.Sign(req, body); err != nil {
		t.Fatal(err)
	}
	err := send(t, srv, results, req)
	if !errors.Is(err, ErrDigestMismatch) {
		t.Fatalf("got %v, want ErrDigestMismatch", err)
	}
	if Status(err) != http.StatusBadRequest {
		t.Errorf("Status = %d", Status(err))
	}
}

func TestWrongKey(t *testing.T) {
	a, b := newActor(t, gtsKeyID), newActor(t, gtsKeyID)
	req, body := signedPOST(t, a, time.Now())
	err := parseAndVerify(req, body, time.Now(), b)
	if !errors.Is(err, ErrBadSignature) {
		t.Fatalf("got %v, want ErrBadSignature", err)
	}
	if !strings.Contains(err.Error(), gtsKeyID) {
		t.Errorf("error does not name the key: %v", err)
	}
	if Status(err) != http.StatusUnauthorized {
		t.Errorf("Status = %d", Status(err))
	}
	p, _ := ParseRequest(req, body, time.Now())
	if err := p.Verify(nil); !errors.Is(err, ErrBadSignature) {
		t.Errorf("nil key: %v", err)
	}
}

func TestDateWindow(t *testing.T) {
	a := newActor(t, gtsKeyID)
	signedAt := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		now  time.Time // the verifier's clock
		ok   bool
	}{
		{"fresh", signedAt, true},
		{"1h old", signedAt.Add(time.Hour), true},
		{"1h04m old", signedAt.Add(64 * time.Minute), true},
		{"1h06m old", signedAt.Add(66 * time.Minute), false},
		{"2h old", signedAt.Add(2 * time.Hour), false},
		{"59m in future", signedAt.Add(-59 * time.Minute), true},
		{"2h in future", signedAt.Add(-2 * time.Hour), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, body := signedPOST(t, a, signedAt)
			err := parseAndVerify(req, body, tc.now, a)
			if tc.ok && err != nil {
				t.Fatalf("rejected: %v", err)
			}
			if !tc.ok && !errors.Is(err, ErrDateOutOfWindow) {
				t.Fatalf("got %v, want ErrDateOutOfWindow", err)
			}
		})
	}
}

func TestBadDate(t *testing.T) {
	a := newActor(t, gtsKeyID)
	req, body := signedPOST(t, a, time.Now())
	req.Header.Set("Date", "yesterday")
	if _, err := ParseRequest(req, body, time.Now()); !errors.Is(err, ErrBadDate) {
		t.Fatalf("got %v, want ErrBadDate", err)
	}
}

func TestMissingDigest(t *testing.T) {
	a := newActor(t, gtsKeyID)
	req, body := signedPOST(t, a, time.Now())
	req.Header.Del("Digest")
	_, err := ParseRequest(req, body, time.Now())
	if !errors.Is(err, ErrNoDigest) {
		t.Fatalf("got %v, want ErrNoDigest", err)
	}
	if Status(err) != http.StatusBadRequest {
		t.Errorf("Status = %d", Status(err))
	}
}

// A POST signed like a GET leaves the body unprotected.
func TestPOSTWithoutSignedDigest(t *testing.T) {
	a := newActor(t, gtsKeyID)
	body := []byte(`{}`)
	req := newRequest(t, http.MethodPost, "https://local.example/inbox", body)
	if err := a.signer.Sign(req, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := ParseRequest(req, body, time.Now()); !errors.Is(err, ErrMissingSignedHeader) {
		t.Fatalf("got %v, want ErrMissingSignedHeader", err)
	}
}

func TestHexDigestRejected(t *testing.T) {
	a := newActor(t, gtsKeyID)
	req, body := signedPOST(t, a, time.Now())
	sum := sha256.Sum256(body)
	req.Header.Set("Digest", "SHA-256="+hex.EncodeToString(sum[:]))
	if _, err := ParseRequest(req, body, time.Now()); !errors.Is(err, ErrBadDigest) {
		t.Fatalf("got %v, want ErrBadDigest", err)
	}
}

func TestCheckDigest(t *testing.T) {
	body := []byte("hello")
	sum := sha256.Sum256(body)
	good := base64.StdEncoding.EncodeToString(sum[:])
	other := sha256.Sum256([]byte("other"))
	bad := base64.StdEncoding.EncodeToString(other[:])
	for _, tc := range []struct {
		name   string
		values []string
		want   error
	}{
		{"exact", []string{"SHA-256=" + good}, nil},
		{"lower-case name", []string{"sha-256=" + good}, nil},
		{"several, second matches", []string{"SHA-512=abc, SHA-256=" + bad + ",SHA-256=" + good}, nil},
		{"two headers", []string{"SHA-512=abc", "SHA-256=" + good}, nil},
		{"none", nil, ErrNoDigest},
		{"mismatch", []string{"SHA-256=" + bad}, ErrDigestMismatch},
		{"only sha-512", []string{"SHA-512=" + good}, ErrBadDigest},
		{"hex", []string{"SHA-256=" + hex.EncodeToString(sum[:])}, ErrBadDigest},
		{"short", []string{"SHA-256=" + base64.StdEncoding.EncodeToString(sum[:16])}, ErrBadDigest},
		{"not base64", []string{"SHA-256=!!!"}, ErrBadDigest},
		{"no equals", []string{"SHA-256"}, ErrBadDigest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := checkDigest(tc.values, body)
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestUnsigned(t *testing.T) {
	req := newRequest(t, http.MethodGet, "https://local.example/users/bob", nil)
	_, err := ParseRequest(req, nil, time.Now())
	if !errors.Is(err, ErrNoSignature) {
		t.Fatalf("got %v, want ErrNoSignature", err)
	}
	if Status(err) != http.StatusUnauthorized {
		t.Errorf("Status = %d", Status(err))
	}
}

func TestAlgorithms(t *testing.T) {
	a := newActor(t, gtsKeyID)
	for _, tc := range []struct {
		param string // replaces algorithm="hs2019"
		want  error
	}{
		{`algorithm="RSA-SHA256"`, nil},
		{`algorithm="hs2019"`, nil},
		{`algorithm="ed25519"`, ErrBadAlgorithm},
		{`algorithm="hmac-sha256"`, ErrBadAlgorithm},
		{`algorithm="rsa-sha512"`, ErrBadAlgorithm},
	} {
		t.Run(tc.param, func(t *testing.T) {
			req, body := signedPOST(t, a, time.Now())
			req.Header.Set("Signature", strings.Replace(req.Header.Get("Signature"), `algorithm="hs2019"`, tc.param, 1))
			err := parseAndVerify(req, body, time.Now(), a)
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
	// algorithm is optional.
	req, body := signedPOST(t, a, time.Now())
	req.Header.Set("Signature", strings.Replace(req.Header.Get("Signature"), `algorithm="hs2019",`, "", 1))
	if err := parseAndVerify(req, body, time.Now(), a); err != nil {
		t.Fatalf("no algorithm parameter: %v", err)
	}
}

func TestRequiredSignedHeaders(t *testing.T) {
	a := newActor(t, mastodonKeyID)
	for _, headers := range [][]string{
		{"(request-target)", "date"},                     // no host
		{"(request-target)", "host"},                     // no date
		{"host", "date"},                                 // no (request-target)
		{"(request-target)", "host", "date", "accept"},   // extra is fine, see below
		{"(request-target)", "host", "(created)", "foo"}, // no date
	} {
		req := newRequest(t, http.MethodGet, "https://local.example/users/bob", nil)
		req.Header.Set("Accept", "application/activity+json")
		handSign(t, req, a.priv, mastodonKeyID, "/users/bob", nil, headers[0])
		req.Header.Set("Signature", strings.Replace(req.Header.Get("Signature"), `headers="`+headers[0]+`"`, `headers="`+strings.Join(headers, " ")+`"`, 1))
		_, err := ParseRequest(req, nil, time.Now())
		wantOK := len(headers) == 4 && headers[3] == "accept"
		if wantOK && err != nil {
			t.Errorf("%v: %v", headers, err)
		}
		if !wantOK && !errors.Is(err, ErrMissingSignedHeader) {
			t.Errorf("%v: got %v, want ErrMissingSignedHeader", headers, err)
		}
	}
}

// A signed header that is not in the request is a malformed request.
func TestSignedHeaderAbsent(t *testing.T) {
	a := newActor(t, mastodonKeyID)
	body := []byte(`{}`)
	req := newRequest(t, http.MethodPost, "https://local.example/inbox", body)
	req.Header.Set("Content-Type", "application/activity+json")
	handSign(t, req, a.priv, mastodonKeyID, "/inbox", body, "(request-target)", "host", "date", "digest", "content-type")
	req.Header.Del("Content-Type")
	if _, err := ParseRequest(req, body, time.Now()); !errors.Is(err, ErrMalformedSignature) {
		t.Fatalf("got %v, want ErrMalformedSignature", err)
	}
}

func TestParseRequestLeavesRequestAlone(t *testing.T) {
	a := newActor(t, gtsKeyID)
	req, body := signedPOST(t, a, time.Now())
	req.Header.Del("Host") // as on the server side, where Host lives in r.Host
	before := req.Header.Clone()
	p, err := ParseRequest(req, body, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Verify(a.pub); err != nil {
		t.Fatal(err)
	}
	if len(req.Header) != len(before) || req.Header.Get("Signature") != before.Get("Signature") {
		t.Errorf("headers changed: %v -> %v", before, req.Header)
	}
}

func TestParseParams(t *testing.T) {
	got, err := parseParams(`keyId="a#b", algorithm=hs2019 ,headers="(request-target) host",signature="x=="`)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"keyId": "a#b", "algorithm": "hs2019", "headers": "(request-target) host", "signature": "x=="}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	for _, bad := range []string{
		`keyId="a",keyId="b"`,
		`keyId="a`,
		`keyId="a" signature="b"`,
		`=x`,
		`keyId`,
	} {
		if _, err := parseParams(bad); !errors.Is(err, ErrMalformedSignature) {
			t.Errorf("%q: got %v", bad, err)
		}
	}
}

func TestMalformedSignature(t *testing.T) {
	for _, sig := range []string{
		`headers="(request-target) host date",signature="AAAA"`,                               // no keyId
		`keyId="https://x.example/a,b",headers="(request-target) host date",signature="AAAA"`, // comma in keyId
		`keyId="k",headers="(request-target) host date",signature="not base64!"`,
		`keyId="k",headers="(request-target) host date"`,
	} {
		req := newRequest(t, http.MethodGet, "https://local.example/", nil)
		req.Header.Set("Date", time.Now().UTC().Format(http.TimeFormat))
		req.Header.Set("Signature", sig)
		if _, err := ParseRequest(req, nil, time.Now()); !errors.Is(err, ErrMalformedSignature) {
			t.Errorf("%s: got %v", sig, err)
		}
	}
}

func TestStatus(t *testing.T) {
	for err, want := range map[error]int{
		nil:                    200,
		ErrNoSignature:         401,
		ErrBadAlgorithm:        401,
		ErrMissingSignedHeader: 401,
		ErrDateOutOfWindow:     401,
		ErrBadSignature:        401,
		ErrMalformedSignature:  400,
		ErrBadDate:             400,
		ErrNoDigest:            400,
		ErrBadDigest:           400,
		ErrDigestMismatch:      400,
	} {
		if got := Status(err); got != want {
			t.Errorf("Status(%v) = %d, want %d", err, got, want)
		}
	}
}
