-- Reports read the timeline by the stage a deal entered, over a period.
CREATE INDEX deal_events_entered ON deal_events(account_id, to_stage_id, created_at);
