-- Searches ignore case and accents: each searchable text has a folded copy (lower case, marks
-- dropped; see `domain::search::fold`), written with the text by the application. Rows written
-- before this migration are filled in when the server starts (`Db::migrate`).
ALTER TABLE deals ADD COLUMN title_key TEXT;
ALTER TABLE contacts ADD COLUMN name_key TEXT;
ALTER TABLE organizations ADD COLUMN name_key TEXT;

-- Lists sort by the folded name ("Érica" beside "Erica", not after "Zoe").
CREATE INDEX contacts_name_key ON contacts(account_id, name_key);
CREATE INDEX organizations_name_key ON organizations(account_id, name_key);

-- Substring searches (LIKE '%…%') on the folded texts go through trigram indexes where
-- pg_trgm can be had (see 0005); elsewhere they scan.
DO $$
BEGIN
    BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
        DROP INDEX IF EXISTS deals_title_trgm;
        EXECUTE 'CREATE INDEX deals_title_key_trgm ON deals USING gin (title_key public.gin_trgm_ops)';
        EXECUTE 'CREATE INDEX contacts_name_key_trgm ON contacts USING gin (name_key public.gin_trgm_ops)';
        EXECUTE 'CREATE INDEX organizations_name_key_trgm ON organizations USING gin (name_key public.gin_trgm_ops)';
    EXCEPTION WHEN OTHERS THEN
        RAISE NOTICE 'pg_trgm unavailable (%): searches scan', SQLERRM;
    END;
END
$$;
