DROP INDEX inbox_activities_unprocessed;
--bun:split
ALTER TABLE inbox_activities DROP COLUMN next_attempt_at;
--bun:split
ALTER TABLE inbox_activities DROP COLUMN attempts;
