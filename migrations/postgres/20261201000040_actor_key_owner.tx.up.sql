-- When a remote actor's key was last confirmed by dereferencing the key id,
-- which decides whether a failed signature may fetch the key again. NULL:
-- never confirmed (the claim came from an Update, or predates this column),
-- so the key is fetched on its next use.
ALTER TABLE actors ADD COLUMN key_fetched_at TIMESTAMPTZ;
--bun:split
-- A key id belongs to one remote actor. Where several name the same one,
-- all but the most recently fetched lose the claim; none is confirmed, so
-- the key's own document settles its owner on first use.
UPDATE actors SET public_key_id = ''
WHERE NOT local AND public_key_id <> '' AND EXISTS (
    SELECT 1 FROM actors o
    WHERE NOT o.local AND o.public_key_id = actors.public_key_id AND o.id <> actors.id
      AND (COALESCE(o.fetched_at, o.updated_at) > COALESCE(actors.fetched_at, actors.updated_at)
           OR (COALESCE(o.fetched_at, o.updated_at) = COALESCE(actors.fetched_at, actors.updated_at) AND o.id > actors.id))
);
--bun:split
DROP INDEX actors_public_key_id;
--bun:split
CREATE UNIQUE INDEX actors_public_key_id ON actors (public_key_id) WHERE NOT local AND public_key_id <> '';
