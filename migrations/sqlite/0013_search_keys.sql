-- Searches ignore case and accents: each searchable text has a folded copy (lower case, marks
-- dropped; see `domain::search::fold`), written with the text by the application. Rows written
-- before this migration are filled in when the server starts (`Db::migrate`).
ALTER TABLE deals ADD COLUMN title_key TEXT;
ALTER TABLE contacts ADD COLUMN name_key TEXT;
ALTER TABLE organizations ADD COLUMN name_key TEXT;

-- The deal title's trigram table now indexes the folded title.
DROP TRIGGER deals_title_fts_insert;
DROP TRIGGER deals_title_fts_delete;
DROP TRIGGER deals_title_fts_update;
DROP TABLE deals_title_fts;
CREATE VIRTUAL TABLE deals_title_fts USING fts5(title_key, content='deals', content_rowid='id', tokenize='trigram');
CREATE TRIGGER deals_title_fts_insert AFTER INSERT ON deals BEGIN
    INSERT INTO deals_title_fts(rowid, title_key) VALUES (new.id, new.title_key);
END;
CREATE TRIGGER deals_title_fts_delete AFTER DELETE ON deals BEGIN
    INSERT INTO deals_title_fts(deals_title_fts, rowid, title_key) VALUES ('delete', old.id, old.title_key);
END;
CREATE TRIGGER deals_title_fts_update AFTER UPDATE OF title_key ON deals BEGIN
    INSERT INTO deals_title_fts(deals_title_fts, rowid, title_key) VALUES ('delete', old.id, old.title_key);
    INSERT INTO deals_title_fts(rowid, title_key) VALUES (new.id, new.title_key);
END;

-- Lists sort by the folded name ("Érica" beside "Erica", not after "Zoe").
CREATE INDEX contacts_name_key ON contacts(account_id, name_key);
CREATE INDEX organizations_name_key ON organizations(account_id, name_key);
