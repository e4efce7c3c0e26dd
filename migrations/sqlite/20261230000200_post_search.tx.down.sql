DROP TRIGGER posts_search_delete;
--bun:split
DROP TRIGGER posts_search_update;
--bun:split
DROP TRIGGER posts_search_insert;
--bun:split
DROP TABLE post_search;
