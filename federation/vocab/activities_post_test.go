package vocab

import (
	"errors"
	"testing"
	"time"
)

// The object a Create or Update embeds reads back exactly as the document
// served at its id.
func TestMarshalCreateAndUpdate(t *testing.T) {
	for _, p := range []Post{sampleEvent(t), sampleArticle(), samplePage(), sampleNote()} {
		served, err := ParseObject(must(MarshalPost(p)))
		if err != nil {
			t.Fatal(err)
		}
		for _, verb := range []string{"Create", "Update"} {
			id := p.ID + "#" + verb
			var raw []byte
			if verb == "Create" {
				raw, err = MarshalCreate(id, cpOrg, p)
			} else {
				p.Updated = time.Date(2026, 5, 2, 10, 0, 0, 0, time.UTC)
				served.Updated = p.Updated
				raw, err = MarshalUpdate(id, cpOrg, p)
			}
			if err != nil {
				t.Fatalf("%s %s: %v", verb, p.Kind, err)
			}
			a, err := ParseActivity(raw)
			if err != nil {
				t.Fatalf("%s %s: %v\n%s", verb, p.Kind, err, raw)
			}
			eq(t, verb+" type", a.Type, verb)
			eq(t, verb+" actor", a.Actor, cpOrg)
			eq(t, verb+" ObjectIRI", a.ObjectIRI, p.ID)
			eq(t, verb+" to", a.To, []string{PublicIRI})
			eq(t, verb+" cc", a.Cc, []string{cpFollowers})
			want := p.Published
			if verb == "Update" {
				want = p.Updated
			}
			eq(t, verb+" published", a.Published, want.UTC())
			if a.Object == nil {
				t.Fatalf("%s: object not embedded", verb)
			}
			got := *a.Object
			got.Raw, served.Raw = nil, nil
			eq(t, verb+" "+p.Kind+" embedded object", got, *served)

			m := decodeMap(t, raw)
			checkContext(t, m)
			obj := m["object"].(map[string]any)
			if _, ok := obj["@context"]; ok {
				t.Errorf("%s: embedded post repeats @context", verb)
			}
			for _, k := range []string{"to", "cc"} {
				if _, ok := m[k].([]any); !ok {
					t.Errorf("%s.%s is not an array: %#v", verb, k, m[k])
				}
			}
		}
	}
}

func TestMarshalCreateRefuses(t *testing.T) {
	p := sampleArticle()
	if _, err := MarshalCreate(p.ID+"#create", "https://other.example/orgs/x", p); !errors.Is(err, ErrInvalid) {
		t.Errorf("actor not the author: err = %v", err)
	}
	if _, err := MarshalCreate("create-1", cpOrg, p); !errors.Is(err, ErrInvalid) {
		t.Errorf("relative id: err = %v", err)
	}
	p.Updated = time.Time{}
	if _, err := MarshalUpdate(p.ID+"#update", cpOrg, p); !errors.Is(err, ErrInvalid) {
		t.Errorf("Update without updated: err = %v", err)
	}
	p.Name = ""
	if _, err := MarshalCreate(p.ID+"#create", cpOrg, p); !errors.Is(err, ErrInvalid) {
		t.Errorf("invalid post: err = %v", err)
	}
}

func TestMarshalDeleteAndTombstone(t *testing.T) {
	p := sampleArticle()
	deleted := time.Date(2026, 6, 1, 9, 0, 0, 0, time.FixedZone("BST", 3600))
	raw, err := MarshalDelete(p.ID+"#delete", cpOrg, p.ID, "Article", deleted, p.To, p.Cc)
	if err != nil {
		t.Fatal(err)
	}
	a, err := ParseActivity(raw)
	if err != nil {
		t.Fatalf("%v\n%s", err, raw)
	}
	eq(t, "type", a.Type, "Delete")
	eq(t, "actor", a.Actor, cpOrg)
	eq(t, "ObjectIRI", a.ObjectIRI, p.ID)
	eq(t, "to", a.To, []string{PublicIRI})
	eq(t, "cc", a.Cc, []string{cpFollowers})
	eq(t, "object.type", a.Object.Type, "Tombstone")
	eq(t, "object.formerType", a.Object.FormerType, "Article")
	eq(t, "object.deleted", a.Object.Deleted, deleted.UTC())
	checkContext(t, decodeMap(t, raw))

	tomb, err := MarshalTombstone(p.ID, "Article", deleted)
	if err != nil {
		t.Fatal(err)
	}
	o, err := ParseObject(tomb)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "tombstone", *o, Object{ID: p.ID, Type: "Tombstone", FormerType: "Article", Deleted: deleted.UTC(),
		To: []string{}, Cc: []string{}, Raw: tomb})
	m := decodeMap(t, tomb)
	checkContext(t, m)
	eq(t, "deleted (UTC)", m["deleted"], any("2026-06-01T08:00:00Z"))

	for name, err := range map[string]error{
		"no formerType":   second(MarshalTombstone(p.ID, "", deleted)),
		"relative id":     second(MarshalTombstone("/posts/1", "Note", deleted)),
		"delete, no to":   second(MarshalDelete(p.ID+"#delete", cpOrg, p.ID, "Article", deleted, nil, nil)),
		"delete, bad obj": second(MarshalDelete(p.ID+"#delete", cpOrg, "x", "Article", deleted, p.To, nil)),
		"delete, bad cc":  second(MarshalDelete(p.ID+"#delete", cpOrg, p.ID, "Article", deleted, p.To, []string{"f"})),
	} {
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

func second(_ []byte, err error) error { return err }
