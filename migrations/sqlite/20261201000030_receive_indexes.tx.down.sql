DROP INDEX posts_thread;
--bun:split
CREATE INDEX posts_thread ON posts (thread_root_id, published) WHERE thread_root_id IS NOT NULL;
--bun:split
DROP INDEX posts_replies_by;
--bun:split
DROP INDEX interactions_actor;
--bun:split
DROP INDEX follows_activity;
