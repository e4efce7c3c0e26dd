-- Nothing to do on SQLite: this migration keeps PostgreSQL's search vector
-- in the post's row, and SQLite's search index (post_search, FTS5) is a
-- table of its own.
SELECT 1;
