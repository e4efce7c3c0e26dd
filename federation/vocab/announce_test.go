package vocab

import (
	"errors"
	"testing"
	"time"
)

// Our Announces read back as servers read them: a bare Announce names the
// post; Announce{Update} and the Undo embed what they are about.
func TestMarshalAnnounceRoundTrips(t *testing.T) {
	const net, post = "https://hospice.example/users/hscleeds", "https://b.example/users/volition/posts/1"
	base := Announce{ID: net + "/activities/1", Actor: net, Object: post,
		To: []string{PublicIRI}, Cc: []string{net + "/followers"}, Published: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)}

	raw, err := MarshalAnnounce(base)
	if err != nil {
		t.Fatal(err)
	}
	act, err := ParseActivity(raw)
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "Type", act.Type, "Announce")
	eq(t, "ObjectIRI", act.ObjectIRI, post)
	eq(t, "Cc", len(act.Cc), 1)

	upd := base
	upd.ID = net + "/activities/2"
	upd.Activity = &AnnouncedActivity{ID: post + "#update-1", Type: "Update", Actor: "https://b.example/users/volition"}
	raw, err = MarshalAnnounce(upd)
	if err != nil {
		t.Fatal(err)
	}
	if act, err = ParseActivity(raw); err != nil {
		t.Fatal(err)
	}
	if act.Object == nil || act.Object.Type != "Update" || act.Object.ObjectIRI != post || act.Object.Actor != upd.Activity.Actor {
		t.Errorf("Announce{Update} object = %+v", act.Object)
	}

	raw, err = MarshalUndoAnnounce(net+"/activities/3", base)
	if err != nil {
		t.Fatal(err)
	}
	if act, err = ParseActivity(raw); err != nil {
		t.Fatal(err)
	}
	if act.Type != "Undo" || act.Object == nil || act.Object.Type != "Announce" || act.Object.ID != base.ID || act.Object.ObjectIRI != post {
		t.Errorf("Undo = %+v / %+v", act, act.Object)
	}

	bad := upd
	bad.Activity = &AnnouncedActivity{ID: post + "#like", Type: "Like", Actor: net}
	if _, err := MarshalAnnounce(bad); !errors.Is(err, ErrInvalid) {
		t.Errorf("Announce of a Like: %v", err)
	}
	bad = base
	bad.To = nil
	if _, err := MarshalAnnounce(bad); !errors.Is(err, ErrInvalid) {
		t.Errorf("Announce to nobody: %v", err)
	}
}
