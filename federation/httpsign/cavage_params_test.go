package httpsign

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// rawSign signs exactly the lines given, whatever the Signature header later
// claims, so tests can forge headers that disagree with what was signed.
func rawSign(t *testing.T, a actor, lines ...string) string {
	t.Helper()
	hash := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	sig, err := rsa.SignPKCS1v15(rand.Reader, a.priv, crypto.SHA256, hash[:])
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(sig)
}

// datedPOST is an inbox POST with a Date and a Digest matching body.
func datedPOST(t *testing.T, body string, now time.Time) *http.Request {
	t.Helper()
	req := newRequest(t, http.MethodPost, "https://local.example/users/bob/inbox", []byte(body))
	req.Header.Set("Date", now.UTC().Format(http.TimeFormat))
	sum := sha256.Sum256([]byte(body))
	req.Header.Set("Digest", "SHA-256="+base64.StdEncoding.EncodeToString(sum[:]))
	return req
}

// A signature over Date alone must not pass for a POST by smuggling a second
// headers= parameter inside the created value, which httpsig re-splits on
// commas. Before the fix this verified for any body.
func TestCreatedCommaSmuggling(t *testing.T) {
	a := newActor(t, mastodonKeyID)
	now := time.Now()
	for _, tc := range []struct{ name, signed, params string }{
		{"created", "(created)", `created="1,headers=date"`},
		{"expires", "(expires)", `expires="99999999999,headers=date"`},
		{"both", "(created) (expires)", `created="1",expires="99999999999,headers=date"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := datedPOST(t, `{"type":"Delete","actor":"https://evil.example/"}`, now)
			sig := rawSign(t, a, "date: "+req.Header.Get("Date"))
			req.Header.Set("Signature", fmt.Sprintf(
				`keyId="%s",algorithm="hs2019",headers="(request-target) host date digest %s",signature="%s",%s`,
				mastodonKeyID, tc.signed, sig, tc.params))
			err := parseAndVerify(req, []byte(`{"type":"Delete","actor":"https://evil.example/"}`), now, a)
			if err == nil {
				t.Fatal("signature over date alone was accepted")
			}
			if s := Status(err); s < 400 || s > 499 {
				t.Fatalf("status %d for %v", s, err)
			}
		})
	}
}

// Values httpsig would read differently from us are refused outright.
func TestParamsHttpsigWouldMisread(t *testing.T) {
	now := time.Now()
	for _, extra := range []string{
		`created=1x`,
		`created="+1"`,
		`created="-1"`,
		`created=""`,
		`created="0"`,
		`created="` + strings.Repeat("1", 40) + `"`,
		`expires="1 "`,
		`expires="1,2"`,
	} {
		req := datedPOST(t, "{}", now)
		name := strings.Trim(strings.SplitN(extra, "=", 2)[0], " ")
		for _, signed := range []string{"", " (" + name + ")"} {
			req.Header.Set("Signature", `keyId="k",headers="(request-target) host date digest`+signed+`",signature="AAAA",`+extra)
			if _, err := ParseRequest(req, []byte("{}"), now); err == nil || Status(err) != http.StatusBadRequest {
				t.Errorf("%s (signed %q): got %v", extra, signed, err)
			}
		}
	}
	for _, sig := range []string{
		`keyId=k"x,headers="(request-target) host date digest",signature="AAAA"`,
		`keyId="k",headers="(request-target) host date digest",signature=AAAA"`,
		`keyId="k",algorithm=hs2019",headers="(request-target) host date digest",signature="AAAA"`,
		`keyId="k",headers=(request-target) host date digest",signature="AAAA"`,
	} {
		req := datedPOST(t, "{}", now)
		req.Header.Set("Signature", sig)
		if _, err := ParseRequest(req, []byte("{}"), now); !errors.Is(err, ErrMalformedSignature) {
			t.Errorf("%s: got %v", sig, err)
		}
	}
}

// createdSign signs a POST over the usual headers plus (created) and
// (expires), as newer draft-cavage senders do.
func createdSign(t *testing.T, a actor, req *http.Request, created, expires int64) {
	t.Helper()
	lines := []string{
		"(request-target): post /users/bob/inbox",
		"host: local.example",
		"date: " + req.Header.Get("Date"),
		"digest: " + req.Header.Get("Digest"),
		"(created): " + strconv.FormatInt(created, 10),
		"(expires): " + strconv.FormatInt(expires, 10),
	}
	req.Header.Set("Signature", fmt.Sprintf(
		`keyId="%s", algorithm="hs2019", created=%d, expires="%d", headers="(request-target) host date digest (created) (expires)", signature="%s"`,
		mastodonKeyID, created, expires, rawSign(t, a, lines...)))
}

func TestCreatedExpiresSigned(t *testing.T) {
	a := newActor(t, mastodonKeyID)
	now := time.Now()
	good := datedPOST(t, "{}", now)
	createdSign(t, a, good, now.Add(-time.Minute).Unix(), now.Add(5*time.Minute).Unix())
	if err := parseAndVerify(good, []byte("{}"), now, a); err != nil {
		t.Fatalf("good (created)/(expires) signature: %v", err)
	}

	for _, tc := range []struct {
		name             string
		created, expires time.Time
	}{
		{"expired", now.Add(-10 * time.Minute), now.Add(-5 * time.Minute)},
		{"created in the future", now.Add(2 * time.Hour), now.Add(3 * time.Hour)},
		{"created too long ago", now.Add(-3 * time.Hour), now.Add(time.Hour)},
	} {
		req := datedPOST(t, "{}", now)
		createdSign(t, a, req, tc.created.Unix(), tc.expires.Unix())
		err := parseAndVerify(req, []byte("{}"), now, a)
		if !errors.Is(err, ErrDateOutOfWindow) {
			t.Errorf("%s: got %v", tc.name, err)
		}
	}
}
