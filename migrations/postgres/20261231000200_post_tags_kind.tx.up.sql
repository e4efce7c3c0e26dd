-- Search narrowed by a tag (internal/store/search.go) reads the tag's rows
-- newest first and checks each post's words, rather than walking the
-- timeline for posts that happen to carry the tag. Each tag row carries a
-- copy of its post's kind, as it does its published time, so that a tag and
-- a kind together (events tagged #tweetmeet) are one range of this index,
-- comments included, and no post is read that the kind would refuse.
ALTER TABLE post_tags ADD COLUMN kind TEXT;
--bun:split
UPDATE post_tags AS t SET kind = p.kind FROM posts AS p WHERE p.id = t.post_id;
--bun:split
-- No default: a writer that forgets the copy fails instead of hiding posts.
ALTER TABLE post_tags ALTER COLUMN kind SET NOT NULL;
--bun:split
CREATE INDEX post_tags_kind ON post_tags (tag, kind, published DESC, post_id DESC, in_timeline);
--bun:split
-- Statistics for the new column, which the planner weighs against walking the timeline.
ANALYZE post_tags;
