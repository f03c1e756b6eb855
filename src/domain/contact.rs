//! Contacts and organizations as their list and detail pages show them.

use serde::{Deserialize, Serialize};

use super::activity::ActivityItem;
use super::ids::{ContactId, DealId, OrganizationId};

/// One line of the contact list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactSummary {
    pub id: ContactId,
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub organization_id: Option<OrganizationId>,
    pub organization_name: Option<String>,
    pub open_deals: i64,
    /// The contact that already had this one's e-mail or phone when a lead brought this one
    /// in: a possible duplicate, to merge.
    #[serde(default)]
    pub duplicate_of: Option<ContactId>,
    /// The public handles of the contact, its organization and the contact it may duplicate.
    #[serde(default)]
    pub uuid: String,
    #[serde(default)]
    pub organization_uuid: Option<String>,
    #[serde(default)]
    pub duplicate_of_uuid: Option<String>,
}

/// A page of a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    /// 1-based.
    pub page: i64,
    pub per_page: i64,
}

impl<T> Page<T> {
    /// How many pages there are (at least one).
    pub fn pages(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page.max(1)).max(1)
    }
}

/// A deal in a contact's or organization's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DealLine {
    pub id: DealId,
    pub title: String,
    pub status: String,
    pub value_cents: i64,
    pub currency: String,
    pub stage_name: String,
}

/// A contact with their deals and activities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactDetail {
    pub contact: ContactSummary,
    pub deals: Vec<DealLine>,
    pub activities: Vec<ActivityItem>,
}

/// One line of the organization list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganizationSummary {
    pub id: OrganizationId,
    pub name: String,
    pub contacts: i64,
    pub open_deals: i64,
    /// The public handle (`org_…` in the API).
    #[serde(default)]
    pub uuid: String,
}

/// An organization with its people, deals and their activities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganizationDetail {
    pub organization: OrganizationSummary,
    pub contacts: Vec<ContactSummary>,
    pub deals: Vec<DealLine>,
    pub activities: Vec<ActivityItem>,
}

/// Whether an e-mail address has the shape `local@domain.tld` (one `@`, no spaces, at most
/// 254 characters).
pub fn is_valid_email(e: &str) -> bool {
    let shaped = match e.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !e.contains(char::is_whitespace)
                && e.matches('@').count() == 1
        }
        None => false,
    };
    shaped && e.len() <= 254
}

#[cfg(test)]
mod tests {
    use super::Page;

    #[test]
    fn page_count_rounds_up_and_is_at_least_one() {
        let p = |total| {
            Page::<()> {
                items: vec![],
                total,
                page: 1,
                per_page: 25,
            }
            .pages()
        };
        assert_eq!((p(0), p(1), p(25), p(26), p(51)), (1, 1, 1, 2, 3));
    }
}
