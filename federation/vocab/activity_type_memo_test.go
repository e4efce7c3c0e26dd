package vocab

import (
	"errors"
	"testing"
)

// The remembered verdicts give the same answers as asking go-fed: asked
// twice (the second time from the memo), with a string context and with a
// Mastodon-style array of strings and maps.
func TestActivityTypeVerdictsRepeat(t *testing.T) {
	contexts := []string{
		`"https://www.w3.org/ns/activitystreams"`,
		`["https://www.w3.org/ns/activitystreams",{"toot":"http://joinmastodon.org/ns#","sensitive":"as:sensitive"}]`,
	}
	for _, ctx := range contexts {
		for range 2 {
			doc := func(typ string) []byte {
				return []byte(`{"@context":` + ctx + `,"id":"https://r.example/a/1","type":"` + typ +
					`","actor":"https://r.example/users/u","object":"https://r.example/notes/1"}`)
			}
			if _, err := ParseActivity(doc("Create")); err != nil {
				t.Errorf("Create, context %s: %v", ctx, err)
			}
			if _, err := ParseActivity(doc("EmojiReact")); err != nil {
				t.Errorf("unknown type, context %s: %v", ctx, err)
			}
			if _, err := ParseActivity(doc("Note")); !errors.Is(err, ErrUnsupportedType) {
				t.Errorf("Note, context %s: err = %v", ctx, err)
			}
		}
	}
}
