-- Pictures we serve: organisations' avatars and headers, the instance logo
-- and images on posts. The files are in media storage under content-addressed
-- keys (a key may be shared by rows that uploaded the same picture, so a file
-- is removed only when no row names it any more).
CREATE TABLE media (
    id            BIGSERIAL PRIMARY KEY,
    actor_id      BIGINT REFERENCES actors (id) ON DELETE CASCADE,
    post_id       BIGINT REFERENCES posts (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL CHECK (kind IN ('avatar', 'header', 'logo', 'attachment')),
    position      INTEGER NOT NULL DEFAULT 0,
    alt           TEXT NOT NULL DEFAULT '',
    content_type  TEXT NOT NULL,
    width         INTEGER NOT NULL,
    height        INTEGER NOT NULL,
    blurhash      TEXT NOT NULL DEFAULT '',
    original_key  TEXT NOT NULL,
    display_key   TEXT NOT NULL,
    thumb_key     TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL
);
--bun:split
CREATE INDEX media_post ON media (post_id, position) WHERE post_id IS NOT NULL;
--bun:split
CREATE INDEX media_actor ON media (actor_id, kind) WHERE actor_id IS NOT NULL;
--bun:split
CREATE INDEX media_original_key ON media (original_key);
--bun:split
CREATE INDEX media_display_key ON media (display_key);
--bun:split
CREATE INDEX media_thumb_key ON media (thumb_key);
--bun:split
-- The display keys of an organisation's current avatar and header, so the
-- actor document (sent in every Update) can carry icon and image without a
-- second query. Empty when there is none.
ALTER TABLE actors ADD COLUMN avatar_key TEXT NOT NULL DEFAULT '';
--bun:split
ALTER TABLE actors ADD COLUMN header_key TEXT NOT NULL DEFAULT '';
