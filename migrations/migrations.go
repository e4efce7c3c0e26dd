// Package migrations embeds the SQL schema, one folder per dialect, so the
// binary carries its own schema and `commonplace migrate` needs no files.
package migrations

import (
	"embed"
	"io/fs"
)

//go:embed postgres/*.sql sqlite/*.sql
var files embed.FS

// Postgres holds the migrations for PostgreSQL.
func Postgres() fs.FS { return sub("postgres") }

// SQLite holds the migrations for the embedded SQLite store.
func SQLite() fs.FS { return sub("sqlite") }

func sub(dir string) fs.FS {
	f, err := fs.Sub(files, dir)
	if err != nil {
		panic(err) // the directory is embedded above; failing here is a build defect
	}
	return f
}
