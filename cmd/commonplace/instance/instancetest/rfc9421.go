package instancetest

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/internal/keys"
)

// RFC9421Options shape an RFC 9421 HTTP Message Signature from a Remote.
type RFC9421Options struct {
	// Components are the covered components, in order. The default is what
	// WordPress's ActivityPub plugin covers: @method @target-uri @authority
	// content-digest.
	Components []string
	// Created is the created parameter; zero means now.
	Created time.Time
}

// SignedRFC9421 returns a POST of body to inbox signed the RFC 9421 way,
// as WordPress and Mastodon 4.7 send them: Content-Digest, and one signature
// labelled sig1 with alg="rsa-v1_5-sha256". The signature base is built here
// from RFC 9421 §2.5, independently of the server's verifier.
func (r *Remote) SignedRFC9421(t testing.TB, inbox string, body []byte, opts RFC9421Options) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, inbox, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/activity+json")
	sum := sha256.Sum256(body)
	req.Header.Set("Content-Digest", "sha-256=:"+base64.StdEncoding.EncodeToString(sum[:])+":")
	if opts.Components == nil {
		opts.Components = []string{"@method", "@target-uri", "@authority", "content-digest"}
	}
	if opts.Created.IsZero() {
		opts.Created = time.Now()
	}
	idents := make([]string, len(opts.Components))
	var base strings.Builder
	for i, c := range opts.Components {
		idents[i] = `"` + c + `"`
		var v string
		switch c {
		case "@method":
			v = req.Method
		case "@target-uri":
			v = req.URL.String()
		case "@authority":
			v = strings.ToLower(req.URL.Host)
		case "@path":
			v = req.URL.EscapedPath()
		default:
			v = req.Header.Get(c)
		}
		fmt.Fprintf(&base, "%s: %s\n", idents[i], v)
	}
	params := fmt.Sprintf(`(%s);created=%d;keyid="%s";alg="rsa-v1_5-sha256"`, strings.Join(idents, " "), opts.Created.Unix(), r.KeyID)
	base.WriteString(`"@signature-params": ` + params)

	r.mu.Lock()
	pem := r.keys.PrivatePEM
	r.mu.Unlock()
	key, err := keys.ParsePrivate(pem)
	if err != nil {
		t.Fatal(err)
	}
	digest := sha256.Sum256([]byte(base.String()))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Signature-Input", "sig1="+params)
	req.Header.Set("Signature", "sig1=:"+base64.StdEncoding.EncodeToString(sig)+":")
	return req
}

// SendRFC9421 signs body with RFC 9421 and POSTs it; tamper, when set, may
// change the signed request before it goes out.
func (r *Remote) SendRFC9421(t testing.TB, inbox string, body []byte, opts RFC9421Options, tamper func(*http.Request)) (int, string) {
	t.Helper()
	return post(t, r.SignedRFC9421(t, inbox, body, opts), tamper)
}
