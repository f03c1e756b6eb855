-- Where the forecast and the board's weighted totals take a stage's probability from:
-- 'configured' (the stage's own figure) or 'learned' (the share of the pipeline's closed
-- deals that reached the stage and were won).
ALTER TABLE pipelines ADD COLUMN probability_source TEXT NOT NULL DEFAULT 'configured';
-- The currency reports and totals are read in.
ALTER TABLE accounts ADD COLUMN base_currency TEXT NOT NULL DEFAULT 'USD';
-- The forecast reads open deals of a pipeline by expected close day; the activity report
-- reads completed activities by day.
CREATE INDEX deals_forecast ON deals(account_id, pipeline_id, status, expected_close_date);
CREATE INDEX activities_done ON activities(account_id, done_at);
