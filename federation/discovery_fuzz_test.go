package federation

import (
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/internal/iri"
	"github.com/commonplace-social/commonplace/internal/orgs"
)

// FuzzWebFingerUsername: a resource is only ever answered for this host,
// and the username it yields is found again from the canonical forms the
// JRD hands out (acct:user@host and the actor id).
func FuzzWebFingerUsername(f *testing.F) {
	s := &Server{Layout: iri.New("https://social.example:8443")}
	for _, seed := range []string{
		"acct:leedsth@social.example:8443",
		"@leedsth@SOCIAL.example:8443",
		"leedsth@social.example:8443",
		"acct:leedsth@other.example",
		"https://social.example:8443/users/leedsth",
		"https://social.example:8443/@leedsth",
		"https://social.example:8443/actor",
		"https://social.example:8443/users/a/b",
		"acct:@social.example:8443",
		"acct:a@b@social.example:8443",
	} {
		f.Add(seed)
	}
	host := s.Layout.Host()
	f.Fuzz(func(t *testing.T, resource string) {
		u, err := s.webFingerUsername(resource)
		if err != nil {
			return
		}
		if u == "" {
			t.Fatal("empty username accepted")
		}
		if u == orgs.InstanceActorUsername && resource == s.Layout.InstanceActor() {
			return
		}
		if !strings.HasPrefix(resource, "http") {
			acct := strings.TrimPrefix(strings.TrimPrefix(resource, "acct:"), "@")
			if _, h, _ := strings.Cut(acct, "@"); !strings.EqualFold(h, host) {
				t.Fatalf("%q answered for host %q", resource, h)
			}
		}
		if strings.ContainsAny(u, "@") {
			return // no such account can exist; the lookup will miss
		}
		lower := strings.ToLower(u)
		if again, err := s.webFingerUsername("acct:" + lower + "@" + host); err != nil || again != lower {
			t.Fatalf("%q gave %q, but acct:%s@%s gives %q, %v", resource, u, lower, host, again, err)
		}
		if !strings.ContainsAny(u, "/?#") {
			if again, err := s.webFingerUsername(s.Layout.Actor(u)); err != nil || again != u {
				t.Fatalf("%q gave %q, but its actor id gives %q, %v", resource, u, again, err)
			}
		}
	})
}

// FuzzPostCursor: an accepted before= parameter names a real position, and
// the next-page link we write for it reads back as the same position.
func FuzzPostCursor(f *testing.F) {
	for _, seed := range []string{"", "1378834200.12", "0.1", "-5.3", "1.0", "1.-1", "9223372036854775807.9223372036854775807", "1.2.3", "x.1", " 1.1", "+1.+1"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := postCursor(s)
		if err != nil || c == nil {
			if s == "" && (err != nil || c != nil) {
				t.Fatalf("empty cursor: %v %v", c, err)
			}
			return
		}
		if c.ID < 1 || c.Published.Location() != time.UTC {
			t.Fatalf("%q accepted as %+v", s, c)
		}
		back, err := postCursor(formatPostCursor(c))
		if err != nil || back == nil || !back.Published.Equal(c.Published) || back.ID != c.ID {
			t.Fatalf("%q -> %q -> %+v, %v", s, formatPostCursor(c), back, err)
		}
	})
}
