-- Lookups the receive paths make once per activity, which without these
-- read the whole table: an Undo, Accept or Reject names a Follow by its
-- activity id; deleting an actor finds its likes and boosts, and its
-- replies, which the per-post reply limit also counts.
CREATE INDEX follows_activity ON follows (activity_iri);
--bun:split
CREATE INDEX interactions_actor ON interactions (actor_id);
--bun:split
CREATE INDEX posts_replies_by ON posts (author_id, thread_root_id, created_at) WHERE thread_root_id IS NOT NULL;
--bun:split
-- A thread is read a page at a time in (published, id) order; with id in
-- the index a page is read in order, without sorting the thread.
DROP INDEX posts_thread;
--bun:split
CREATE INDEX posts_thread ON posts (thread_root_id, published, id) WHERE thread_root_id IS NOT NULL;
