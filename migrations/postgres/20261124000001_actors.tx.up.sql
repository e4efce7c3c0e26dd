-- Actors are both our own organisations (local, with a private key) and the
-- remote accounts we meet through federation (local = false, keyed by IRI).
CREATE TABLE actors (
    id                          BIGSERIAL PRIMARY KEY,
    local                       BOOLEAN NOT NULL,
    username                    TEXT NOT NULL,
    host                        TEXT NOT NULL DEFAULT '',
    iri                         TEXT,
    type                        TEXT NOT NULL,
    name                        TEXT NOT NULL DEFAULT '',
    summary                     TEXT NOT NULL DEFAULT '',
    url                         TEXT NOT NULL DEFAULT '',
    inbox                       TEXT NOT NULL DEFAULT '',
    outbox                      TEXT NOT NULL DEFAULT '',
    followers                   TEXT NOT NULL DEFAULT '',
    following                   TEXT NOT NULL DEFAULT '',
    shared_inbox                TEXT NOT NULL DEFAULT '',
    public_key_id               TEXT NOT NULL DEFAULT '',
    public_key_pem              TEXT NOT NULL,
    private_key_pem             TEXT NOT NULL DEFAULT '',
    manually_approves_followers BOOLEAN NOT NULL DEFAULT FALSE,
    discoverable                BOOLEAN NOT NULL DEFAULT TRUE,
    raw                         TEXT NOT NULL DEFAULT '',
    created_at                  TIMESTAMPTZ NOT NULL,
    updated_at                  TIMESTAMPTZ NOT NULL,
    fetched_at                  TIMESTAMPTZ
);
--bun:split
CREATE UNIQUE INDEX actors_local_username ON actors (username) WHERE local;
--bun:split
CREATE UNIQUE INDEX actors_iri ON actors (iri) WHERE iri IS NOT NULL;
--bun:split
CREATE UNIQUE INDEX actors_public_key_id ON actors (public_key_id) WHERE public_key_id <> '';
--bun:split
-- A follow between any two actors: remote → local (our followers) or
-- local → remote (who we follow). Pending until the followee accepts.
CREATE TABLE follows (
    id            BIGSERIAL PRIMARY KEY,
    follower_id   BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    followee_id   BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    activity_iri  TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('pending', 'accepted')),
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    UNIQUE (follower_id, followee_id)
);
--bun:split
CREATE INDEX follows_followee ON follows (followee_id, state, id);
--bun:split
CREATE INDEX follows_follower ON follows (follower_id, state, id);
--bun:split
-- Settings of the instance itself, one row per key (e.g. the domain it was
-- first served under, which must never change afterwards).
CREATE TABLE instance_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
