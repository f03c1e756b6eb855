//! Service-level tests: the use cases called directly, on SQLite and on PostgreSQL whenever one
//! answers (no HTTP; see `tests/http` for the surfaces).

mod deal_parts;
mod moves;
mod quotes;
mod records;
mod settings;

#[allow(dead_code)]
#[path = "../http/fixtures.rs"]
mod fixtures;
#[allow(dead_code)]
#[path = "../http/support.rs"]
mod support;
