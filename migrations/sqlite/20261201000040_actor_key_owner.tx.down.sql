DROP INDEX actors_public_key_id;
--bun:split
CREATE INDEX actors_public_key_id ON actors (public_key_id) WHERE public_key_id <> '';
--bun:split
ALTER TABLE actors DROP COLUMN key_fetched_at;
