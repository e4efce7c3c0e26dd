-- Drafts: a post's fields exactly as its author typed them, kept on the
-- server so nothing is lost to an expired session or a refused form. token
-- is the unguessable name a form carries; org_username and the fields are
-- stored as typed, unchecked, because a draft may be half-written.
-- edit_of is the token of the post a draft edits, '' for a new post.
-- expires_at is set on drafts kept for someone whose session had ended, so
-- the ones they never come back for go away; saved drafts keep it NULL.
CREATE TABLE drafts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    token        TEXT NOT NULL UNIQUE,
    account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    edit_of      TEXT NOT NULL DEFAULT '',
    fields       TEXT NOT NULL,
    expires_at   TIMESTAMP,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
--bun:split
CREATE INDEX drafts_account ON drafts (account_id, updated_at);
--bun:split
CREATE INDEX drafts_expires ON drafts (expires_at) WHERE expires_at IS NOT NULL;
