-- Posts: our organisations' meetup notes, guidance, events and updates,
-- copies of posts from organisations we follow, and replies to either
-- (comments). in_timeline marks what the combined timeline shows, so that
-- reading it never joins against the follow graph.
CREATE TABLE posts (
    id              BIGSERIAL PRIMARY KEY,
    author_id       BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    local           BOOLEAN NOT NULL,
    token           TEXT,
    iri             TEXT,
    kind            TEXT NOT NULL,
    ap_type         TEXT NOT NULL,
    title           TEXT NOT NULL DEFAULT '',
    summary         TEXT NOT NULL DEFAULT '',
    content_html    TEXT NOT NULL DEFAULT '',
    source          TEXT NOT NULL DEFAULT '',
    url             TEXT NOT NULL DEFAULT '',
    topic           TEXT NOT NULL DEFAULT '',
    in_reply_to     TEXT NOT NULL DEFAULT '',
    thread_root_id  BIGINT REFERENCES posts (id) ON DELETE CASCADE,
    start_time      TIMESTAMPTZ,
    end_time        TIMESTAMPTZ,
    timezone        TEXT NOT NULL DEFAULT '',
    venue           TEXT NOT NULL DEFAULT '',
    address         TEXT NOT NULL DEFAULT '',
    online_url      TEXT NOT NULL DEFAULT '',
    booking_url     TEXT NOT NULL DEFAULT '',
    in_timeline     BOOLEAN NOT NULL DEFAULT FALSE,
    like_count      INTEGER NOT NULL DEFAULT 0,
    announce_count  INTEGER NOT NULL DEFAULT 0,
    reply_count     INTEGER NOT NULL DEFAULT 0,
    raw             TEXT NOT NULL DEFAULT '',
    published       TIMESTAMPTZ NOT NULL,
    updated         TIMESTAMPTZ,
    deleted_at      TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL
);
--bun:split
CREATE UNIQUE INDEX posts_token ON posts (token) WHERE token IS NOT NULL;
--bun:split
CREATE UNIQUE INDEX posts_iri ON posts (iri) WHERE iri IS NOT NULL;
--bun:split
CREATE INDEX posts_timeline ON posts (published DESC, id DESC) WHERE in_timeline AND deleted_at IS NULL;
--bun:split
CREATE INDEX posts_author ON posts (author_id, published DESC, id DESC);
--bun:split
CREATE INDEX posts_thread ON posts (thread_root_id, published) WHERE thread_root_id IS NOT NULL;
--bun:split
CREATE INDEX posts_events ON posts (start_time) WHERE kind = 'event' AND deleted_at IS NULL;
--bun:split
CREATE TABLE post_tags (
    post_id BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    tag     TEXT NOT NULL,
    name    TEXT NOT NULL,
    PRIMARY KEY (post_id, tag)
);
--bun:split
CREATE INDEX post_tags_tag ON post_tags (tag, post_id);
--bun:split
-- Likes and boosts of our posts (and of posts we hold copies of).
CREATE TABLE interactions (
    id            BIGSERIAL PRIMARY KEY,
    post_id       BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    actor_id      BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    type          TEXT NOT NULL CHECK (type IN ('like', 'announce')),
    activity_iri  TEXT NOT NULL UNIQUE,
    created_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (post_id, actor_id, type)
);
