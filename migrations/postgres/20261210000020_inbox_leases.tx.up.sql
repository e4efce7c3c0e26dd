-- Received activities are applied in batches by whichever serve process
-- holds the sending actor's lease, so one actor's activities are applied
-- by one process at a time, in the order they were recorded. expires_at
-- frees the lease of a process that died; the holder renews it while it
-- works. An activity waiting for its next attempt holds its actor with an
-- empty holder until then, so the actor's later activities wait for it.
CREATE TABLE inbox_leases (
    actor_iri  TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
--bun:split
-- The applier looks for unprocessed activities in id order.
CREATE INDEX inbox_activities_pending ON inbox_activities (id) WHERE processed_at IS NULL;
--bun:split
-- The per-actor apply jobs' lanes are not used any more.
DELETE FROM job_lanes WHERE lane = 'inbox';
