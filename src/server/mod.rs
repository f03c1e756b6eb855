//! Server-only code: database, services, authentication, HTTP wiring and the CLI.

pub mod api;
pub mod auth;
pub mod backup;
pub mod cli;
pub mod db;
pub mod deal_batch;
pub mod delivery;
pub mod downloads;
pub mod error;
pub mod guard;
pub mod headers;
pub mod http;
pub mod imports;
pub mod input;
pub mod live;
pub mod origin;
pub mod paths;
pub mod phone;
pub mod preload;
pub mod services;
pub mod state;
pub mod time_zone;
pub mod values;
pub mod worker;

pub use error::{ServiceError, ServiceResult};
pub use state::AppState;
