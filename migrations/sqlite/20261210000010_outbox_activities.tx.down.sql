CREATE TABLE outbox_deliveries_old (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    host            TEXT NOT NULL,
    inbox           TEXT NOT NULL,
    sender_id       BIGINT NOT NULL,
    activity        TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP,
    created_at      TIMESTAMP NOT NULL
);
--bun:split
INSERT INTO outbox_deliveries_old (id, host, inbox, sender_id, activity, attempts, next_attempt_at, created_at)
SELECT d.id, d.host, d.inbox, a.sender_id, a.activity, d.attempts, d.next_attempt_at, d.created_at
FROM outbox_deliveries AS d JOIN outbox_activities AS a ON a.id = d.activity_id;
--bun:split
DROP TABLE outbox_deliveries;
--bun:split
ALTER TABLE outbox_deliveries_old RENAME TO outbox_deliveries;
--bun:split
CREATE INDEX outbox_deliveries_host ON outbox_deliveries (host, id);
--bun:split
DROP TABLE outbox_activities;
--bun:split
DROP TABLE outbox_hosts;
