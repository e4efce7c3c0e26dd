-- The key id only needs to be found fast, not enforced unique: with a
-- unique index, two concurrent upserts of one remote actor (a lookup racing
-- an incoming Follow) fail on this index, which is not the upsert's arbiter.
DROP INDEX actors_public_key_id;
--bun:split
CREATE INDEX actors_public_key_id ON actors (public_key_id) WHERE public_key_id <> '';
