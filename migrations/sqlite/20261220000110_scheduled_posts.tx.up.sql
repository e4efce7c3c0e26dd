-- Posts written to be published later. They live here, not in posts, so no
-- page, feed or federation query can show or send one early; when
-- publish_at comes, a job publishes the draft (a checked posts.Draft as
-- JSON) as a new post and removes the row in the same transaction.
-- account_id is who scheduled it (NULL from the command line).
CREATE TABLE scheduled_posts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    token        TEXT NOT NULL UNIQUE,
    org_id       INTEGER NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    account_id   INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    publish_at   TIMESTAMP NOT NULL,
    draft        TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL
);
--bun:split
CREATE INDEX scheduled_posts_org ON scheduled_posts (org_id, publish_at);
