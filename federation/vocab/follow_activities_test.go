package vocab

import (
	"encoding/json"
	"testing"
)

func TestFollowActivitiesRoundTrip(t *testing.T) {
	f := Follow{ID: "https://a.example/users/org/activities/1", Actor: "https://a.example/users/org", Object: "https://b.example/users/other"}
	raw, err := MarshalFollow(f)
	if err != nil {
		t.Fatal(err)
	}
	a, err := ParseActivity(raw)
	if err != nil {
		t.Fatal(err)
	}
	if a.Type != "Follow" || a.ID != f.ID || a.Actor != f.Actor || a.ObjectIRI != f.Object || len(a.To) != 1 || a.To[0] != f.Object {
		t.Errorf("Follow parsed as %+v", a)
	}
	for verb, wantTo := range map[string]string{"Accept": f.Actor, "Reject": f.Actor, "Undo": f.Object} {
		sender := f.Object
		if verb == "Undo" {
			sender = f.Actor
		}
		raw, err := MarshalFollowAnswer(verb, sender+"/activities/2", sender, f)
		if err != nil {
			t.Fatalf("%s: %v", verb, err)
		}
		a, err := ParseActivity(raw)
		if err != nil {
			t.Fatalf("%s: %v", verb, err)
		}
		if a.Type != verb || a.Actor != sender || a.Object == nil || a.Object.Type != "Follow" ||
			a.Object.ID != f.ID || a.Object.Actor != f.Actor || a.Object.ObjectIRI != f.Object {
			t.Errorf("%s parsed as %+v (object %+v)", verb, a, a.Object)
		}
		if len(a.To) != 1 || a.To[0] != wantTo {
			t.Errorf("%s addressed to %v, want %s", verb, a.To, wantTo)
		}
		var m map[string]any
		_ = json.Unmarshal(raw, &m)
		if _, ok := m["object"].(map[string]any)["@context"]; ok {
			t.Errorf("%s: embedded Follow repeats @context", verb)
		}
	}
	if _, err := MarshalFollowAnswer("Like", f.Object+"/x", f.Object, f); err == nil {
		t.Error("a Like was accepted as an answer to a Follow")
	}
}

func TestMarshalUpdateActor(t *testing.T) {
	a := Actor{ID: "https://a.example/users/org", Type: "Organization", PreferredUsername: "org", Name: "Renamed",
		Inbox: "https://a.example/users/org/inbox", Followers: "https://a.example/users/org/followers",
		PublicKeyID: "https://a.example/users/org#main-key", PublicKeyPEM: "-----BEGIN PUBLIC KEY-----\nx\n-----END PUBLIC KEY-----\n"}
	raw, err := MarshalUpdateActor(a.ID+"/activities/3", a)
	if err != nil {
		t.Fatal(err)
	}
	act, err := ParseActivity(raw)
	if err != nil {
		t.Fatal(err)
	}
	if act.Type != "Update" || act.ObjectIRI != a.ID || len(act.Cc) != 1 || act.Cc[0] != a.Followers {
		t.Errorf("Update parsed as %+v", act)
	}
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	obj := m["object"].(map[string]any)
	if obj["name"] != "Renamed" || obj["publicKey"] == nil {
		t.Errorf("embedded actor = %v", obj)
	}
}
