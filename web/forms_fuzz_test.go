package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/commonplace-social/commonplace/internal/content"
	"github.com/commonplace-social/commonplace/internal/model"
)

// FuzzSafeNext: whatever next= holds, the redirect stays on this site as a
// browser resolves it, and a value is either kept as it is or replaced.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/compose?org=trust", "/\t/evil.example", "//evil.example", "/\\evil.example",
		"/%2F/evil.example", "/%252F%252Fevil.example", "https://evil.example/", "javascript:alert(1)", "/tags/caf%C3%A9"} {
		f.Add(s)
	}
	site, _ := url.Parse("https://social.example/login")
	f.Fuzz(func(t *testing.T, next string) {
		got := safeNext(next)
		if got != next && got != defaultNext {
			t.Fatalf("safeNext(%q) = %q: neither kept nor the default", next, got)
		}
		if len(got) > maxNext || !strings.HasPrefix(got, "/") {
			t.Fatalf("safeNext(%q) = %q", next, got)
		}
		// The URL Standard's view: controls stripped, '\' read as '/'.
		loc := strings.Map(func(r rune) rune {
			switch {
			case r == '\t' || r == '\n' || r == '\r':
				return -1
			case r == '\\':
				return '/'
			}
			return r
		}, strings.TrimFunc(got, func(r rune) bool { return r <= ' ' }))
		u, err := site.Parse(loc)
		if err != nil {
			return // Go is stricter than browsers; nothing to resolve
		}
		if u.Host != site.Host || u.Scheme != site.Scheme {
			t.Fatalf("safeNext(%q) = %q, which a browser takes to %s://%s", next, got, u.Scheme, u.Host)
		}
		if dec, err := url.PathUnescape(got); err == nil && strings.HasPrefix(dec, "//") {
			t.Fatalf("safeNext(%q) = %q decodes to %q", next, got, dec)
		}
	})
}

// FuzzParseCursor: an accepted before= names a real position, and the
// "Older posts" link written for it reads back as the same position.
func FuzzParseCursor(f *testing.F) {
	for _, s := range []string{"", "1378834200.12", "0.1", "-5.3", "1.0", "x.1", "1.2.3", "+1.+1", "9223372036854775807.1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, ok := parseCursor(s)
		if !ok || c == nil {
			if s == "" && (!ok || c != nil) {
				t.Fatalf("empty cursor: %v %v", c, ok)
			}
			return
		}
		if c.ID < 1 || c.Published.Location() != time.UTC {
			t.Fatalf("%q accepted as %+v", s, c)
		}
		back, ok := parseCursor(formatCursor(c))
		if !ok || back == nil || !back.Published.Equal(c.Published) || back.ID != c.ID {
			t.Fatalf("%q -> %q -> %+v", s, formatCursor(c), back)
		}
	})
}

// FuzzComposeForm: the compose form, posted as any bytes, becomes a draft
// that says what the form said: text fields unchanged, tags as ParseTags
// reads them, and event times in UTC that read back as typed.
func FuzzComposeForm(f *testing.F) {
	for _, s := range []string{
		"kind=meetup_note&title=Tweet+Meet&body=%23HSCLeeds+cake&tags=HSCLeeds%2C+tweetmeet",
		"kind=event&title=Next&body=x&start=2013-09-10T18%3A30&end=2013-09-10T20%3A30&timezone=UTC&venue=Tech+North",
		"kind=event&start=2013-09-10T18%3A30&timezone=Europe%2FLondon",
		"kind=event&timezone=Not%2FAZone", "kind=guidance&topic=Safeguarding&tags=%23", "tags=a&tags=b&kind=%00",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest(http.MethodPost, "/compose", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		form := readPostForm(r)
		d, problems := form.draft()
		if len(problems) > 0 {
			for _, p := range problems {
				if p.Field == "" || p.Message == "" {
					t.Fatalf("form %q: a problem without a field or message: %+v", body, p)
				}
			}
			return
		}
		if d.Kind != form.Kind || d.Title != form.Title || d.Body != form.Body || d.Summary != form.Summary || d.Topic != form.Topic {
			t.Fatalf("form %q: draft %+v does not say what the form said", body, d)
		}
		if strings.TrimSpace(form.Tags) != "" {
			want, _ := content.ParseTags(form.Tags)
			if !slices.Equal(d.Tags, want) {
				t.Fatalf("form %q: tags %q, want %q", body, d.Tags, want)
			}
		}
		if form.Kind != model.KindEvent {
			return
		}
		loc, err := time.LoadLocation(d.Event.TimeZone)
		if err != nil {
			t.Fatalf("form %q: accepted time zone %q: %v", body, d.Event.TimeZone, err)
		}
		for _, c := range []struct {
			typed string
			got   time.Time
		}{{form.Start, d.Event.StartTime}, {form.End, d.Event.EndTime}} {
			if c.typed == "" {
				continue
			}
			if c.got.Location() != time.UTC {
				t.Fatalf("form %q: time %v not in UTC", body, c.got)
			}
			// The edit form writes the time back out; submitting it again
			// must not move the event. Only a zone without daylight saving
			// has no repeated hour to make the wall clock ambiguous.
			if d.Event.TimeZone != "UTC" {
				continue
			}
			again, err := time.ParseInLocation(dateTimeLocal, c.got.In(loc).Format(dateTimeLocal), loc)
			if err != nil || !again.Equal(c.got) {
				t.Fatalf("form %q: %q read as %v, written out and read again as %v, %v", body, c.typed, c.got, again, err)
			}
		}
	})
}
