//! Business rules. Every function takes the [`Actor`] it acts for and only touches rows of the
//! actor's account; API handlers and server functions only translate shapes around these calls.

pub mod accounts;
pub mod activities;
pub mod audit;
pub mod automations;
pub mod catalog;
pub mod contacts;
pub mod currencies;
pub mod deals;
pub mod demo;
pub mod export;
pub mod housekeeping;
pub mod import;
pub mod jobs;
pub mod marketing;
pub mod notifications;
pub mod organizations;
pub mod outbox;
pub mod pipelines;
pub mod quotes;
pub mod reports;
pub mod search;
pub mod settings;
pub mod webhooks;

use crate::domain::{AccountId, CurrentUser, UserId};

use super::auth::api_keys::ApiPrincipal;
use super::error::ServiceResult;

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

/// Someone who may change the account's settings (tags, products, …): an owner or admin, or
/// an API key whose `config:manage` scope its extractor has checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Configurer {
    account_id: AccountId,
    user_id: Option<UserId>,
}

impl Configurer {
    /// The account whose settings change.
    pub fn account_id(self) -> AccountId {
        self.account_id
    }

    /// The change's author as the timeline records it (the user, or the key's creator).
    pub fn actor(self) -> Actor {
        Actor {
            account_id: self.account_id,
            user_id: self.user_id,
        }
    }

    /// The account of an API key that carries `config:manage` (the API checks the scope before
    /// it calls this).
    pub fn for_api_key(principal: &ApiPrincipal) -> Self {
        Configurer {
            account_id: principal.account_id,
            user_id: principal.user_id,
        }
    }
}

/// What a settings change accepts as its author: a signed-in user (refused unless an owner or
/// admin) or a [`Configurer`].
pub trait MayConfigure {
    fn configurer(self) -> ServiceResult<Configurer>;
}

impl MayConfigure for &CurrentUser {
    fn configurer(self) -> ServiceResult<Configurer> {
        super::auth::require_configure(self)?;
        Ok(Configurer {
            account_id: self.account_id,
            user_id: Some(self.id),
        })
    }
}

impl MayConfigure for Configurer {
    fn configurer(self) -> ServiceResult<Configurer> {
        Ok(self)
    }
}
