-- Search narrowed by a tag (internal/store/search.go) reads the tag's rows
-- newest first and looks each post up in post_search, rather than walking
-- every match of a common word for the few that carry the tag. Each tag row
-- carries a copy of its post's kind, as it does its published time, so that
-- a tag and a kind together are one range of this index, comments included.
-- The default only lets the column be added; the store always writes it.
ALTER TABLE post_tags ADD COLUMN kind TEXT NOT NULL DEFAULT '';
--bun:split
UPDATE post_tags SET kind = (SELECT p.kind FROM posts AS p WHERE p.id = post_tags.post_id);
--bun:split
CREATE INDEX post_tags_kind ON post_tags (tag, kind, published DESC, post_id DESC, in_timeline);
