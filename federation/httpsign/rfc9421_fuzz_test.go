package httpsign

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// FuzzParseRFC9421 feeds arbitrary Signature-Input and Signature values
// through the parser and the whole key-free policy. Nothing may panic, and a
// signature that parses must re-serialize to parameters that parse to
// themselves, since they are what the signature base is built from.
func FuzzParseRFC9421(f *testing.F) {
	seeds := [][2]string{
		{`sig1=("@method" "@target-uri" "@authority" "content-digest");created=1618884473;keyid="https://a.example/u#k";alg="rsa-v1_5-sha256"`, `sig1=:AAAA:`},
		{`sig-b22=("@authority" "content-digest" "@query-param";name="Pet");created=1618884473;keyid="test-key-rsa-pss";tag="header-example"`, `sig-b22=:LjbtqUbf:`},
		{`sig1=();created=1, sig2=("@path");expires=2`, `sig1=:AA==:, sig2=:BB==:`},
		{`sig1=("a";b;c=1.5 "@query-param";name="x\"y");k=?0;n=-1`, `sig1=:AAAA:;p="a,b"`},
		{`sig1=("@method");keyid="a;b,c \"q\""`, `sig1=:AAAA:`},
		{`sig1=("@method");created=@1659578233;d=%"f%c3%bc"`, `sig1=:AAAA:`},
		{"", ""},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1])
	}
	r := httptest.NewRequest("POST", "https://example.com/inbox?a=1&b=%20", strings.NewReader("{}"))
	r.Header.Set("Content-Digest", "sha-256=:RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o=:")
	now := time.Unix(1618884473, 0)
	f.Fuzz(func(t *testing.T, input, signature string) {
		sigs, err := parseSignatureFields([]string{input}, []string{signature})
		if err != nil {
			return
		}
		for _, s := range sigs {
			if len(s.signature) == 0 {
				t.Fatalf("empty signature accepted from %q", signature)
			}
			again, err := parseSignatureFields([]string{"l=" + s.params}, []string{"l=:AAAA:"})
			if err != nil {
				t.Fatalf("params %q do not parse again: %v", s.params, err)
			}
			if again[0].params != s.params {
				t.Fatalf("params %q re-serialize as %q", s.params, again[0].params)
			}
		}
		req := r.Clone(r.Context())
		req.Header.Set("Signature-Input", input)
		req.Header.Set("Signature", signature)
		_, _ = ParseMessageSignature(req, []byte("{}"), "https", now)
	})
}
