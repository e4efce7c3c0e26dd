-- The inboxes of servers that fetched one of our posts with a verified
-- signature: they hold a copy without following the author (they saw it
-- boosted by a network), so the author's Update and Delete go to them too.
-- One row per post and inbox; the rows go with the post.
CREATE TABLE post_readers (
    post_id    BIGINT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    inbox      TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (post_id, inbox)
);
