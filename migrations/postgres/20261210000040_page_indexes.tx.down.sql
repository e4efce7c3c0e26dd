DROP INDEX actors_local;
--bun:split
DROP INDEX posts_guidance;
--bun:split
DROP STATISTICS posts_events_end_stats;
--bun:split
DROP INDEX posts_events_end;
--bun:split
DROP INDEX posts_thread;
--bun:split
CREATE INDEX posts_thread ON posts (thread_root_id, published, id) WHERE thread_root_id IS NOT NULL;
--bun:split
DROP INDEX posts_author;
--bun:split
CREATE INDEX posts_author ON posts (author_id, published DESC, id DESC);
--bun:split
DROP INDEX posts_events;
--bun:split
CREATE INDEX posts_events ON posts (start_time) WHERE kind = 'event' AND deleted_at IS NULL;
--bun:split
DROP INDEX posts_timeline_kind;
--bun:split
DROP INDEX post_tags_timeline;
--bun:split
CREATE INDEX post_tags_tag ON post_tags (tag, post_id);
--bun:split
ALTER TABLE post_tags DROP COLUMN in_timeline, DROP COLUMN published;
