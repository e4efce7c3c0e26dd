package vocab

import "testing"

// Mastodon credits an actor named in a page's fediverse:creator only when
// the actor lists the page's domain in attributionDomains, a term it types
// @id in the toot namespace.
func TestActorListsAttributionDomains(t *testing.T) {
	a := sampleActor()
	a.AttributionDomains = []string{"leeds.commonplace.example"}
	m := decodeMap(t, must(MarshalActor(a)))
	eq[any](t, "attributionDomains", m["attributionDomains"], []any{"leeds.commonplace.example"})
	ctx := m["@context"].([]any)[2].(map[string]any)
	eq[any](t, "context attributionDomains", ctx["attributionDomains"], map[string]any{"@id": "toot:attributionDomains", "@type": "@id"})

	if _, ok := decodeMap(t, must(MarshalActor(sampleActor())))["attributionDomains"]; ok {
		t.Error("an actor without attribution domains writes the property")
	}
}
