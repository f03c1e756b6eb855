-- Deal title search: an FTS5 trigram table (case-insensitive substrings of 3+ characters) kept in
-- step with deals by triggers; `name_cont` searches narrow through it before the LIKE.
CREATE VIRTUAL TABLE deals_title_fts USING fts5(title, content='deals', content_rowid='id', tokenize='trigram');
INSERT INTO deals_title_fts(deals_title_fts) VALUES ('rebuild');

CREATE TRIGGER deals_title_fts_insert AFTER INSERT ON deals BEGIN
    INSERT INTO deals_title_fts(rowid, title) VALUES (new.id, new.title);
END;
CREATE TRIGGER deals_title_fts_delete AFTER DELETE ON deals BEGIN
    INSERT INTO deals_title_fts(deals_title_fts, rowid, title) VALUES ('delete', old.id, old.title);
END;
CREATE TRIGGER deals_title_fts_update AFTER UPDATE OF title ON deals BEGIN
    INSERT INTO deals_title_fts(deals_title_fts, rowid, title) VALUES ('delete', old.id, old.title);
    INSERT INTO deals_title_fts(rowid, title) VALUES (new.id, new.title);
END;

-- The API lists (newest first) read the account's deals in this order.
CREATE INDEX deals_created ON deals(account_id, created_at, id);
-- A stage's cards in order (moves renumber them); the open board of a pipeline in order.
CREATE INDEX deals_stage ON deals(stage_id, position);
CREATE INDEX deals_open_board ON deals(account_id, pipeline_id, status, stage_id, position);
-- Replaced by the two above (every index on position is rewritten by each move).
DROP INDEX deals_board;
