DROP INDEX posts_search;
--bun:split
ALTER TABLE posts DROP COLUMN search;
