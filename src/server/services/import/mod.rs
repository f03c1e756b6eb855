//! Importing organizations, contacts and deals from a CSV file (the `/import` page): the file
//! is uploaded into the database ([`store`]) and read back as a stream ([`source`]), each
//! column is mapped to a field ([`mapping`]: the column names of Pipedrive's and HubSpot's
//! exports are recognized), each row is read into the values it brings, checked by the same
//! rules as the pages and the API ([`rows`]), matched against the account's records and
//! written or skipped by the import's duplicate rule ([`records`]), in batches by a background
//! job that resumes after a restart ([`run`]).

mod known;
pub mod mapping;
pub(crate) mod records;
pub mod rows;
pub mod run;
pub mod source;
pub mod store;
