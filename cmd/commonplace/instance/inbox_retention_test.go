package instance_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/commonplace-social/commonplace/cmd/commonplace/instance/instancetest"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// An activity of a type we ignore is answered 202 and recorded by id, for
// de-duplication, but its body is not kept and no job is queued: a sender
// cannot park a megabyte per request in our database.
func TestInboxIgnoredTypeStoresNoBody(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			bg := context.Background()
			a := instancetest.Start(t, d)
			alice := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "alice"})
			add := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": alice.NewID("adds"),
				"type": "Add", "actor": alice.ActorID, "target": alice.ActorID + "/collections/featured",
				"object": map[string]any{"id": alice.ActorID + "/notes/1", "type": "Note", "attributedTo": alice.ActorID,
					"content": strings.Repeat("x", 900<<10)}}
			body := mustJSON(t, add)
			if len(body) < 900<<10 {
				t.Fatalf("body is only %d bytes", len(body))
			}
			if status, msg := alice.SendRaw(t, a.URL+"/inbox", body, nil); status != http.StatusAccepted {
				t.Fatalf("Add: %d %s", status, msg)
			}
			row, err := a.Store.InboxActivityByIRI(bg, add["id"].(string))
			if err != nil {
				t.Fatal(err)
			}
			if len(row.Raw) != 0 {
				t.Errorf("stored %d bytes of an ignored Add's body, want none", len(row.Raw))
			}
			if row.Type != "Add" || row.ActorIRI != alice.ActorID || !strings.HasPrefix(row.Outcome, "ignored: ") || row.ProcessedAt.IsZero() {
				t.Errorf("row = type %q actor %q outcome %q processed %v", row.Type, row.ActorIRI, row.Outcome, row.ProcessedAt)
			}
			var jobs int
			if err := a.Store.DB.NewSelect().Table("river_job").ColumnExpr("count(*)").
				Where("kind = ?", "inbox_apply").Scan(bg, &jobs); err != nil {
				t.Fatal(err)
			}
			if jobs != 0 {
				t.Errorf("%d apply jobs queued for an ignored activity, want 0", jobs)
			}
			// A repeat is still recognised by its id.
			if status, msg := alice.SendRaw(t, a.URL+"/inbox", body, nil); status != http.StatusAccepted {
				t.Fatalf("repeated Add: %d %s", status, msg)
			}
		})
	}
}

// Once applied, an activity's row keeps its id, type, actor and outcome
// (for de-duplication and the record) but not its body.
func TestInboxAppliedActivityKeepsNoBody(t *testing.T) {
	for _, d := range storetest.Dialects {
		t.Run(string(d), func(t *testing.T) {
			bg := context.Background()
			a := instancetest.Start(t, d)
			alice := instancetest.NewRemote(t, instancetest.RemoteOptions{Username: "alice"})
			id := alice.ActorID + "/statuses/1/activity"
			create := map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": id, "type": "Create",
				"actor": alice.ActorID, "object": map[string]any{"id": alice.ActorID + "/statuses/1", "type": "Note",
					"attributedTo": alice.ActorID, "content": "<p>hello</p>"}}
			if status, msg := alice.Send(t, a.URL+"/inbox", create); status != http.StatusAccepted {
				t.Fatalf("Create: %d %s", status, msg)
			}
			var outcome, raw string
			instancetest.Eventually(t, wait, "the Create to be applied", func() bool {
				row, err := a.Store.InboxActivityByIRI(bg, id)
				if err != nil || row.ProcessedAt.IsZero() {
					return false
				}
				outcome, raw = row.Outcome, row.Raw
				return true
			})
			if raw != "" {
				t.Errorf("after applying (%s), the row still holds %d bytes of body", outcome, len(raw))
			}
		})
	}
}
