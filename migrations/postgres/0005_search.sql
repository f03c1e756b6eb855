-- Deal title search: a trigram GIN index on LOWER(title) serves `name_cont` (LIKE '%…%').
-- pg_trgm ships with PostgreSQL and is a trusted extension; where it cannot be installed the
-- search still works, by scanning.
DO $$
BEGIN
    BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
        EXECUTE 'CREATE INDEX deals_title_trgm ON deals USING gin (LOWER(title) public.gin_trgm_ops)';
    EXCEPTION WHEN OTHERS THEN
        RAISE NOTICE 'pg_trgm unavailable (%): deal title searches scan', SQLERRM;
    END;
END
$$;

-- The API lists (newest first) read the account's deals in this order.
CREATE INDEX deals_created ON deals(account_id, created_at, id);
-- A stage's cards in order (moves renumber them); the open board of a pipeline in order.
CREATE INDEX deals_stage ON deals(stage_id, position);
CREATE INDEX deals_open_board ON deals(account_id, pipeline_id, status, stage_id, position);
-- Replaced by the two above (every index on position is rewritten by each move).
DROP INDEX deals_board;
