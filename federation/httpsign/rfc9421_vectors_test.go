package httpsign

import (
	"bufio"
	"bytes"
	"crypto"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The messages, keys, signature bases and signatures in testdata/rfc9421
// are RFC 9421's own examples (§2.5, §3.2, §4.3 and Appendix B), unwrapped
// from RFC 8792 line folding.

func vectorFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "rfc9421", name))
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(string(b), "\n") // a signature base has no final newline
}

// vectorRequest reads an HTTP/1.1 request from its text, with extra field
// lines appended to its header. The body is what follows the blank line,
// less surrounding blank lines (the §4.3 figure has two).
func vectorRequest(t *testing.T, text, extra string) (*http.Request, []byte) {
	t.Helper()
	head, body, _ := strings.Cut(text, "\n\n")
	if extra != "" {
		head += "\n" + extra
	}
	r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(head + "\n\n")))
	if err != nil {
		t.Fatal(err)
	}
	b := []byte(strings.Trim(body, "\n"))
	r.Body = io.NopCloser(bytes.NewReader(b))
	return r, b
}

func vectorKey(t *testing.T, name string) any {
	t.Helper()
	block, _ := pem.Decode([]byte(vectorFile(t, name)))
	if block == nil {
		t.Fatalf("%s: no PEM block", name)
	}
	var key any
	var err error
	if block.Type == "RSA PUBLIC KEY" {
		key, err = x509.ParsePKCS1PublicKey(block.Bytes)
	} else {
		key, err = x509.ParsePKIXPublicKey(block.Bytes)
	}
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return key
}

// published checks a signature with the algorithm RFC 9421 used for it,
// independently of our verifier, so that a matching base is proved right
// by the RFC's own signature and not only by the RFC's printed base.
func published(t *testing.T, alg string, base string, sig []byte) error {
	t.Helper()
	switch alg {
	case "rsa-pss-sha512":
		sum := sha512.Sum512([]byte(base))
		return rsa.VerifyPSS(vectorKey(t, "test-key-rsa-pss.pub.pem").(*rsa.PublicKey), crypto.SHA512, sum[:], sig, nil)
	case "rsa-v1_5-sha256":
		sum := sha256.Sum256([]byte(base))
		return rsa.VerifyPKCS1v15(vectorKey(t, "test-key-rsa.pub.pem").(*rsa.PublicKey), crypto.SHA256, sum[:], sig)
	case "ed25519":
		if !ed25519.Verify(vectorKey(t, "test-key-ed25519.pub.pem").(ed25519.PublicKey), []byte(base), sig) {
			return errors.New("ed25519 signature does not verify")
		}
		return nil
	case "hmac-sha256":
		secret, err := base64.StdEncoding.DecodeString(vectorFile(t, "test-shared-secret.b64"))
		if err != nil {
			t.Fatal(err)
		}
		mac := hmac.New(sha256.New, secret)
		mac.Write([]byte(base))
		if !hmac.Equal(mac.Sum(nil), sig) {
			return errors.New("HMAC does not match")
		}
		return nil
	}
	t.Fatalf("no checker for %s", alg)
	return nil
}

type vector struct {
	name    string
	message string // request file
	fields  string // Signature-Input and Signature lines to add, if not in the message
	label   string
	base    string // expected signature base file
	alg     string // the algorithm the RFC signed with
}

var vectors = []vector{
	{"§2.5/§3.2 example", "s32.http", "", "sig1", "s25.base", "rsa-pss-sha512"},
	{"B.2.1 minimal", "test-request.http", "b21.fields", "sig-b21", "b21.base", "rsa-pss-sha512"},
	{"B.2.2 selective", "test-request.http", "b22.fields", "sig-b22", "b22.base", "rsa-pss-sha512"},
	{"B.2.3 full coverage", "test-request.http", "b23.fields", "sig-b23", "b23.base", "rsa-pss-sha512"},
	{"B.2.5 hmac-sha256", "test-request.http", "b25.fields", "sig-b25", "b25.base", "hmac-sha256"},
	{"B.2.6 ed25519", "test-request.http", "b26.fields", "sig-b26", "b26.base", "ed25519"},
	{"§4.3 proxy rsa-v1_5-sha256", "s43.http", "", "proxy_sig", "s43-proxy_sig.base", "rsa-v1_5-sha256"},
}

// Our signature base equals the RFC's byte for byte, and the RFC's own
// signature verifies over it.
func TestRFC9421SignatureBasesMatchTheRFC(t *testing.T) {
	for _, v := range vectors {
		t.Run(v.name, func(t *testing.T) {
			extra := ""
			if v.fields != "" {
				extra = vectorFile(t, v.fields)
			}
			r, _ := vectorRequest(t, vectorFile(t, v.message), extra)
			sigs, err := parseSignatureFields(r.Header.Values("Signature-Input"), r.Header.Values("Signature"))
			if err != nil {
				t.Fatal(err)
			}
			var s *labelled
			for i := range sigs {
				if sigs[i].label == v.label {
					s = &sigs[i]
				}
			}
			if s == nil {
				t.Fatalf("no label %s in %+v", v.label, sigs)
			}
			msg, err := newMessage(r, "https")
			if err != nil {
				t.Fatal(err)
			}
			base, err := signatureBase(msg, s.components, s.params)
			if err != nil {
				t.Fatal(err)
			}
			if want := vectorFile(t, v.base); base != want {
				t.Fatalf("signature base:\n%s\n\nRFC 9421:\n%s", base, want)
			}
			if err := published(t, v.alg, base, s.signature); err != nil {
				t.Errorf("the RFC's %s signature does not verify over our base: %v", v.alg, err)
			}
		})
	}
}

// Every algorithm but rsa-v1_5-sha256 is refused, with a reason that names
// it, before any key is fetched.
func TestRFC9421RefusesOtherAlgorithms(t *testing.T) {
	for _, v := range vectors {
		if v.alg == algRSAv15 || v.fields == "" {
			continue
		}
		t.Run(v.name, func(t *testing.T) {
			fields := strings.Replace(vectorFile(t, v.fields), "\nSignature:", `;alg="`+v.alg+"\"\nSignature:", 1)
			r, body := vectorRequest(t, vectorFile(t, v.message), fields)
			_, err := ParseMessageSignature(r, body, "https", time.Unix(1618884473, 0))
			if !errors.Is(err, ErrBadAlgorithm) || !strings.Contains(err.Error(), v.alg) {
				t.Fatalf("alg=%q: got %v, want %v naming it", v.alg, err, ErrBadAlgorithm)
			}
			if Status(err) != http.StatusUnauthorized {
				t.Errorf("status %d", Status(err))
			}
		})
	}
}

// Without alg, an RSA key means rsa-v1_5-sha256: B.2.3's RSA-PSS signature
// passes every policy check but fails closed at verification.
func TestRFC9421AlgAbsentMeansRSAv15(t *testing.T) {
	r, body := vectorRequest(t, vectorFile(t, "test-request.http"), vectorFile(t, "b23.fields"))
	m, err := ParseMessageSignature(r, body, "https", time.Unix(1618884473, 0))
	if err != nil {
		t.Fatal(err)
	}
	pss := vectorKey(t, "test-key-rsa-pss.pub.pem").(*rsa.PublicKey)
	if err := m.Verify(pss); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("an RSA-PSS signature verified as RSA v1.5: %v", err)
	}
}

// The RFC's one rsa-v1_5-sha256 signature goes through the whole verifier
// once the request carries it alone; with the client's signature beside it,
// as published, the request is refused for carrying two.
func TestRFC9421PublishedRSAv15Signature(t *testing.T) {
	text := vectorFile(t, "s43.http")
	r, body := vectorRequest(t, text, "")
	now := time.Unix(1618884500, 0)
	if _, err := ParseMessageSignature(r, body, "https", now); !errors.Is(err, ErrMalformedSignature) || !strings.Contains(err.Error(), "2 signatures") {
		t.Fatalf("two signatures: %v", err)
	}

	var lines []string
	for l := range strings.SplitSeq(text, "\n") {
		if k, v, ok := strings.Cut(l, ": "); ok && (k == "Signature-Input" || k == "Signature") {
			_, only, _ := strings.Cut(v, ", proxy_sig=")
			l = k + ": proxy_sig=" + only
		}
		lines = append(lines, l)
	}
	r, body = vectorRequest(t, strings.Join(lines, "\n"), "")
	m, err := ParseMessageSignature(r, body, "https", now)
	if err != nil {
		t.Fatal(err)
	}
	if m.KeyID() != "test-key-rsa" {
		t.Errorf("key id %q", m.KeyID())
	}
	if err := m.Verify(vectorKey(t, "test-key-rsa.pub.pem").(*rsa.PublicKey)); err != nil {
		t.Fatalf("the RFC's rsa-v1_5-sha256 signature: %v", err)
	}
	if err := m.Verify(vectorKey(t, "test-key-rsa-pss.pub.pem").(*rsa.PublicKey)); !errors.Is(err, ErrBadSignature) {
		t.Errorf("verified with the wrong key: %v", err)
	}
	// expires=1618884540 is honoured.
	if _, err := ParseMessageSignature(r, body, "https", time.Unix(1618884541, 0)); !errors.Is(err, ErrExpired) || Status(err) != http.StatusUnauthorized {
		t.Errorf("after expires: %v", err)
	}
}
