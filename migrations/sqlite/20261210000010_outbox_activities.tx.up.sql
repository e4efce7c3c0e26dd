-- Each queued activity is stored once, in outbox_activities, and its
-- deliveries refer to it, rather than every delivery row carrying the whole
-- activity. outbox_hosts has one row per remote host we deliver to: when its
-- oldest queued delivery is due (next_at, unix milliseconds; NULL when
-- nothing is queued), which process is sending to it (owner, until
-- lease_until, unix milliseconds), and seq, which every append bumps so a
-- sender never lets go of a host whose queue just grew. Pending deliveries
-- are carried over, due at once.
CREATE TABLE outbox_activities (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    sender_id  BIGINT NOT NULL,
    activity   TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
--bun:split
INSERT INTO outbox_activities (sender_id, activity, created_at)
SELECT sender_id, activity, min(created_at) FROM outbox_deliveries GROUP BY sender_id, activity;
--bun:split
CREATE TABLE outbox_deliveries_new (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    host            TEXT NOT NULL,
    inbox           TEXT NOT NULL,
    activity_id     BIGINT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP,
    created_at      TIMESTAMP NOT NULL
);
--bun:split
INSERT INTO outbox_deliveries_new (id, host, inbox, activity_id, attempts, next_attempt_at, created_at)
SELECT d.id, d.host, d.inbox, a.id, d.attempts, d.next_attempt_at, d.created_at
FROM outbox_deliveries AS d JOIN outbox_activities AS a ON a.sender_id = d.sender_id AND a.activity = d.activity;
--bun:split
DROP TABLE outbox_deliveries;
--bun:split
ALTER TABLE outbox_deliveries_new RENAME TO outbox_deliveries;
--bun:split
CREATE INDEX outbox_deliveries_host ON outbox_deliveries (host, id);
--bun:split
CREATE INDEX outbox_deliveries_activity ON outbox_deliveries (activity_id);
--bun:split
CREATE TABLE outbox_hosts (
    host        TEXT PRIMARY KEY,
    seq         BIGINT NOT NULL DEFAULT 0,
    next_at     BIGINT,
    owner       TEXT,
    lease_until BIGINT
);
--bun:split
CREATE INDEX outbox_hosts_due ON outbox_hosts (next_at) WHERE next_at IS NOT NULL;
--bun:split
INSERT INTO outbox_hosts (host, next_at) SELECT DISTINCT host, 0 FROM outbox_deliveries;
--bun:split
-- Delivery no longer uses River jobs to order hosts.
DELETE FROM job_lanes WHERE lane = 'delivery';
