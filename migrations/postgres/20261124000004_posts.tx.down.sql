DROP TABLE interactions;
--bun:split
DROP TABLE post_tags;
--bun:split
DROP TABLE posts;
