-- The retention job deletes processed activities by when they were
-- processed, a batch at a time; without this it would read the table.
CREATE INDEX inbox_activities_processed ON inbox_activities (processed_at) WHERE processed_at IS NOT NULL;
