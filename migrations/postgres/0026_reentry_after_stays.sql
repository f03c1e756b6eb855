-- The return-to-stage columns (0025) are filled after the row is written, like the stays (0022):
-- a statement that writes several moves of one deal has its AFTER triggers fire row by row
-- once it ends, each row's stay ended (deal_events_end_stay, by name first) before its return
-- is looked at, so an earlier stay's `went_on` is final when it is read. A BEFORE trigger ran
-- ahead of the stays' trigger and read it unset.
DROP TRIGGER deal_events_reentry ON deal_events;
DROP FUNCTION deal_events_reentry();

CREATE FUNCTION deal_events_reentry() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    prev TEXT;
BEGIN
    SELECT x.created_at INTO prev FROM deal_events x
    WHERE x.deal_id = NEW.deal_id AND x.to_stage_id = NEW.to_stage_id AND x.id < NEW.id
    AND x.kind IN ('opened', 'stage_changed') ORDER BY x.id DESC LIMIT 1;
    -- Most moves are a deal's first entry in their stage: nothing to write.
    IF prev IS NOT NULL THEN
        UPDATE deal_events SET
            prev_entry_at = prev,
            prev_went_on_at = (SELECT MAX(x.created_at) FROM deal_events x
                WHERE x.deal_id = NEW.deal_id AND x.to_stage_id = NEW.to_stage_id AND x.id < NEW.id
                AND x.kind IN ('opened', 'stage_changed') AND x.went_on = 1)
        WHERE id = NEW.id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER deal_events_reentry AFTER INSERT ON deal_events FOR EACH ROW
WHEN (NEW.kind = 'stage_changed') EXECUTE FUNCTION deal_events_reentry();
