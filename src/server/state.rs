//! Shared application state handed to axum handlers and server functions.

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use super::db::Db;

/// What every request may need.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub leptos_options: LeptosOptions,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
