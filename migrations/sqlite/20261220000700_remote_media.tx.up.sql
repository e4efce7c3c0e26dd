-- Pictures from other servers: remote actors' avatars and the images on
-- remote posts and replies. A row records what the sender said (url, alt
-- text, sizes); file_key names our re-encoded copy in media storage, empty
-- until the cache has fetched it or after pruning, when the next view
-- fetches it again. Pages show only our copy, never the remote url.
CREATE TABLE remote_media (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_id    INTEGER REFERENCES actors (id) ON DELETE CASCADE,
    post_id     INTEGER REFERENCES posts (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('avatar', 'attachment')),
    position    INTEGER NOT NULL DEFAULT 0,
    url         TEXT NOT NULL,
    alt         TEXT NOT NULL DEFAULT '',
    media_type  TEXT NOT NULL DEFAULT '',
    width       INTEGER NOT NULL DEFAULT 0,
    height      INTEGER NOT NULL DEFAULT 0,
    blurhash    TEXT NOT NULL DEFAULT '',
    file_key    TEXT NOT NULL DEFAULT '',
    file_bytes  INTEGER NOT NULL DEFAULT 0,
    fetched_at  TIMESTAMP,
    failure     TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL
);
--bun:split
CREATE INDEX remote_media_post ON remote_media (post_id, position) WHERE post_id IS NOT NULL;
--bun:split
CREATE INDEX remote_media_actor ON remote_media (actor_id, kind) WHERE actor_id IS NOT NULL;
--bun:split
CREATE INDEX remote_media_fetched ON remote_media (fetched_at) WHERE file_key <> '';
