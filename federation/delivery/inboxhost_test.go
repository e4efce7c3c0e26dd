package delivery

import "testing"

// Inboxes that differ only in how their host is spelt are one server, so
// they must share one host key: one health record, one set of slots, one
// ordering lane. Otherwise a dead or rate-limited host is escaped by
// addressing it as EXAMPLE.org. instead.
func TestInboxHostIsCanonical(t *testing.T) {
	want, err := inboxHost("https://example.org/inbox")
	if err != nil || want != "example.org" {
		t.Fatalf("inboxHost = %q, %v", want, err)
	}
	for _, inbox := range []string{
		"https://EXAMPLE.org./inbox",
		"HTTPS://Example.Org:443/users/a/inbox",
		"https://example.org./inbox",
	} {
		if got, err := inboxHost(inbox); err != nil || got != want {
			t.Errorf("inboxHost(%q) = %q, %v; want %q", inbox, got, err, want)
		}
	}
	if got, _ := inboxHost("https://bücher.example/inbox"); got != "xn--bcher-kva.example" {
		t.Errorf("an international host keyed as %q", got)
	}
	if got, _ := inboxHost("http://127.0.0.1:7000/inbox"); got != "127.0.0.1:7000" {
		t.Errorf("a local-testing host keyed as %q", got)
	}
	for _, bad := range []string{"https://evil..example/inbox", "ftp://example.org/inbox", "/inbox"} {
		if got, err := inboxHost(bad); err == nil {
			t.Errorf("inboxHost(%q) = %q, want refused", bad, got)
		}
	}
}
