ALTER TABLE outbox_deliveries ADD COLUMN sender_id BIGINT, ADD COLUMN activity TEXT;
--bun:split
UPDATE outbox_deliveries AS d SET sender_id = a.sender_id, activity = a.activity
FROM outbox_activities AS a WHERE a.id = d.activity_id;
--bun:split
ALTER TABLE outbox_deliveries ALTER COLUMN sender_id SET NOT NULL, ALTER COLUMN activity SET NOT NULL, DROP COLUMN activity_id;
--bun:split
DROP TABLE outbox_activities;
--bun:split
DROP TABLE outbox_hosts;
