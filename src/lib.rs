//! Dealflow: a self-hosted sales-pipeline CRM.
//!
//! * [`domain`] — plain types and rules shared by the browser and the server (no I/O).
//! * [`i18n`] — the UI's languages: messages, and money and dates as each language writes them.
//! * [`app`] — the Leptos UI (pages, components) and the server functions beside them.
//! * `server` — everything that only runs on the server: database, services, HTTP, CLI.
#![recursion_limit = "256"]

pub mod app;
pub mod domain;
pub mod i18n;
#[cfg(feature = "ssr")]
pub mod server;

/// Browser entry point, called by the page's loader (`app::IslandsLoader`) before it
/// hydrates the page's islands (`#[island]` components: the board, the quote rows, the stage
/// order, the automation builder…). Everything else on a page is server-rendered HTML;
/// [`app::enhance`] sends its forms in the background.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    app::enhance::install();
    app::shortcuts::install();
}
