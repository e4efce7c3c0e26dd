-- Roles become per organisation: a person may run one organisation's
-- federation as its admin and only write for another. Each existing
-- membership takes the account's old global role, so every admin stays an
-- admin of exactly the organisations they already managed. accounts.role
-- stays, now meaning a site admin (instance-wide blocks and settings).
ALTER TABLE account_orgs ADD COLUMN role TEXT NOT NULL DEFAULT 'author' CHECK (role IN ('admin', 'author'));
--bun:split
UPDATE account_orgs SET role = (SELECT a.role FROM accounts a WHERE a.id = account_orgs.account_id);
--bun:split
-- One-time links for setting a password: invitations of new staff and
-- resets. Only the token's SHA-256 is kept; used links stay until the next
-- link for the account replaces them, so a second click can be told the
-- link was used rather than that it never existed.
CREATE TABLE password_links (
    token_hash  TEXT PRIMARY KEY,
    account_id  BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    purpose     TEXT NOT NULL CHECK (purpose IN ('invite', 'reset')),
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ
);
--bun:split
CREATE INDEX password_links_account ON password_links (account_id);
