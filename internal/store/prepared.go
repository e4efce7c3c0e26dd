package store

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/schema"
)

// The statements the inbox applier runs for every actor's turn and every
// post are few and always the same, but bun writes their arguments into
// the SQL, so PostgreSQL parsed, analysed and planned each one from
// scratch: under an inbox flood that was over a third of the database's
// CPU (profiled: raw_parser, parse_analyze, standard_planner), more than
// executing them. On PostgreSQL these few run instead with real parameters
// as named statements that pgx prepares once per connection and keeps
// (QueryExecModeCacheStatement), while everything else stays unprepared
// (see withoutServerStatements). SQLite, and a PostgreSQL URL that chooses
// its own default_query_exec_mode (e.g. for a pooler that cannot keep
// prepared statements), keep the ordinary bun queries.

// sqlQuerier is what *sql.DB, *sql.Tx and *sql.Conn have in common.
type sqlQuerier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// preparedOn returns the database/sql handle under db when statements may
// be prepared on it, or false to use bun.
func (s *Store) preparedOn(db bun.IDB) (sqlQuerier, bool) {
	if !s.prepare {
		return nil, false
	}
	switch d := db.(type) {
	case *bun.DB:
		return d.DB, true
	case bun.Tx:
		return d.Tx, true
	case bun.Conn:
		return d.Conn, true
	}
	return nil, false
}

// cached puts pgx's per-query mode in front of args: prepare the text
// once per connection, then only bind and execute it.
func cached(args []any) []any {
	return append([]any{pgx.QueryExecModeCacheStatement}, args...)
}

// scanOnePrepared runs query as a cached prepared statement and scans its
// first row into dest, a bun model; no row is sql.ErrNoRows.
func (s *Store) scanOnePrepared(ctx context.Context, q sqlQuerier, query string, dest any, args ...any) error {
	rows, err := q.QueryContext(ctx, query, cached(args)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return err
		}
		return sql.ErrNoRows
	}
	if err := s.DB.ScanRow(ctx, rows, dest); err != nil {
		return err
	}
	return rows.Close()
}

// scanAllPrepared runs query as a cached prepared statement and scans
// every row into dest, a pointer to a slice of models.
func (s *Store) scanAllPrepared(ctx context.Context, q sqlQuerier, query string, dest any, args ...any) error {
	rows, err := q.QueryContext(ctx, query, cached(args)...)
	if err != nil {
		return err
	}
	return s.DB.ScanRows(ctx, rows, dest) // closes rows
}

// statementText builds a statement's SQL once, with bun (so that column
// lists follow the models), the first time it is needed.
type statementText struct {
	once sync.Once
	sql  string
}

func (t *statementText) get(build func() string) string {
	t.once.Do(func() { t.sql = build() })
	return t.sql
}

// modelInsert is an INSERT of every column of a model but its
// autoincrement key, with one $n parameter per column, followed by suffix
// (ON CONFLICT …, RETURNING …). A nullzero field that is zero is sent as
// NULL, as bun sends DEFAULT for it: the columns it is used for have no
// other default.
type modelInsert struct {
	sql    string
	head   string // INSERT INTO … VALUES, for rows written after it
	fields []*schema.Field
}

var timeType = reflect.TypeFor[time.Time]()

// newModelInsert derives the statement from the model's bun table. It
// refuses a field whose Go type pgx might encode differently from bun
// (anything but strings, booleans, integers and times), so that a new
// column of another type fails every test loudly rather than being stored
// differently.
func newModelInsert(db *bun.DB, model any, suffix string) (*modelInsert, error) {
	t := db.Table(reflect.TypeOf(model).Elem())
	var cols, params []string
	mi := &modelInsert{}
	for _, f := range t.Fields {
		if f.AutoIncrement {
			continue
		}
		switch typ := f.StructField.Type; {
		case typ == timeType, typ.Kind() == reflect.String, typ.Kind() == reflect.Bool,
			typ.Kind() == reflect.Int, typ.Kind() == reflect.Int64, typ.Kind() == reflect.Int32:
		default:
			return nil, fmt.Errorf("prepared insert into %s: column %s has Go type %s", t.Name, f.Name, typ)
		}
		mi.fields = append(mi.fields, f)
		cols = append(cols, string(f.SQLName))
		params = append(params, fmt.Sprintf("$%d", len(params)+1))
	}
	mi.head = fmt.Sprintf("INSERT INTO %s (%s) VALUES ", t.SQLName, strings.Join(cols, ", "))
	mi.sql = fmt.Sprintf("%s(%s) %s", mi.head, strings.Join(params, ", "), suffix)
	return mi, nil
}

// args are the statement's parameters for one row, model a pointer to it.
func (mi *modelInsert) args(model any) []any {
	strct := reflect.ValueOf(model).Elem()
	args := make([]any, len(mi.fields))
	for i, f := range mi.fields {
		if f.NullZero && f.HasZeroValue(strct) {
			continue // nil: NULL
		}
		args[i] = f.Value(strct).Interface()
	}
	return args
}

// preparedStatements holds the texts of the statements that run prepared.
type preparedStatements struct {
	remoteActorByIRI, followed, networksOfMember statementText
	remoteActorWithLookups                       statementText

	postInsertOnce sync.Once
	postInsert     *modelInsert
	postInsertErr  error
}
