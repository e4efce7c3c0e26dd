-- Every activity that passed signature checks, exactly as received. The id
-- is unique, so a repeated delivery is recorded once and applied once.
CREATE TABLE inbox_activities (
    id            BIGSERIAL PRIMARY KEY,
    activity_iri  TEXT NOT NULL UNIQUE,
    type          TEXT NOT NULL,
    actor_iri     TEXT NOT NULL,
    raw           TEXT NOT NULL,
    received_at   TIMESTAMPTZ NOT NULL,
    processed_at  TIMESTAMPTZ,
    outcome       TEXT NOT NULL DEFAULT ''
);
--bun:split
CREATE INDEX inbox_activities_actor ON inbox_activities (actor_iri, id);
