-- Rows written from now on may keep their vector in TOAST again; rows
-- already written keep theirs inline, which is only a matter of speed.
ALTER TABLE posts ALTER COLUMN search SET STORAGE EXTENDED;
