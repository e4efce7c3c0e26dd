-- Local accounts of the people who write for our organisations. Emails are
-- stored lower-cased so that uniqueness ignores case.
CREATE TABLE accounts (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    email          TEXT NOT NULL UNIQUE,
    password_hash  TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('admin', 'author')),
    created_at     TIMESTAMP NOT NULL
);
--bun:split
-- Which organisations an account writes as (and, for an admin, manages).
CREATE TABLE account_orgs (
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    actor_id    INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    PRIMARY KEY (account_id, actor_id)
);
--bun:split
-- Login sessions: only the SHA-256 of the cookie's token is kept, so a copy
-- of the database does not let anyone log in.
CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL
);
--bun:split
CREATE INDEX sessions_expires ON sessions (expires_at);
