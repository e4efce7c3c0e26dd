DROP INDEX inbox_activities_pending;
--bun:split
DROP TABLE inbox_leases;
