-- Health of each remote server we deliver to, keyed by host[:port]. A host
-- that keeps failing is marked dead until dead_until: fan-outs skip it and
-- its queued deliveries are cancelled. Any success clears the failure run.
CREATE TABLE delivery_hosts (
    host                 TEXT PRIMARY KEY,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    first_failure_at     TIMESTAMP,
    last_failure_at      TIMESTAMP,
    last_success_at      TIMESTAMP,
    dead_until           TIMESTAMP
);
--bun:split
CREATE INDEX delivery_hosts_dead ON delivery_hosts (dead_until) WHERE dead_until IS NOT NULL;
