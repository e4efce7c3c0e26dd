package httpsign

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/internal/keys"
)

// actor is a test identity with a real key pair.
type actor struct {
	signer *Signer
	priv   *rsa.PrivateKey
	pub    *rsa.PublicKey
}

func newActor(t testing.TB, keyID string) actor {
	t.Helper()
	pair, err := keys.Generate()
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSigner(keyID, pair.PrivatePEM)
	if err != nil {
		t.Fatal(err)
	}
	priv, err := keys.ParsePrivate(pair.PrivatePEM)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := keys.ParsePublic(pair.PublicPEM)
	if err != nil {
		t.Fatal(err)
	}
	return actor{signer: s, priv: priv, pub: pub}
}

// verifyServer is a loopback server that checks each request's signature
// against pub and reports the outcome on the returned channel.
func verifyServer(t *testing.T, pub *rsa.PublicKey) (*httptest.Server, <-chan error) {
	t.Helper()
	results := make(chan error, 16)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			results <- err
			return
		}
		p, err := ParseRequest(r, body, time.Now())
		if err == nil {
			err = p.Verify(pub)
		}
		results <- err
		w.WriteHeader(Status(err))
	}))
	t.Cleanup(srv.Close)
	return srv, results
}

// send performs req against the server and returns the handler's verdict.
func send(t *testing.T, srv *httptest.Server, results <-chan error, req *http.Request) error {
	t.Helper()
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	select {
	case err := <-results:
		return err
	case <-time.After(5 * time.Second):
		t.Fatal("no verdict from server")
		return nil
	}
}

func newRequest(t testing.TB, method, url string, body []byte) *http.Request {
	t.Helper()
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// handSign signs req the way Mastodon does, without httpsig: explicit
// algorithm="rsa-sha256", a caller-chosen header list, and a space after
// each comma in the parameters. It is an independent check of the verifier.
func handSign(t *testing.T, req *http.Request, priv *rsa.PrivateKey, keyID, target string, body []byte, headers ...string) {
	t.Helper()
	req.Header.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	if body != nil {
		sum := sha256.Sum256(body)
		req.Header.Set("Digest", "SHA-256="+base64.StdEncoding.EncodeToString(sum[:]))
	}
	var lines []string
	for _, h := range headers {
		switch h {
		case "(request-target)":
			lines = append(lines, h+": "+strings.ToLower(req.Method)+" "+target)
		case "host":
			lines = append(lines, "host: "+req.URL.Host)
		default:
			lines = append(lines, h+": "+req.Header.Get(h))
		}
	}
	hash := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	sig, err := rsa.SignPKCS1v15(rand.Reader, priv, crypto.SHA256, hash[:])
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Signature", fmt.Sprintf(`keyId="%s", algorithm="rsa-sha256", headers="%s", signature="%s"`,
		keyID, strings.Join(headers, " "), base64.StdEncoding.EncodeToString(sig)))
}
