package store

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"
)

// migrationName is bun's file naming, NAME_COMMENT.[tx.]up.sql; the name and
// comment are what bun records, so databases migrated before keep matching.
var migrationName = regexp.MustCompile(`^(\d{1,14})_([0-9a-z_\-]+)\.`)

// addMigrations registers the .up.sql and .down.sql files of fsys with ms,
// the way bun's Discover does. It exists because Discover's functions can
// render each file as a text/template, and linking text/template's executor
// makes the linker keep every exported method of every type: with go-fed's
// vocabulary that was 14 MB of the binary. Our files are plain SQL.
func addMigrations(ms *migrate.Migrations, fsys fs.FS) error {
	files, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return fmt.Errorf("list migrations: %w", err)
	}
	byName := map[string]*migrate.Migration{}
	var order []string
	for _, file := range files {
		up := strings.HasSuffix(file, ".up.sql")
		if !up && !strings.HasSuffix(file, ".down.sql") {
			continue
		}
		m := migrationName.FindStringSubmatch(path.Base(file))
		if m == nil {
			return fmt.Errorf("migration file %q is not named NUMBER_comment.up.sql", file)
		}
		mig := byName[m[1]]
		if mig == nil {
			mig = &migrate.Migration{Name: m[1], Comment: m[2]}
			byName[m[1]] = mig
			order = append(order, m[1])
		} else if mig.Comment != m[2] {
			return fmt.Errorf("two migrations numbered %s: %s and %s", m[1], mig.Comment, m[2])
		}
		run := sqlMigration(fsys, file)
		if up {
			mig.Up = run
		} else {
			mig.Down = run
		}
	}
	for _, name := range order {
		ms.Add(*byName[name])
	}
	return nil
}

// sqlMigration runs one file's statements, split at "--bun:split" lines,
// in one transaction when the file is named *.tx.up.sql or *.tx.down.sql.
func sqlMigration(fsys fs.FS, file string) func(context.Context, *migrate.Migrator, *migrate.Migration) error {
	return func(ctx context.Context, m *migrate.Migrator, _ *migrate.Migration) (err error) {
		body, err := fs.ReadFile(fsys, file)
		if err != nil {
			return fmt.Errorf("read %s: %w", file, err)
		}
		queries, err := splitMigration(body)
		if err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		if !strings.HasSuffix(file, ".tx.up.sql") && !strings.HasSuffix(file, ".tx.down.sql") {
			conn, err := m.DB().Conn(ctx)
			if err != nil {
				return fmt.Errorf("%s: %w", file, err)
			}
			defer func() { err = errors.Join(err, conn.Close()) }()
			return execAll(ctx, conn, file, queries)
		}
		return m.DB().RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			return execAll(ctx, tx, file, queries)
		})
	}
}

func execAll(ctx context.Context, db bun.IConn, file string, queries []string) error {
	for i, q := range queries {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s, statement %d: %w", file, i+1, err)
		}
	}
	return nil
}

// splitMigration cuts a file into statements at "--bun:split" lines, leaving
// out blank lines; any other "--bun:" directive is an error.
func splitMigration(body []byte) ([]string, error) {
	var queries []string
	var q []byte
	flush := func() {
		if len(q) > 0 {
			queries = append(queries, string(q))
			q = q[:0]
		}
	}
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Bytes()
		if d, ok := bytes.CutPrefix(line, []byte("--bun:")); ok {
			if string(d) != "split" {
				return nil, fmt.Errorf("unknown directive --bun:%s", d)
			}
			flush()
			continue
		}
		if len(bytes.TrimSpace(line)) > 0 {
			q = append(q, line...)
			q = append(q, '\n')
		}
	}
	flush()
	return queries, sc.Err()
}
