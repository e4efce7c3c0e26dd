-- Received activities are applied one actor at a time, in id order; a
-- failed one is retried (attempts, next_attempt_at) before that actor's
-- later ones are applied.
ALTER TABLE inbox_activities ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
--bun:split
ALTER TABLE inbox_activities ADD COLUMN next_attempt_at TIMESTAMP;
--bun:split
CREATE INDEX inbox_activities_unprocessed ON inbox_activities (actor_iri, id) WHERE processed_at IS NULL;
