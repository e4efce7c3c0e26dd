CREATE INDEX IF NOT EXISTS inbox_activities_actor ON inbox_activities (actor_iri, id);
