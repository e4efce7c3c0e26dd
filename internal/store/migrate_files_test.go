package store

import (
	"io/fs"
	"reflect"
	"testing"

	"github.com/uptrace/bun/migrate"

	"github.com/commonplace-social/commonplace/migrations"
)

// Databases migrated by bun's Discover must see the same names and comments
// now, or every migration would run again.
func TestAddMigrationsNamesAsBunDoes(t *testing.T) {
	for dialect, files := range map[string]fs.FS{"postgres": migrations.Postgres(), "sqlite": migrations.SQLite()} {
		bunMs, ours := migrate.NewMigrations(), migrate.NewMigrations()
		if err := bunMs.Discover(files); err != nil {
			t.Fatal(err)
		}
		if err := addMigrations(ours, files); err != nil {
			t.Fatal(err)
		}
		want, got := bunMs.Sorted(), ours.Sorted()
		if len(got) == 0 || len(got) != len(want) {
			t.Fatalf("%s: %d migrations, bun finds %d", dialect, len(got), len(want))
		}
		for i := range want {
			if got[i].Name != want[i].Name || got[i].Comment != want[i].Comment ||
				(got[i].Up == nil) != (want[i].Up == nil) || (got[i].Down == nil) != (want[i].Down == nil) {
				t.Errorf("%s: migration %d is %s (up %v, down %v), bun has %s (up %v, down %v)", dialect, i,
					got[i], got[i].Up != nil, got[i].Down != nil, want[i], want[i].Up != nil, want[i].Down != nil)
			}
		}
	}
}

func TestSplitMigration(t *testing.T) {
	got, err := splitMigration([]byte("CREATE TABLE a (x int);\n\n  \n--bun:split\nCREATE INDEX a_x\n  ON a (x);\n--bun:split\n--bun:split\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"CREATE TABLE a (x int);\n", "CREATE INDEX a_x\n  ON a (x);\n"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("split = %q, want %q", got, want)
	}
	if _, err := splitMigration([]byte("SELECT 1;\n--bun:nosplit\n")); err == nil {
		t.Error("an unknown directive was accepted")
	}
}
