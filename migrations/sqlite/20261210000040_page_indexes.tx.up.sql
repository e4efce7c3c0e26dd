-- Every list page reads one index in the page's own order, starting at the
-- page's cursor, so a page a million posts back costs what the first costs
-- (see internal/store/keyset.go).
--
-- Tag pages: each tag row carries a copy of its post's published time and
-- timeline flag (neither changes once a post is stored; a deleted post
-- loses its tags), so a tag's posts are read newest first from one index
-- instead of fetching every post with the tag and sorting them. SQLite
-- cannot add a NOT NULL column without a default, so the table is rebuilt.
CREATE TABLE post_tags_new (
    post_id     INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    tag         TEXT NOT NULL,
    name        TEXT NOT NULL,
    published   TIMESTAMP NOT NULL,
    in_timeline BOOLEAN NOT NULL,
    PRIMARY KEY (post_id, tag)
);
--bun:split
INSERT INTO post_tags_new (post_id, tag, name, published, in_timeline)
SELECT t.post_id, t.tag, t.name, p.published, p.in_timeline FROM post_tags AS t JOIN posts AS p ON p.id = t.post_id;
--bun:split
DROP TABLE post_tags;
--bun:split
ALTER TABLE post_tags_new RENAME TO post_tags;
--bun:split
CREATE INDEX post_tags_timeline ON post_tags (tag, published DESC, post_id DESC) WHERE in_timeline;
--bun:split
-- The timeline's tabs, one kind at a time.
CREATE INDEX posts_timeline_kind ON posts (kind, published DESC, id DESC) WHERE in_timeline AND deleted_at IS NULL;
--bun:split
-- Past events newest first, paged by (start_time, id), with the end time
-- too, so that a page's keys are read from the index alone. The predicate
-- is the events pages' own; kind leads although it is fixed, so that
-- SQLite, which plans without statistics, prefers this index to
-- posts_timeline_kind.
DROP INDEX posts_events;
--bun:split
CREATE INDEX posts_events ON posts (kind, start_time, id, end_time) WHERE kind = 'event' AND in_timeline AND deleted_at IS NULL;
--bun:split
-- An organisation's posts and a thread's comments likewise carry what
-- their pages filter on, for the same index-only reads.
DROP INDEX posts_author;
--bun:split
CREATE INDEX posts_author ON posts (author_id, published DESC, id DESC, kind, deleted_at);
--bun:split
DROP INDEX posts_thread;
--bun:split
CREATE INDEX posts_thread ON posts (thread_root_id, published, id, deleted_at) WHERE thread_root_id IS NOT NULL;
--bun:split
-- Upcoming events are those not over yet: found by when they end, a short
-- range, then put in start order by the keys the index holds.
CREATE INDEX posts_events_end ON posts (kind, COALESCE(end_time, start_time), start_time, id) WHERE kind = 'event' AND in_timeline AND deleted_at IS NULL;
--bun:split
-- The guidance library in its own order (see internal/store/web_guidance.go):
-- topics alphabetically whatever their case, the untopicked last, then the
-- most recently revised first.
CREATE INDEX posts_guidance ON posts (kind, (CASE WHEN topic = '' THEN 1 ELSE 0 END), LOWER(topic), topic,
    (COALESCE(updated, published)) DESC, id DESC) WHERE kind = 'guidance' AND in_timeline AND deleted_at IS NULL;
--bun:split
-- The home page lists this instance's organisations among every account
-- met through federation.
CREATE INDEX actors_local ON actors (id) WHERE local;
