DROP INDEX actors_public_key_id;
--bun:split
CREATE UNIQUE INDEX actors_public_key_id ON actors (public_key_id) WHERE public_key_id <> '';
