-- Board notifications name the schema of the table that changed: '<schema>:<account>:<pipeline>'.
-- A channel is database-wide, so two deployments sharing a database in different schemas
-- would otherwise hear each other's accounts; a listener keeps only its own schema's.
CREATE OR REPLACE FUNCTION dealflow_board_notify() RETURNS trigger AS $$
DECLARE
    r RECORD;
BEGIN
    IF TG_OP = 'DELETE' THEN
        r := OLD;
    ELSE
        r := NEW;
    END IF;
    IF TG_TABLE_NAME = 'pipelines' THEN
        PERFORM pg_notify('dealflow_board', TG_TABLE_SCHEMA || ':' || r.account_id || ':' || r.id);
    ELSE
        PERFORM pg_notify('dealflow_board', TG_TABLE_SCHEMA || ':' || r.account_id || ':' || r.pipeline_id);
        IF TG_OP = 'UPDATE' AND OLD.pipeline_id <> NEW.pipeline_id THEN
            PERFORM pg_notify('dealflow_board', TG_TABLE_SCHEMA || ':' || OLD.account_id || ':' || OLD.pipeline_id);
        END IF;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
