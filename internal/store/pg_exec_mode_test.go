package store_test

import (
	"fmt"
	"testing"

	"github.com/commonplace-social/commonplace/internal/store"
	"github.com/commonplace-social/commonplace/internal/store/storetest"
)

// Statements bun sends carry their arguments in the SQL, so each is new to
// the server; none may stay prepared on the connection afterwards.
func TestPostgresKeepsNoPreparedStatements(t *testing.T) {
	s := storetest.Open(t, store.Postgres)
	s.DB.SetMaxOpenConns(1) // one connection, so the count below is its own
	for i := range 20 {
		if _, err := s.Timeline(ctx, store.TimelineFilter{Tag: fmt.Sprint("tag", i)}, nil, 20); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	if err := s.DB.NewRaw("SELECT count(*) FROM pg_prepared_statements").Scan(ctx, &n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d statements stay prepared on the connection", n)
	}
}
