package wake

import (
	"context"
	"testing"

	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// On SQLite, a commit made by another process on the same file (here a
// second, separately opened store, as a CLI command would be) wakes this
// hub's subscribers, although no NotifyTx of this process was called; and
// with nothing committed, nothing wakes them.
func TestSQLiteCommitByAnotherProcessWakes(t *testing.T) {
	url := storetest.URL(t, store.SQLite)
	open := func() *store.Store {
		st, err := store.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	server := open()
	if _, err := server.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	h := startHub(t, server)
	sub := h.Subscribe(Delivery)
	cli := open()
	if _, err := cli.DB.ExecContext(context.Background(), "CREATE TABLE wake_probe (n INTEGER)"); err != nil {
		t.Fatal(err)
	}
	drain(sub) // the log's first sighting does not wake; settle either way
	if !quiet(sub) {
		t.Fatal("woken with nothing committed")
	}
	if _, err := cli.DB.ExecContext(context.Background(), "INSERT INTO wake_probe (n) VALUES (1)"); err != nil {
		t.Fatal(err)
	}
	woken(t, sub, "another process's commit")
}
