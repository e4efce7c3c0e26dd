DROP INDEX post_tags_kind;
--bun:split
ALTER TABLE post_tags DROP COLUMN kind;
