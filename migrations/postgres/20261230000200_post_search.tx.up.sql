-- Full-text search (internal/search): a tsvector the database keeps in
-- step with each post, titles weighted above the text, and a GIN index.
-- The text is HTML; the english parser reads tags as tokens of their own,
-- which the configuration drops, so markup is never searchable.
--
-- Adding a stored generated column rewrites the table once, in one pass,
-- rather than updating every row in turn; a bigger sort memory lets the
-- GIN index be built in a few large batches. The table is locked while
-- this runs: 6.5 minutes at 1,000,000 posts on a busy 2-core machine
-- (docs/performance.md#search).
SET LOCAL maintenance_work_mem = '512MB';
--bun:split
ALTER TABLE posts ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', title), 'A') ||
    setweight(to_tsvector('english', summary || ' ' || content_html), 'B')
) STORED;
--bun:split
CREATE INDEX posts_search ON posts USING GIN (search);
