-- Each post a network re-shared, once: the unique pair is what stops a
-- second Announce of the same post (a repeated Create, a retried job), and
-- the Announce's id is what a later Undo (when the post is deleted) names.
-- undone_at marks a withdrawn re-share, kept so the post is never
-- announced again.
CREATE TABLE network_announces (
    id           BIGSERIAL PRIMARY KEY,
    network_id   BIGINT NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    object_iri   TEXT NOT NULL,
    activity_iri TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    undone_at    TIMESTAMPTZ,
    UNIQUE (network_id, object_iri)
);
--bun:split
CREATE INDEX network_announces_object ON network_announces (object_iri);
