-- Full-text search (internal/search): an FTS5 table of each post's title,
-- summary and plain text, its rowid the post's id, kept in step by
-- triggers. The
-- porter stemmer lets "meetings" find "meeting". commonplace_plain_text is
-- a Go function the store registers with the driver (internal/store
-- search_sqlite.go): it turns a post's HTML into the words a reader sees.
CREATE VIRTUAL TABLE post_search USING fts5(title, summary, body, tokenize = 'porter unicode61 remove_diacritics 2');
--bun:split
INSERT INTO post_search (rowid, title, summary, body)
    SELECT id, title, summary, commonplace_plain_text(content_html) FROM posts;
--bun:split
CREATE TRIGGER posts_search_insert AFTER INSERT ON posts BEGIN
    INSERT INTO post_search (rowid, title, summary, body) VALUES (new.id, new.title, new.summary, commonplace_plain_text(new.content_html));
END;
--bun:split
CREATE TRIGGER posts_search_update AFTER UPDATE OF title, summary, content_html ON posts BEGIN
    DELETE FROM post_search WHERE rowid = old.id;
    INSERT INTO post_search (rowid, title, summary, body) VALUES (new.id, new.title, new.summary, commonplace_plain_text(new.content_html));
END;
--bun:split
CREATE TRIGGER posts_search_delete AFTER DELETE ON posts BEGIN
    DELETE FROM post_search WHERE rowid = old.id;
END;
