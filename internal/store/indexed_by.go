package store

// postsFrom is the posts table, aliased "post", for a list read from the
// named index. SQLite is told to use that index: a served SQLite file has
// no statistics (nothing runs ANALYZE), and without them SQLite can take a
// range of another index that then has to be sorted whole, as it does for
// past events by the index of when events end. Postgres plans from
// statistics and is left free. The index is always one of ours, by name.
func (s *Store) postsFrom(index string) string {
	if s.Dialect != SQLite {
		return "posts AS post"
	}
	return "posts AS post INDEXED BY " + index
}
