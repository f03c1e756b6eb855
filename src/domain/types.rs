//! Plain domain types: roles, statuses, and the view models the UI receives.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use super::ids::{AccountId, DealId, InvitationId, PipelineId, StageId, UserId};

/// A user's role inside their account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Owner,
    Admin,
    Sales,
}

impl Role {
    /// Owners and admins may configure the account.
    pub fn can_configure(self) -> bool {
        matches!(self, Role::Owner | Role::Admin)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::Sales => "sales",
        }
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "owner" => Ok(Role::Owner),
            "admin" => Ok(Role::Admin),
            "sales" => Ok(Role::Sales),
            other => Err(format!("unknown role \"{other}\" (owner, admin, sales)")),
        }
    }
}

/// Where a deal stands: still being worked, or closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum DealStatus {
    #[default]
    Open,
    Won,
    Lost,
}

impl DealStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DealStatus::Open => "open",
            DealStatus::Won => "won",
            DealStatus::Lost => "lost",
        }
    }
}

impl fmt::Display for DealStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DealStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "open" => Ok(DealStatus::Open),
            "won" => Ok(DealStatus::Won),
            "lost" => Ok(DealStatus::Lost),
            other => Err(format!("invalid status \"{other}\" (open, won, lost)")),
        }
    }
}

impl PartialEq<&str> for DealStatus {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl TryFrom<String> for Role {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl TryFrom<String> for DealStatus {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

/// The account's subscription plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Plan {
    Free,
    Pro,
}

impl Plan {
    pub fn as_str(self) -> &'static str {
        match self {
            Plan::Free => "free",
            Plan::Pro => "pro",
        }
    }
}

impl FromStr for Plan {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "free" => Ok(Plan::Free),
            "pro" => Ok(Plan::Pro),
            other => Err(format!("unknown plan \"{other}\" (free, pro)")),
        }
    }
}

/// The signed-in user as the UI sees them (read from `users` joined with `accounts`, the
/// account's name as `account_name`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct CurrentUser {
    pub id: UserId,
    pub account_id: AccountId,
    pub account_name: String,
    pub email: String,
    pub name: String,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub role: Role,
    /// The IANA time zone the user reads and types times in; `None` is UTC (see
    /// `crate::server::time_zone`).
    #[serde(default)]
    pub time_zone: Option<String>,
}

/// A pipeline with its stages in order (id and name): where a deal can be moved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PipelineStages {
    pub id: PipelineId,
    pub name: String,
    pub stages: Vec<super::catalog::Choice>,
}

/// A pipeline in the switcher.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PipelineSummary {
    pub id: PipelineId,
    pub name: String,
    pub is_primary: bool,
}

/// A user in pickers and filters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: UserId,
    pub name: String,
    pub initials: String,
}

/// A user as the team settings list them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMember {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub role: String,
    pub active: bool,
    /// Keys this user made that still work (shown for deactivated users, to revoke or keep).
    #[serde(default)]
    pub live_keys: i64,
    /// The public handle (`user_…` in the API).
    #[serde(default)]
    pub uuid: String,
    /// Signs in with a second step (a code of an authenticator app).
    #[serde(default)]
    pub two_factor: bool,
}

/// An invitation not yet accepted nor revoked, as the team settings list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingInvitation {
    pub id: InvitationId,
    pub email: String,
    pub role: Role,
    /// Who sent it (`None` once that user is gone).
    pub invited_by: Option<String>,
    /// When its link stops working (stored UTC text).
    pub expires_at: String,
    /// True once `expires_at` has passed: it can only be sent again or revoked.
    pub expired: bool,
}

/// What an invitation's link shows before it is accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationOffer {
    pub account_name: String,
    pub email: String,
    pub role: Role,
}

/// What an authenticator app is shown to enrol: the secret as a QR code (SVG drawn on the
/// server) and as a key to type by hand (in groups of four).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoFactorSetup {
    pub key: String,
    pub qr_svg: String,
}

/// A user's two-factor sign-in as their page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TwoFactorStatus {
    pub enabled: bool,
    /// The account requires it (then it cannot be turned off).
    pub required: bool,
    /// Recovery codes not used yet.
    pub recovery_left: i64,
    /// The enrolment under way, while it is not on.
    pub setup: Option<TwoFactorSetup>,
    /// Recovery codes just made, shown this once.
    pub new_codes: Vec<String>,
}

/// An API key as the settings list it (the token itself is never shown again).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKeyInfo {
    pub id: i64,
    pub name: String,
    /// The token's first characters, to tell keys apart.
    pub prefix: String,
    pub scopes: String,
    pub allowed_domain: Option<String>,
    pub last_used_at: Option<String>,
    pub revoked: bool,
    pub created_at: String,
    /// The user who made it (a key made without one acts for no user).
    #[serde(default)]
    pub made_by: Option<String>,
    /// True when that user has been deactivated: the key still works until it is revoked.
    #[serde(default)]
    pub made_by_deactivated: bool,
}

/// One card on the board.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DealCard {
    pub id: DealId,
    pub title: String,
    pub value_cents: i64,
    pub currency: String,
    pub status: DealStatus,
    pub contact_name: Option<String>,
    pub organization_name: Option<String>,
    pub owner_name: Option<String>,
    pub owner_initials: Option<String>,
    pub temperature: Option<i64>,
    pub expected_close_date: Option<String>,
    /// Whole days the deal has sat in its current stage.
    pub days_in_stage: i64,
    /// True when the deal sat in its stage longer than the stage's rotting days.
    pub rotting: bool,
    /// The value in the account's base currency (at the rate of the day it closed, today
    /// while open); `None` without a rate for that day.
    #[serde(default)]
    pub base_value_cents: Option<i64>,
}

/// One column of the board.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StageColumn {
    pub id: StageId,
    pub key: String,
    pub name: String,
    /// The probability the column is weighted with (see `domain::probability`).
    pub probability: i64,
    pub rotting_days: Option<i64>,
    /// The column's first cards, in order (all of them up to the page asked for).
    pub cards: Vec<DealCard>,
    /// The history `probability` was learned from, when it is a learned figure.
    #[serde(default)]
    pub learned: Option<crate::domain::probability::LearnedShare>,
    /// The column's cards after `cards`, not sent: their count and sums.
    #[serde(default)]
    pub more: crate::domain::board::MoreCards,
}

/// Cards of one column from its first: "show more" on the board.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnPage {
    pub cards: Vec<DealCard>,
    /// The column's cards after these.
    pub more: crate::domain::board::MoreCards,
}

/// Everything the board page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoardView {
    pub pipeline: PipelineSummary,
    pub pipelines: Vec<PipelineSummary>,
    pub users: Vec<UserSummary>,
    pub stages: Vec<StageColumn>,
    /// The account's other pipelines, for moving a card out of this one.
    #[serde(default)]
    pub elsewhere: Vec<PipelineStages>,
    /// The currency the columns' totals are in.
    #[serde(default)]
    pub base_currency: String,
}

/// Board filters, as they appear in the page's query string.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BoardFilter {
    /// Owner (responsible user) id.
    pub owner: Option<UserId>,
    /// `open` (default), `won`, `lost` or `all`.
    pub status: Option<String>,
    pub min_value: Option<String>,
    pub max_value: Option<String>,
    /// Free text matched against the title, contact and organization.
    pub q: Option<String>,
}

impl BoardFilter {
    /// The filters a query string gives (`owner`, `status`, `min_value`, `max_value`, `q`);
    /// empty values are no filter.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Self {
        let non_empty = |k: &str| get(k).filter(|v| !v.trim().is_empty());
        Self {
            owner: non_empty("owner").and_then(|v| v.parse().ok()),
            status: non_empty("status"),
            min_value: non_empty("min_value"),
            max_value: non_empty("max_value"),
            q: non_empty("q"),
        }
    }

    /// The query string of these filters (without `?`), as [`BoardFilter::from_query`] reads it.
    pub fn to_query(&self) -> String {
        let mut pairs = Vec::new();
        let mut add = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                pairs.push(format!("{k}={}", super::url_encode(&v)));
            }
        };
        add("owner", self.owner.map(|o| o.to_string()));
        add("status", self.status.clone());
        add("min_value", self.min_value.clone());
        add("max_value", self.max_value.clone());
        add("q", self.q.clone());
        pairs.join("&")
    }
}

/// Initials of a person's name, e.g. "Ana Lima" → "AL".
pub fn initials(name: &str) -> String {
    let mut out: String = name
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .flat_map(|c| c.to_uppercase())
        .take(2)
        .collect();
    if out.is_empty() {
        out.push('?');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_of_names() {
        assert_eq!(initials("Ana Lima"), "AL");
        assert_eq!(initials("  bob  "), "B");
        assert_eq!(initials("María José Pérez"), "MJ");
        assert_eq!(initials(""), "?");
    }

    #[test]
    fn parses_enums() {
        assert_eq!("won".parse::<DealStatus>(), Ok(DealStatus::Won));
        assert!("closed".parse::<DealStatus>().is_err());
        assert_eq!("PRO".parse::<Plan>(), Ok(Plan::Pro));
        assert!(Role::Admin.can_configure());
        assert!(!Role::Sales.can_configure());
    }
}

/// An entry of the notifications bell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    pub id: i64,
    pub title: String,
    pub link: Option<String>,
    pub read: bool,
    pub created_at: String,
}
