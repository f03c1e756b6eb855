//! Importing organizations, contacts and deals from a CSV file (the `/import` page): the file
//! is read as a stream ([`source`]), each column is mapped to a field ([`mapping`]: the column
//! names of Pipedrive's and HubSpot's exports are recognized), and each row is read into the
//! values it brings, checked by the same rules as the pages and the API ([`rows`]).

pub mod mapping;
pub mod rows;
pub mod source;
