-- Quote approval stamps (FEP-044f): each row says that one of our posts may
-- be quoted by one remote post. The token makes the stamp's own id, which
-- the quoting server dereferences to prove the approval. A stamp goes with
-- the post it approves quoting of and with the actor who asked for it.
CREATE TABLE quote_authorizations (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    token        TEXT NOT NULL UNIQUE,
    post_id      INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    actor_id     INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    quoting_iri  TEXT NOT NULL,
    request_iri  TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    UNIQUE (post_id, quoting_iri)
);
--bun:split
CREATE INDEX quote_authorizations_actor ON quote_authorizations (actor_id);
