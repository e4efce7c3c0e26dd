-- Every activity that passed signature checks, exactly as received. The id
-- is unique, so a repeated delivery is recorded once and applied once.
CREATE TABLE inbox_activities (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    activity_iri  TEXT NOT NULL UNIQUE,
    type          TEXT NOT NULL,
    actor_iri     TEXT NOT NULL,
    raw           TEXT NOT NULL,
    received_at   TIMESTAMP NOT NULL,
    processed_at  TIMESTAMP,
    outcome       TEXT NOT NULL DEFAULT ''
);
--bun:split
CREATE INDEX inbox_activities_actor ON inbox_activities (actor_iri, id);
