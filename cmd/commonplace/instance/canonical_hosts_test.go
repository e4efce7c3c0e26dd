package instance_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/orgs"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// A block of evil.example covers every spelling of that host: upper case
// and a trailing dot name the same server, so deliveries from actors there
// are refused with 403 before anything is fetched.
func TestDomainBlockCoversEverySpellingOfTheHost(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			a := instancetest.Start(t, d)
			a.AddOrg(t, orgs.NewOrg{Username: "stgemmas", Name: "St Gemma's Hospice"})
			if _, err := a.Blocks.BlockDomain(bg, "evil.example", "test"); err != nil {
				t.Fatal(err)
			}
			r := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "mallory"})
			port := r.Server.URL[strings.LastIndex(r.Server.URL, ":"):]
			for _, host := range []string{"evil.example.", "EVIL.Example", "Sub.EVIL.example."} {
				actor := "http://" + host + port + "/users/mallory"
				body, _ := json.Marshal(map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
					"id": actor + "/follows/1", "type": "Follow", "actor": actor, "object": a.URL + "/users/stgemmas"})
				if status, msg := r.SendRaw(t, a.URL+"/inbox", body, nil); status != http.StatusForbidden {
					t.Errorf("Follow from %s: %d %q, want 403", actor, status, msg)
				}
			}
		})
	}
}
