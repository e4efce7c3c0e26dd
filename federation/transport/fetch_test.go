package transport

import "testing"

func TestIsActivityContentType(t *testing.T) {
	for ct, want := range map[string]bool{
		"application/activity+json": true,
		"Application/Activity+JSON": true,
		`application/ld+json; profile="https://www.w3.org/ns/activitystreams"`: true,
		"application/ld+json; charset=utf-8":                                   true,
		"application/json":                                                     false,
		"text/html":                                                            false,
		"application/activity+json-ish":                                        false,
		"":                                                                     false,
		"garbage;;":                                                            false,
	} {
		if got := IsActivityContentType(ct); got != want {
			t.Errorf("IsActivityContentType(%q) = %v, want %v", ct, got, want)
		}
	}
}

func TestSameOrigin(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"https://a.example/users/x", "https://A.example/notes/1", true},
		{"https://a.example/x", "https://a.example:443/y", true},
		{"https://a.example/x", "http://a.example/x", false},
		{"https://a.example/x", "https://b.example/x", false},
		{"https://a.example/x", "https://a.example:8443/x", false},
		{"https://a.example/x", "https://evil.example/?a.example", false},
		{"/relative", "/relative", false},
		{"https://a.example/x", "https://A.EXAMPLE./y", true},
		{"https://a.example./x", "https://a.example:443/y", true},
		{"HTTPS://A.Example.:443/x", "https://a.example/y", true},
		{"http://a.example:80/x", "http://A.example./y", true},
		{"https://bücher.example/x", "https://xn--bcher-kva.example/y", true},
		{"https://[::ffff:192.0.2.1]/x", "https://192.0.2.1/y", true},
		{"https://a.example../x", "https://a.example/y", false},
		{"https://a.example:0443/x", "https://a.example/y", false},
	} {
		if got := SameOrigin(tc.a, tc.b); got != tc.want {
			t.Errorf("SameOrigin(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}
