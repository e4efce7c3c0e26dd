package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// Mastodon credits the author of a linked page in its preview when the page
// names them in fediverse:creator: every post and organisation page names
// the organisation; the combined timeline, by many, names nobody.
func TestPagesCreditTheirOrganisation(t *testing.T) {
	n := startNetwork(t)
	u := n.inst.URL
	credit := `<meta name="fediverse:creator" content="@hscleeds@` + n.inst.Domain + `">`
	for _, p := range []struct{ path, title string }{
		{"/@hscleeds", "The Sociable Organisation (@hscleeds@" + n.inst.Domain + ")"},
		{"/users/hscleeds/posts/" + n.note.Token, "Notes from the third Tweet Meet"},
		{"/users/hscleeds/posts/" + n.guide.Token, "Social media toolkit for staff"},
		{"/users/hscleeds/posts/" + n.ev.Token, "Next Tweet Meet"},
		{"/users/hscleeds/posts/" + n.update.Token, "Update from The Sociable Organisation"},
	} {
		page(t, u+p.path, 200, p.title, credit)
	}
	if body := page(t, u+"/", 200, n.org.Name); strings.Contains(body, "fediverse:creator") {
		t.Error("the timeline credits a single creator")
	}
}

// ...and the organisation's actor lists this site's domain, without which
// Mastodon ignores the credit.
func TestActorAllowsAttributionFromThisSite(t *testing.T) {
	n := startNetwork(t)
	req, err := http.NewRequest(http.MethodGet, n.inst.URL+"/users/hscleeds", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", "application/activity+json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var actor struct {
		AttributionDomains []string `json:"attributionDomains"`
	}
	if err := json.NewDecoder(res.Body).Decode(&actor); err != nil {
		t.Fatal(err)
	}
	if len(actor.AttributionDomains) != 1 || actor.AttributionDomains[0] != "127.0.0.1" {
		t.Errorf("attributionDomains = %v, want this site's host", actor.AttributionDomains)
	}
}
