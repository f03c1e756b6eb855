-- A contact that a lead brought in with the e-mail or phone of another contact is kept (a lead is
-- never refused) and names that contact here, a possible duplicate to merge.
ALTER TABLE contacts ADD COLUMN duplicate_of INTEGER REFERENCES contacts(id) ON DELETE SET NULL;

-- The country a phone number typed without its country code is read in (ISO 3166 alpha-2,
-- e.g. BR); none: numbers need their country code.
ALTER TABLE accounts ADD COLUMN default_country TEXT;
