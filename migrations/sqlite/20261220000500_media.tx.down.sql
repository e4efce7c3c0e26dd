ALTER TABLE actors DROP COLUMN header_key;
--bun:split
ALTER TABLE actors DROP COLUMN avatar_key;
--bun:split
DROP TABLE media;
