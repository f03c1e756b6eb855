//! Shared application state handed to axum handlers and server functions.

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use super::db::Db;
use super::guard::Guard;
use super::live::LiveBoard;

/// What every request may need.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub leptos_options: LeptosOptions,
    /// Board changes for the live board's event streams.
    pub live: LiveBoard,
    /// Trusted proxies and rate limits.
    pub guard: Guard,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
