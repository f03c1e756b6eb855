-- A contact that a lead brought in with the e-mail or phone of another contact is kept (a lead is
-- never refused) and names that contact here, a possible duplicate to merge.
ALTER TABLE contacts ADD COLUMN duplicate_of BIGINT REFERENCES contacts(id) ON DELETE SET NULL;
