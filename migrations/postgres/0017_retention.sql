-- How long an account keeps its finished work (jobs, automation runs, webhook deliveries,
-- e-mails, finished imports' files): the housekeeping job deletes what is older.
ALTER TABLE accounts ADD COLUMN retention_days INTEGER NOT NULL DEFAULT 90;
CREATE INDEX jobs_finished ON jobs(status, updated_at);
