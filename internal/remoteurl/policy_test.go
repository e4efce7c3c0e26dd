package remoteurl

import "testing"

func TestCheckID(t *testing.T) {
	cases := []struct {
		id             string
		secure, testOK bool
	}{
		{"https://mastodon.social/users/bob", true, true},
		{"https://Mastodon.Social./users/bob", true, true},
		{"http://mastodon.social/users/bob", false, true},
		{"https://203.0.113.7/users/bob", false, true},
		{"https://[2001:db8::1]/users/bob", false, true},
		{"http://127.0.0.1:7000/users/bob", false, true},
		{"javascript:alert(1)", false, false},
		{"https://evil.example/\r\n", false, false},
	}
	for _, c := range cases {
		if err := CheckID(c.id, true); (err == nil) != c.secure {
			t.Errorf("CheckID(%q, production) = %v", c.id, err)
		}
		if err := CheckID(c.id, false); (err == nil) != c.testOK {
			t.Errorf("CheckID(%q, local testing) = %v", c.id, err)
		}
	}
}
