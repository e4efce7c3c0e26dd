package federation

import (
	"errors"
	"net/http"
	"testing"

	"github.com/commonplace-social/commonplace/federation/vocab"
	"github.com/commonplace-social/commonplace/internal/iri"
)

// In production a delivery's ids must be https on a host name; in local
// testing (an http:// base) http and IP addresses are how instances talk.
// Ids are canonical by the time they are checked, so a trailing dot or
// upper case is no way round the check.
func TestRefuseInsecureIDs(t *testing.T) {
	production := &Server{Layout: iri.New("https://ours.example")}
	testing_ := &Server{Layout: iri.New("http://127.0.0.1:7000")}
	parse := func(actor string) *vocab.Activity {
		t.Helper()
		act, err := vocab.ParseActivity([]byte(`{"type":"Follow","id":"` + actor + `/f/1","actor":"` + actor + `","object":"https://ours.example/users/a"}`))
		if err != nil {
			t.Fatal(err)
		}
		return act
	}
	act := parse("https://Social.Example./users/bob")
	if act.Actor != "https://social.example/users/bob" || act.ID != "https://social.example/users/bob/f/1" {
		t.Fatalf("ids not canonical: %q %q", act.Actor, act.ID)
	}
	if err := production.refuseInsecureIDs(act, act.Actor+"#main-key"); err != nil {
		t.Errorf("an https id refused in production: %v", err)
	}
	for _, actor := range []string{"http://social.example/users/bob", "https://203.0.113.7/users/bob", "https://[2001:db8::1]/users/bob"} {
		act := parse(actor)
		var ref *inboxRefusal
		if err := production.refuseInsecureIDs(act, act.Actor+"#main-key"); !errors.As(err, &ref) || ref.status != http.StatusBadRequest {
			t.Errorf("%s accepted in production: %v", actor, err)
		}
		if err := testing_.refuseInsecureIDs(act, act.Actor+"#main-key"); err != nil {
			t.Errorf("%s refused in local testing: %v", actor, err)
		}
	}
	act = parse("https://social.example/users/bob")
	if err := production.refuseInsecureIDs(act, "http://social.example/users/bob#main-key"); err == nil {
		t.Error("an http key id accepted in production")
	}
}
