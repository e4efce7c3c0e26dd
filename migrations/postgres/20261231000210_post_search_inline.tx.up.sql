-- Keep each post's search vector in the post's own row (storage MAIN), not
-- in the TOAST table. A search walks the timeline newest first checking
-- every post's vector until it has its matches: a phrase of two common
-- words checks some 20,000 posts, and fetching each vector from TOAST cost
-- two or three more page reads per post (EXPLAIN BUFFERS: 38,000 pages
-- rather than 5,000) and twice the CPU time. With MAIN, a long post's text
-- and raw JSON are moved out first and the vector stays.
--
-- Storage applies only to rows as they are written, so the column is
-- added again, which rewrites the table once (as 20261230000200 did:
-- minutes on a million posts, with the table locked), and its index
-- rebuilt.
SET LOCAL maintenance_work_mem = '512MB';
--bun:split
ALTER TABLE posts DROP COLUMN search;
--bun:split
ALTER TABLE posts ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', title), 'A') ||
    setweight(to_tsvector('english', summary || ' ' || content_html), 'B')
) STORED, ALTER COLUMN search SET STORAGE MAIN;
--bun:split
CREATE INDEX posts_search ON posts USING GIN (search);
--bun:split
-- The rewrite leaves the new column without statistics; the planner would
-- then guess that a common word is rare and read all its matches through
-- the index, a hundred times slower than walking the timeline.
ANALYZE posts;
