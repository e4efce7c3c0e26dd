-- The servers that fetched one of our posts with a verified signature:
-- they hold a copy without following the author (they saw it boosted by a
-- network), so the author's Update and Delete go to them too. One row per
-- post and server (host), holding the inbox of the latest signer from
-- there: one server needs the activity once, and no one can multiply our
-- deliveries by signing with many actors of one server. The rows go with
-- the post.
CREATE TABLE post_readers (
    post_id    INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    host       TEXT NOT NULL,
    inbox      TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (post_id, host)
);
