//! Automations: trigger → conditions → actions, optionally delayed.
//!
//! | module | holds |
//! |---|---|
//! | [`definitions`] | create, change, list, delete, run logs, the builder's dry run (PRO plan checked here) |
//! | [`events`] | events for automations, recorded in the transaction of the change they describe |
//! | [`runs`] | evaluating events, running actions, reminders |
//! | [`snapshots`] | a quote or deal as conditions, placeholders and webhooks see it |
//! | [`secret`] | the account's webhook signing secret |
//!
//! Dependencies point one way: `definitions` and `runs` use `snapshots`, `events` and
//! `secret`, which use nothing here.

pub mod definitions;
pub mod events;
pub mod runs;
pub mod secret;
pub mod snapshots;

pub use definitions::*;
