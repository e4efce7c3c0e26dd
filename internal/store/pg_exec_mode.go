package store

import "net/url"

// withoutServerStatements sets pgx's query mode to exec unless the URL
// chooses one. pgx's default prepares every distinct statement on the
// server and keeps up to 512 per connection; bun writes the arguments into
// the SQL, so nearly every statement is distinct: the cache never hits and
// each backend holds hundreds of prepared plans (the pages benchmark's
// seeding connection grew to 12 GB on batched inserts). cache_describe
// still keeps 512 descriptions per connection in our heap (about 20 MiB of
// 35 under an inbox flood). exec caches nothing: each statement runs
// unnamed, in one round trip, with argument types taken from the Go values
// (River's queries pass typed arguments).
func withoutServerStatements(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn // sql.Open reports the malformed URL
	}
	q := u.Query()
	if q.Has("default_query_exec_mode") {
		return dsn
	}
	q.Set("default_query_exec_mode", "exec")
	u.RawQuery = q.Encode()
	return u.String()
}

// choosesExecMode reports whether the URL sets pgx's query mode itself.
func choosesExecMode(dsn string) bool {
	u, err := url.Parse(dsn)
	return err == nil && u.Query().Has("default_query_exec_mode")
}
