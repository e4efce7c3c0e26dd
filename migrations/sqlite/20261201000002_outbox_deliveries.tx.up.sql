-- Deliveries waiting to be sent, one row per activity and inbox. Each
-- remote host's rows are sent in id order, one activity at a time, so a
-- server gets what we queued for it in the order we queued it. A row is
-- deleted once its inbox took it, or once it is given up.
CREATE TABLE outbox_deliveries (
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
CREATE INDEX outbox_deliveries_host ON outbox_deliveries (host, id);
