package httpsign

import (
	"bytes"
	"crypto/rsa"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	yaronf "github.com/yaronf/httpsign"
)

// The signer in these tests is github.com/yaronf/httpsign, an RFC 9421
// implementation that shares none of our signature-base code.

type signOpts struct {
	label      string   // "sig1" when empty
	components []string // @method @target-uri @authority content-digest when nil
	noAlg      bool
	noCreated  bool
	expires    int64
	pss        bool // sign with RSA-PSS, which yaronf labels rsa-pss-sha512
}

// sign9421 adds Content-Digest (for a body) and an RFC 9421 signature to req.
func sign9421(t testing.TB, req *http.Request, body []byte, priv *rsa.PrivateKey, keyID string, o signOpts) {
	t.Helper()
	if body != nil {
		rc := io.NopCloser(bytes.NewReader(body))
		cd, err := yaronf.GenerateContentDigestHeader(&rc, []string{yaronf.DigestSha256})
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Digest", cd)
	}
	if o.label == "" {
		o.label = "sig1"
	}
	if o.components == nil {
		o.components = []string{"@method", "@target-uri", "@authority", "content-digest"}
	}
	cfg := yaronf.NewSignConfig().SetKeyID(keyID).SignAlg(!o.noAlg).SignCreated(!o.noCreated)
	if o.expires != 0 {
		cfg = cfg.SetExpires(o.expires)
	}
	var signer *yaronf.Signer
	var err error
	if o.pss {
		signer, err = yaronf.NewRSAPSSSigner(*priv, cfg, yaronf.Headers(o.components...))
	} else {
		signer, err = yaronf.NewRSASigner(*priv, cfg, yaronf.Headers(o.components...))
	}
	if err != nil {
		t.Fatal(err)
	}
	input, sig, err := yaronf.SignRequest(o.label, *signer, req)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Add("Signature-Input", input)
	req.Header.Add("Signature", sig)
}

// verify9421Server checks each request with ParseAny and Verify at the
// clock now() returns, answering Status(err) and reporting err.
func verify9421Server(t *testing.T, pub *rsa.PublicKey, now func() time.Time) (*httptest.Server, <-chan error) {
	t.Helper()
	results := make(chan error, 16)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err == nil {
			var v Verifier
			if v, err = ParseAny(r, body, "http://"+r.Host, now()); err == nil {
				err = v.Verify(pub)
			}
		}
		results <- err
		http.Error(w, errText(err), Status(err))
	}))
	t.Cleanup(srv.Close)
	return srv, results
}

func errText(err error) string {
	if err == nil {
		return "ok"
	}
	return err.Error()
}

func TestRFC9421AcceptsIndependentSigner(t *testing.T) {
	alice := newActor(t, "https://remote.example/users/alice#main-key")
	srv, results := verify9421Server(t, alice.pub, time.Now)
	body := []byte(`{"type":"Follow"}`)
	cases := []struct {
		name   string
		method string
		path   string
		opts   signOpts
	}{
		{"Mastodon's components", "POST", "/inbox", signOpts{components: []string{"@method", "@target-uri", "content-digest"}}},
		{"WordPress's components", "POST", "/users/bob/inbox", signOpts{label: "wp"}},
		{"no alg", "POST", "/inbox", signOpts{noAlg: true}},
		{"@path and @authority", "POST", "/inbox", signOpts{components: []string{"@method", "@authority", "@path", "content-digest"}}},
		{"@request-target and @authority", "POST", "/inbox?x=1", signOpts{components: []string{"@method", "@authority", "@request-target", "content-digest"}}},
		{"with query and expiry", "POST", "/inbox?page=2&x=%2F", signOpts{expires: time.Now().Add(time.Minute).Unix()}},
		{"a GET needs no digest", "GET", "/users/bob", signOpts{components: []string{"@method", "@target-uri"}}},
	}
	for _, c := range cases {
		var b []byte
		if c.method == "POST" {
			b = body
		}
		req := newRequest(t, c.method, srv.URL+c.path, b)
		sign9421(t, req, b, alice.priv, alice.signer.KeyID(), c.opts)
		if err := send(t, srv, results, req); err != nil {
			t.Errorf("%s: %v\nSignature-Input: %s", c.name, err, req.Header.Get("Signature-Input"))
		}
	}
}

func TestRFC9421Refusals(t *testing.T) {
	alice := newActor(t, "https://remote.example/users/alice#main-key")
	mallory := newActor(t, "https://remote.example/users/mallory#main-key")
	var offset time.Duration
	srv, results := verify9421Server(t, alice.pub, func() time.Time { return time.Now().Add(offset) })
	body := []byte(`{"type":"Follow"}`)
	signed := func(o signOpts) *http.Request {
		req := newRequest(t, "POST", srv.URL+"/inbox", body)
		sign9421(t, req, body, alice.priv, alice.signer.KeyID(), o)
		return req
	}
	withBody := func(req *http.Request, b []byte) *http.Request {
		req.Body, req.ContentLength = io.NopCloser(bytes.NewReader(b)), int64(len(b))
		return req
	}
	changed := []byte(`{"type":"Block"}`)
	cases := []struct {
		name   string
		req    func() *http.Request
		offset time.Duration
		want   error
		status int
	}{
		{"body changed after signing", func() *http.Request { return withBody(signed(signOpts{}), changed) }, 0, ErrDigestMismatch, 400},
		{"body and Content-Digest changed", func() *http.Request {
			req := withBody(signed(signOpts{}), changed)
			fresh := newRequest(t, "POST", srv.URL+"/inbox", changed)
			sign9421(t, fresh, changed, alice.priv, alice.signer.KeyID(), signOpts{})
			req.Header.Set("Content-Digest", fresh.Header.Get("Content-Digest"))
			return req
		}, 0, ErrBadSignature, 401},
		{"no Content-Digest", func() *http.Request {
			req := signed(signOpts{})
			req.Header.Del("Content-Digest")
			return req
		}, 0, ErrNoDigest, 400},
		{"stale created", func() *http.Request { return signed(signOpts{}) }, 2 * time.Hour, ErrDateOutOfWindow, 401},
		{"created in the future", func() *http.Request { return signed(signOpts{}) }, -2 * time.Hour, ErrDateOutOfWindow, 401},
		{"no created", func() *http.Request { return signed(signOpts{noCreated: true}) }, 0, ErrBadCreated, 400},
		{"expired", func() *http.Request { return signed(signOpts{expires: time.Now().Add(-time.Minute).Unix()}) }, 0, ErrExpired, 401},
		{"@method not covered", func() *http.Request {
			return signed(signOpts{components: []string{"@target-uri", "content-digest"}})
		}, 0, ErrMissingSignedHeader, 401},
		{"no @target-uri or @path", func() *http.Request {
			return signed(signOpts{components: []string{"@method", "@authority", "content-digest"}})
		}, 0, ErrMissingSignedHeader, 401},
		{"@path without @authority", func() *http.Request {
			return signed(signOpts{components: []string{"@method", "@path", "content-digest"}})
		}, 0, ErrMissingSignedHeader, 401},
		{"content-digest not covered", func() *http.Request {
			return signed(signOpts{components: []string{"@method", "@target-uri"}})
		}, 0, ErrMissingSignedHeader, 401},
		{"rsa-pss-sha512", func() *http.Request { return signed(signOpts{pss: true}) }, 0, ErrBadAlgorithm, 401},
		{"malformed Signature-Input", func() *http.Request {
			req := signed(signOpts{})
			req.Header.Set("Signature-Input", `sig1=("@method" "@target-uri";created=1`)
			return req
		}, 0, ErrMalformedSignature, 400},
		{"two signatures", func() *http.Request {
			req := signed(signOpts{})
			sign9421(t, req, body, alice.priv, alice.signer.KeyID(), signOpts{label: "sig2"})
			return req
		}, 0, ErrMalformedSignature, 400},
		{"sent to another path", func() *http.Request {
			req := signed(signOpts{})
			moved := newRequest(t, "POST", srv.URL+"/users/bob/inbox", body)
			moved.Header = req.Header
			return moved
		}, 0, ErrBadSignature, 401},
		{"another key", func() *http.Request {
			req := newRequest(t, "POST", srv.URL+"/inbox", body)
			sign9421(t, req, body, mallory.priv, alice.signer.KeyID(), signOpts{})
			return req
		}, 0, ErrBadSignature, 401},
	}
	for _, c := range cases {
		offset = c.offset
		err := send(t, srv, results, c.req())
		if !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
		if s := Status(err); s != c.status {
			t.Errorf("%s: status %d, want %d (%v)", c.name, s, c.status, err)
		}
	}
}

// ParseAny keeps draft-cavage working, and does not let a request pass as
// one format while carrying the other's fields.
func TestParseAnyChoosesTheFormat(t *testing.T) {
	alice := newActor(t, "https://remote.example/users/alice#main-key")
	srv, results := verify9421Server(t, alice.pub, time.Now)
	body := []byte(`{"type":"Follow"}`)

	req := newRequest(t, "POST", srv.URL+"/inbox", body)
	if err := alice.signer.Sign(req, body); err != nil {
		t.Fatal(err)
	}
	if err := send(t, srv, results, req); err != nil {
		t.Errorf("draft-cavage through ParseAny: %v", err)
	}

	req = newRequest(t, "POST", srv.URL+"/inbox", body)
	if err := alice.signer.Sign(req, body); err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Signature-Input", `sig1=("@method" "@target-uri" "content-digest");created=1;keyid="k"`)
	if err := send(t, srv, results, req); !errors.Is(err, ErrMalformedSignature) {
		t.Errorf("a draft-cavage Signature beside Signature-Input: %v", err)
	}

	req = newRequest(t, "POST", srv.URL+"/inbox", body)
	sign9421(t, req, body, alice.priv, alice.signer.KeyID(), signOpts{})
	req.Header.Del("Signature")
	if err := send(t, srv, results, req); !errors.Is(err, ErrNoSignature) {
		t.Errorf("Signature-Input alone: %v", err)
	}
}

func TestContentDigest(t *testing.T) {
	body := []byte(`{"hello": "world"}`)
	const sha256b64 = "X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE="
	const sha512b64 = "WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew=="
	cases := []struct {
		lines []string
		want  error
	}{
		{[]string{"sha-256=:" + sha256b64 + ":"}, nil},
		{[]string{"sha-512=:" + sha512b64 + ":"}, nil},
		{[]string{"sha-512=:" + sha512b64 + ":", "sha-256=:" + sha256b64 + ":"}, nil},
		{[]string{"md5=:AAAA:, sha-256=:" + sha256b64 + ":"}, nil},
		{nil, ErrNoDigest},
		{[]string{"sha-256=:" + sha512b64 + ":"}, ErrBadDigest},
		{[]string{"sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:"}, ErrDigestMismatch},
		{[]string{"sha-512=:" + sha512b64 + ":, sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:"}, ErrDigestMismatch},
		{[]string{"SHA-256=:" + sha256b64 + ":"}, ErrBadDigest},
		{[]string{"sha-256=" + sha256b64}, ErrBadDigest},
		{[]string{`sha-256="` + sha256b64 + `"`}, ErrBadDigest},
		{[]string{"md5=:AAAA:"}, ErrBadDigest},
		{[]string{"sha-256=:" + sha256b64 + ":, sha-256=:" + sha256b64 + ":"}, ErrBadDigest},
		{[]string{""}, ErrBadDigest},
	}
	for _, c := range cases {
		err := checkContentDigest(c.lines, body)
		if !errors.Is(err, c.want) || (c.want == nil) != (err == nil) {
			t.Errorf("%q: got %v, want %v", c.lines, err, c.want)
		}
		if err != nil && Status(err) != http.StatusBadRequest {
			t.Errorf("%q: status %d", c.lines, Status(err))
		}
	}
}

// Anything but one well-formed, unambiguous signature is refused as
// malformed: RFC 8941 would resolve a repeated key to its last value, and a
// lenient parser could be made to check one thing and verify another.
func TestRFC9421ParsesStrictly(t *testing.T) {
	const sig = "sig1=:AAAA:"
	const in = `sig1=("@method" "@target-uri");created=1;keyid="k"`
	good := []struct{ input, signature []string }{
		{[]string{in}, []string{sig}},
		{[]string{`sig1=( "@method"  "@target-uri" );created=1;keyid="k"`}, []string{sig}},
		{[]string{`sig1=("@method");keyid="a;b,c \"quoted\"";created=1`}, []string{sig}},
		{[]string{`sig1=();created=1`}, []string{sig}},
		{[]string{`sig1=("@query-param";name="a")`}, []string{sig}},
	}
	for _, g := range good {
		if _, err := parseSignatureFields(g.input, g.signature); err != nil {
			t.Errorf("%q / %q: %v", g.input, g.signature, err)
		}
	}
	bad := []struct{ input, signature []string }{
		{[]string{""}, []string{sig}},
		{[]string{in}, []string{""}},
		{[]string{"garbage"}, []string{sig}},
		{[]string{in + ","}, []string{sig}},
		{[]string{in, in}, []string{sig, sig}},
		{[]string{in + ", " + in}, []string{sig}},
		{[]string{in + ";created=2"}, []string{sig}},
		{[]string{in + ";keyid=\"j\""}, []string{sig}},
		{[]string{in}, []string{"sig2=:AAAA:"}},
		{[]string{in}, []string{sig + ", sig1=:BBBB:"}},
		{[]string{in}, []string{"sig1=:AAAA:;x=1"}},
		{[]string{in}, []string{"sig1=::"}},
		{[]string{in}, []string{`sig1="AAAA"`}},
		{[]string{`sig1="@method"`}, []string{sig}},
		{[]string{`sig1=(@method);created=1`}, []string{sig}},
		{[]string{`sig1=("Content-Digest");created=1`}, []string{sig}},
		{[]string{`sig1=("@status");created=1`}, []string{sig}},
		{[]string{`sig1=("@signature-params");created=1`}, []string{sig}},
		{[]string{`sig1=("@frobnicate");created=1`}, []string{sig}},
		{[]string{`sig1=("content-type";sf);created=1`}, []string{sig}},
		{[]string{`sig1=("@method";req);created=1`}, []string{sig}},
		{[]string{`sig1=("@query-param")`}, []string{sig}},
		{[]string{`sig1=("@query-param";name="a";name="b")`}, []string{sig}},
		{[]string{`sig1=("@method" "@method");created=1`}, []string{sig}},
		{[]string{`sig1=("");created=1`}, []string{sig}},
		{[]string{`sig1=("@method");created="1"`}, []string{sig}},
		{[]string{`sig1=("@method");created=1.5`}, []string{sig}},
		{[]string{`sig1=("@method");keyid=k`}, []string{sig}},
		{[]string{`sig1=("@method");alg=""`}, []string{sig}},
		{[]string{`sig1=("@method");expires=?1`}, []string{sig}},
	}
	for _, b := range bad {
		if _, err := parseSignatureFields(b.input, b.signature); !errors.Is(err, ErrMalformedSignature) {
			t.Errorf("%q / %q: got %v, want %v", b.input, b.signature, err, ErrMalformedSignature)
		}
	}
}

// A request's Signature-Input spread over several field lines is one
// Dictionary, as RFC 8941 combines them.
func TestRFC9421SeveralFieldLines(t *testing.T) {
	sigs, err := parseSignatureFields([]string{`a=("@method");created=1`, `b=("@path");created=2`}, []string{"a=:AAAA:", "b=:BBBB:"})
	if err != nil {
		t.Fatal(err)
	}
	if len(sigs) != 2 || sigs[0].label != "a" || sigs[1].label != "b" || sigs[1].created != 2 {
		t.Fatalf("%+v", sigs)
	}
	if strings.Contains(sigs[0].params, "@path") {
		t.Errorf("params of a: %s", sigs[0].params)
	}
}
