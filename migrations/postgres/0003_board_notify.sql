-- Live board: every change to a pipeline's deals or order notifies channel dealflow_board with
-- '<account>:<pipeline>'. PostgreSQL delivers it when the transaction commits, once per distinct
-- payload, to every app instance that listens.

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
        PERFORM pg_notify('dealflow_board', r.account_id || ':' || r.id);
    ELSE
        PERFORM pg_notify('dealflow_board', r.account_id || ':' || r.pipeline_id);
        IF TG_OP = 'UPDATE' AND OLD.pipeline_id <> NEW.pipeline_id THEN
            PERFORM pg_notify('dealflow_board', OLD.account_id || ':' || OLD.pipeline_id);
        END IF;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER deals_board_notify AFTER INSERT OR UPDATE OR DELETE ON deals
    FOR EACH ROW EXECUTE FUNCTION dealflow_board_notify();
CREATE TRIGGER pipelines_board_notify AFTER UPDATE ON pipelines
    FOR EACH ROW EXECUTE FUNCTION dealflow_board_notify();
