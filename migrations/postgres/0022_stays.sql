-- A deal's stays in stages, kept on the timeline entry that began each one (`opened` or
-- `stage_changed`): when the stay ended (the deal's next move, win or loss; NULL while it
-- lasts), how many seconds it lasted, and whether it went on (ended by a move to a later stage
-- of the same pipeline, as the stages were ordered then, or by a win). A trigger ends the stay
-- as the entry that ends it is written, so every writer keeps them; reports read them from
-- covering indexes instead of walking the timeline.
ALTER TABLE deal_events ADD COLUMN ended_at TEXT;
ALTER TABLE deal_events ADD COLUMN stay_seconds BIGINT;
ALTER TABLE deal_events ADD COLUMN went_on INTEGER;

CREATE FUNCTION deal_events_went_on(stay_stage BIGINT, ending_kind TEXT, next_stage BIGINT)
RETURNS INTEGER LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN ending_kind = 'won' THEN 1
        WHEN ending_kind = 'stage_changed' AND EXISTS (
            SELECT 1 FROM stages s JOIN stages t ON t.pipeline_id = s.pipeline_id
            WHERE s.id = stay_stage AND t.id = next_stage
            AND (t.position > s.position OR (t.position = s.position AND t.id > s.id))) THEN 1
        ELSE 0 END
$$;

UPDATE deal_events e SET
    ended_at = f.created_at,
    stay_seconds = GREATEST(0, ROUND(EXTRACT(EPOCH FROM (f.created_at::timestamptz - e.created_at::timestamptz))))::BIGINT,
    went_on = deal_events_went_on(e.to_stage_id, f.kind, f.to_stage_id)
FROM deal_events f
WHERE e.kind IN ('opened', 'stage_changed')
AND f.id = (SELECT MIN(x.id) FROM deal_events x WHERE x.deal_id = e.deal_id
            AND x.id > e.id AND x.kind IN ('stage_changed', 'won', 'lost'));

CREATE FUNCTION deal_events_end_stay() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE deal_events e SET
        ended_at = NEW.created_at,
        stay_seconds = GREATEST(0, ROUND(EXTRACT(EPOCH FROM (NEW.created_at::timestamptz - e.created_at::timestamptz))))::BIGINT,
        went_on = deal_events_went_on(e.to_stage_id, NEW.kind, NEW.to_stage_id)
    WHERE e.id = (SELECT MAX(x.id) FROM deal_events x WHERE x.deal_id = NEW.deal_id
                  AND x.id < NEW.id AND x.kind IN ('opened', 'stage_changed'))
    AND e.ended_at IS NULL;
    RETURN NULL;
END
$$;

CREATE TRIGGER deal_events_end_stay AFTER INSERT ON deal_events FOR EACH ROW
WHEN (NEW.kind IN ('stage_changed', 'won', 'lost')) EXECUTE FUNCTION deal_events_end_stay();

-- The funnel counts entries by stage and day; velocity ranks the stays that ended by length.
DROP INDEX deal_events_entered;
CREATE INDEX deal_events_entered ON deal_events(account_id, to_stage_id, created_at, kind, deal_id, went_on);
CREATE INDEX deal_events_stays ON deal_events(account_id, to_stage_id, stay_seconds, ended_at);
-- Velocity ranks the open deals of a stage by when they entered it.
CREATE INDEX deals_stage_since ON deals(stage_id, status, stage_changed_at);
-- Won and lost read the closed deals of a pipeline by day.
CREATE INDEX deals_won ON deals(account_id, pipeline_id, status, won_at);
CREATE INDEX deals_lost ON deals(account_id, pipeline_id, status, lost_at);
-- The activity report counts completed activities by day, person and type.
DROP INDEX activities_done;
CREATE INDEX activities_done ON activities(account_id, done_at, user_id, kind);
