//! Business rules. Every function takes the [`Actor`] it acts for and only touches rows of the
//! actor's account; API handlers and server functions only translate shapes around these calls.

pub mod accounts;
pub mod activities;
pub mod automations;
pub mod catalog;
pub mod contacts;
pub mod deals;
pub mod demo;
pub mod jobs;
pub mod notifications;
pub mod organizations;
pub mod outbox;
pub mod pipelines;
pub mod quotes;
pub mod settings;

use crate::domain::{AccountId, CurrentUser, UserId};

use super::auth::api_keys::ApiPrincipal;

/// Who is acting: the account every query is scoped to, and the user, when there is one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub account_id: AccountId,
    pub user_id: Option<UserId>,
}

impl From<&CurrentUser> for Actor {
    fn from(u: &CurrentUser) -> Self {
        Actor {
            account_id: u.account_id,
            user_id: Some(u.id),
        }
    }
}

impl From<&ApiPrincipal> for Actor {
    fn from(p: &ApiPrincipal) -> Self {
        Actor {
            account_id: p.account_id,
            user_id: p.user_id,
        }
    }
}
