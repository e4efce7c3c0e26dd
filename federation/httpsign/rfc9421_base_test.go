package httpsign

import (
	"errors"
	"testing"
)

// componentLines builds the base lines for the given Signature-Input member
// over the request text, failing the test on any error.
func componentLines(t *testing.T, requestText, scheme, input string) string {
	t.Helper()
	r, _ := vectorRequest(t, requestText, "")
	sigs, err := parseSignatureFields([]string{"s=" + input}, []string{"s=:AAAA:"})
	if err != nil {
		t.Fatal(err)
	}
	m, err := newMessage(r, scheme)
	if err != nil {
		t.Fatal(err)
	}
	base, err := signatureBase(m, sigs[0].components, sigs[0].params)
	if err != nil {
		t.Fatal(err)
	}
	return base
}

// RFC 9421 §2.1's field examples: whitespace trimmed, repeated fields joined
// with ", ", inner whitespace kept, an empty field signed as empty.
func TestRFC9421FieldValues(t *testing.T) {
	req := "GET /x HTTP/1.1\nHost: www.example.com\nDate: Tue, 20 Apr 2021 02:07:56 GMT\n" +
		"X-OWS-Header:   Leading and trailing whitespace.   \nCache-Control: max-age=60\n" +
		"Cache-Control:    must-revalidate\nExample-Dict:  a=1,    b=2;x=1;y=2,   c=(a   b   c)\nX-Empty-Header: \n\n"
	got := componentLines(t, req, "https", `("host" "date" "x-ows-header" "cache-control" "example-dict" "x-empty-header")`)
	want := `"host": www.example.com
"date": Tue, 20 Apr 2021 02:07:56 GMT
"x-ows-header": Leading and trailing whitespace.
"cache-control": max-age=60, must-revalidate
"example-dict": a=1,    b=2;x=1;y=2,   c=(a   b   c)
"x-empty-header": ` + `
"@signature-params": ("host" "date" "x-ows-header" "cache-control" "example-dict" "x-empty-header")`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// RFC 9421 §2.2's derived components, including its §2.2.8 query-parameter
// encodings, and the default port dropped from the authority.
func TestRFC9421DerivedComponents(t *testing.T) {
	cases := []struct {
		request, scheme, input, want string
	}{
		{"POST /path?param=value HTTP/1.1\nHost: www.example.com\n\n", "https",
			`("@method" "@target-uri" "@authority" "@scheme" "@request-target" "@path" "@query")`,
			"\"@method\": POST\n\"@target-uri\": https://www.example.com/path?param=value\n\"@authority\": www.example.com\n" +
				"\"@scheme\": https\n\"@request-target\": /path?param=value\n\"@path\": /path\n\"@query\": ?param=value\n"},
		{"GET /path HTTP/1.1\nHost: WWW.Example.com:443\n\n", "https", `("@authority" "@target-uri" "@query")`,
			"\"@authority\": www.example.com\n\"@target-uri\": https://www.example.com/path\n\"@query\": ?\n"},
		{"GET /p HTTP/1.1\nHost: 127.0.0.1:8080\n\n", "http", `("@authority" "@scheme")`,
			"\"@authority\": 127.0.0.1:8080\n\"@scheme\": http\n"},
		{"GET /path?param=value&foo=bar&baz=batman&qux= HTTP/1.1\nHost: www.example.com\n\n", "https",
			`("@query-param";name="baz" "@query-param";name="qux" "@query-param";name="param")`,
			"\"@query-param\";name=\"baz\": batman\n\"@query-param\";name=\"qux\": \n\"@query-param\";name=\"param\": value\n"},
		{"GET /parameters?var=this%20is%20a%20big%0Amultiline%20value&bar=with+plus+whitespace&fa%C3%A7ade%22%3A%20=something HTTP/1.1\nHost: www.example.com\n\n", "https",
			`("@query-param";name="var" "@query-param";name="bar" "@query-param";name="fa%C3%A7ade%22%3A%20")`,
			"\"@query-param\";name=\"var\": this%20is%20a%20big%0Amultiline%20value\n\"@query-param\";name=\"bar\": with%20plus%20whitespace\n" +
				"\"@query-param\";name=\"fa%C3%A7ade%22%3A%20\": something\n"},
	}
	for _, c := range cases {
		got := componentLines(t, c.request, c.scheme, c.input)
		if want := c.want + `"@signature-params": ` + c.input; got != want {
			t.Errorf("%s\ngot\n%s\nwant\n%s", c.input, got, want)
		}
	}
}

// A component that cannot be resolved fails the base, as RFC 9421 §2.5
// requires, rather than signing an empty value.
func TestRFC9421UnresolvableComponents(t *testing.T) {
	req := "GET /p?a=1&a=2 HTTP/1.1\nHost: example.com\nX-Latin: caf\xe9\n\n"
	for _, input := range []string{`("x-absent")`, `("@query-param";name="b")`, `("@query-param";name="a")`, `("x-latin")`} {
		r, _ := vectorRequest(t, req, "")
		sigs, err := parseSignatureFields([]string{"s=" + input}, []string{"s=:AAAA:"})
		if err != nil {
			t.Fatal(err)
		}
		m, err := newMessage(r, "https")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := signatureBase(m, sigs[0].components, sigs[0].params); !errors.Is(err, ErrMalformedSignature) {
			t.Errorf("%s: %v", input, err)
		}
	}
}
