package storetest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

var probed struct {
	once   sync.Once
	reason string
}

// postgresMissing says why the test server at base cannot be used, or ""
// when it can. It asks once per test binary: the answer does not change
// within a run, and a server that is down would cost each test a timeout.
func postgresMissing(base string) string {
	probed.once.Do(func() { probed.reason = probePostgres(base) })
	return probed.reason
}

// probePostgres connects and tells apart what a newcomer must do about
// each failure: start a server, create the role, create the database.
func probePostgres(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return fmt.Sprintf("%s is not a URL (%v); fix %s", EnvPostgres, err, EnvPostgres)
	}
	host, role, db := u.Host, u.User.Username(), u.Path
	if len(db) > 0 && db[0] == '/' {
		db = db[1:]
	}
	conn, err := sql.Open("pgx", base)
	if err != nil {
		return fmt.Sprintf("cannot use %s: %v", EnvPostgres, err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = conn.PingContext(ctx)
	if err == nil {
		return ""
	}
	const fix = `; see README ("Test it") or set ` + EnvPostgres
	var pg *pgconn.PgError
	switch {
	case errors.As(err, &pg) && pg.Code == "28000" && strings.Contains(pg.Message, "does not exist"):
		return fmt.Sprintf("role %s missing on %s%s", role, host, fix)
	case errors.As(err, &pg) && pg.Code == "28P01":
		return fmt.Sprintf("the server at %s refused the password of role %s%s", host, role, fix)
	case errors.As(err, &pg) && pg.Code == "3D000":
		return fmt.Sprintf("database %s missing on %s%s", db, host, fix)
	case errors.As(err, &pg):
		return fmt.Sprintf("the server at %s refused the connection: %s (SQLSTATE %s)%s", host, pg.Message, pg.Code, fix)
	default:
		return fmt.Sprintf("no PostgreSQL server answers at %s (%v)%s", host, lastPart(err), fix)
	}
}

// lastPart keeps the end of a driver's long, nested connect error, which
// is the part that says what happened ("connection refused").
func lastPart(err error) string {
	msg := err.Error()
	for i := len(msg) - 2; i > 0; i-- {
		if msg[i] == ':' && msg[i+1] == ' ' {
			return msg[i+2:]
		}
	}
	return msg
}
