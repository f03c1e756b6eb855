-- A deal's stays in stages, kept on the timeline entry that began each one (`opened` or
-- `stage_changed`): when the stay ended (the deal's next move, win or loss; NULL while it
-- lasts), how many seconds it lasted, and whether it went on (ended by a move to a later stage
-- of the same pipeline, as the stages were ordered then, or by a win). A trigger ends the stay
-- as the entry that ends it is written, so every writer keeps them; reports read them from
-- covering indexes instead of walking the timeline.
ALTER TABLE deal_events ADD COLUMN ended_at TEXT;
ALTER TABLE deal_events ADD COLUMN stay_seconds INTEGER;
ALTER TABLE deal_events ADD COLUMN went_on INTEGER;

UPDATE deal_events SET
    ended_at = f.created_at,
    stay_seconds = MAX(0, CAST(ROUND((julianday(f.created_at) - julianday(deal_events.created_at)) * 86400) AS INTEGER)),
    went_on = CASE
        WHEN f.kind = 'won' THEN 1
        WHEN f.kind = 'stage_changed' AND EXISTS (
            SELECT 1 FROM stages s JOIN stages t ON t.pipeline_id = s.pipeline_id
            WHERE s.id = deal_events.to_stage_id AND t.id = f.to_stage_id
            AND (t.position > s.position OR (t.position = s.position AND t.id > s.id))) THEN 1
        ELSE 0 END
FROM deal_events f
WHERE deal_events.kind IN ('opened', 'stage_changed')
AND f.id = (SELECT MIN(x.id) FROM deal_events x WHERE x.deal_id = deal_events.deal_id
            AND x.id > deal_events.id AND x.kind IN ('stage_changed', 'won', 'lost'));

CREATE TRIGGER deal_events_end_stay AFTER INSERT ON deal_events
WHEN NEW.kind IN ('stage_changed', 'won', 'lost') BEGIN
    UPDATE deal_events SET
        ended_at = NEW.created_at,
        stay_seconds = MAX(0, CAST(ROUND((julianday(NEW.created_at) - julianday(created_at)) * 86400) AS INTEGER)),
        went_on = CASE
            WHEN NEW.kind = 'won' THEN 1
            WHEN NEW.kind = 'stage_changed' AND EXISTS (
                SELECT 1 FROM stages s JOIN stages t ON t.pipeline_id = s.pipeline_id
                WHERE s.id = deal_events.to_stage_id AND t.id = NEW.to_stage_id
                AND (t.position > s.position OR (t.position = s.position AND t.id > s.id))) THEN 1
            ELSE 0 END
    WHERE id = (SELECT MAX(x.id) FROM deal_events x WHERE x.deal_id = NEW.deal_id
                AND x.id < NEW.id AND x.kind IN ('opened', 'stage_changed'))
    AND ended_at IS NULL;
END;

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
