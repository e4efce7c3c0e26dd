-- Accounts and whole domains this instance refuses to federate with. value
-- is an actor IRI (kind 'account') or a lower-cased host[:port] (kind
-- 'domain'; a domain without a port also covers its subdomains).
CREATE TABLE blocks (
    id         BIGSERIAL PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('account', 'domain')),
    value      TEXT NOT NULL,
    reason     TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    UNIQUE (kind, value)
);
