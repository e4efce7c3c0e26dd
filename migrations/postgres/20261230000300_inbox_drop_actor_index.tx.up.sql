-- No query reads inbox_activities by actor across processed and unprocessed
-- rows any more: the applier uses inbox_activities_unprocessed. The index
-- cost a write on every delivery recorded and every activity applied.
DROP INDEX IF EXISTS inbox_activities_actor;
