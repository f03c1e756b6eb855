//! What a batch's rows look up, read for the whole batch at once: organizations by name,
//! contacts by e-mail and by phone, deals by external id and by folded title. A key read here
//! answers as a lookup of its own would (the first record by id, `None` when there is none);
//! the batch's writes keep it so — a record a row creates is added, a key a row's update may
//! have changed is forgotten, and a forgotten or unread key is asked of the database alone.

use std::collections::{HashMap, HashSet};

use crate::domain::search::fold;
use crate::domain::{DealId, OrganizationId};
use crate::server::db::{SqlBuilder, Tx};
use crate::server::error::ServiceResult;
use crate::server::services::contacts::{self, Contact};
use crate::server::services::deals::Deal;
use crate::server::services::{organizations, Actor};

use super::rows::RowValues;

/// A deal's place among those found by title: its folded title and its organization.
type TitleKey = (String, Option<OrganizationId>);

/// The lookups of one batch.
#[derive(Default)]
pub(super) struct Known {
    /// By lower-cased name.
    organizations: HashMap<String, Option<OrganizationId>>,
    emails: HashMap<String, Option<Contact>>,
    phones: HashMap<String, Option<Contact>>,
    external_ids: HashMap<String, Option<DealId>>,
    /// The folded titles whose deals are all in `titles`.
    title_keys: HashSet<String>,
    titles: HashMap<TitleKey, DealId>,
}

/// `SELECT … WHERE account_id = $1 AND <column> IN (…)`. Unordered: an `ORDER BY id` would
/// tempt the planner into walking all the account's rows by id (on a table without
/// statistics yet, as during a first import); the first by id is kept by [`keep_first`].
fn select_in<'a>(
    select: &str,
    column: &str,
    actor: Actor,
    values: impl IntoIterator<Item = &'a String>,
) -> Option<SqlBuilder> {
    let mut q = SqlBuilder::new(select);
    q.push(" WHERE account_id = ").bind_int(actor.account_id);
    q.push(&format!(" AND {column} IN ("));
    let mut any = false;
    for (i, v) in values.into_iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.bind_text(v.clone());
        any = true;
    }
    q.push(")");
    any.then_some(q)
}

/// Appends `SELECT v.column1, (SELECT MIN(t.id) …) AS first_id FROM (VALUES …) AS v` to
/// `q`: for each value, the first row of the account whose `column` has it (or NULL). One
/// index probe per value: a plain `IN (…)` lets the planner, on a table without statistics
/// yet (as during a first import), walk every row of the account instead. False when there
/// are no values.
fn first_ids<'a>(
    q: &mut SqlBuilder,
    table: &str,
    column: &str,
    actor: Actor,
    values: impl IntoIterator<Item = &'a String>,
) -> bool {
    q.push(&format!(
        "SELECT v.column1, (SELECT MIN(t.id) FROM {table} t WHERE t.account_id = "
    ));
    q.bind_int(actor.account_id);
    q.push(&format!(
        " AND t.{column} = v.column1) AS first_id FROM (VALUES "
    ));
    let mut any = false;
    for (i, v) in values.into_iter().enumerate() {
        q.push(if i > 0 { ", (" } else { "(" });
        q.bind_text(v.clone());
        q.push(")");
        any = true;
    }
    q.push(") AS v");
    any
}

/// Keeps in `map` the record with the lowest id for `key`.
fn keep_first<K: std::hash::Hash + Eq, T>(
    map: &mut HashMap<K, Option<T>>,
    key: K,
    found: T,
    id: impl Fn(&T) -> i64,
) {
    let entry = map.entry(key).or_insert(None);
    if entry.as_ref().is_none_or(|kept| id(&found) < id(kept)) {
        *entry = Some(found);
    }
}

impl Known {
    /// Reads what `rows` will look up: one query per kind of key.
    pub async fn read<'a>(
        tx: &mut Tx,
        actor: Actor,
        rows: impl IntoIterator<Item = &'a RowValues>,
    ) -> ServiceResult<Known> {
        let mut known = Known::default();
        let mut names = HashSet::new();
        let (mut emails, mut phones) = (HashSet::new(), HashSet::new());
        let (mut external_ids, mut titles) = (HashSet::new(), HashSet::new());
        for row in rows {
            if let Some(name) = &row.organization {
                names.insert(name.to_lowercase());
            }
            if let Some(c) = &row.contact {
                emails.extend(c.email.clone());
                phones.extend(c.phone.clone());
            }
            if let Some(d) = &row.deal {
                match &d.external_id {
                    Some(ext) => external_ids.insert(ext.clone()),
                    None => titles.insert(fold(&d.title)),
                };
            }
        }

        if let Some(q) = select_in(
            "SELECT id, LOWER(name) FROM organizations",
            "LOWER(name)",
            actor,
            &names,
        ) {
            let found: Vec<(OrganizationId, String)> = q.query_as().fetch_all(&mut **tx).await?;
            for (id, name) in found {
                keep_first(&mut known.organizations, name, id, |id| id.0);
            }
        }
        for name in names {
            known.organizations.entry(name).or_insert(None);
        }

        for (column, keys, map) in [
            ("email", emails, &mut known.emails),
            ("phone", phones, &mut known.phones),
        ] {
            let mut q = SqlBuilder::new(&format!(
                "SELECT {} FROM contacts WHERE id IN (SELECT first_id FROM (",
                contacts::COLUMNS
            ));
            if first_ids(&mut q, "contacts", column, actor, &keys) {
                q.push(") AS f)");
                let found: Vec<Contact> = q.query_as().fetch_all(&mut **tx).await?;
                for c in found {
                    let key = if column == "email" {
                        &c.email
                    } else {
                        &c.phone
                    };
                    if let Some(key) = key.clone() {
                        keep_first(map, key, c, |c| c.id.0);
                    }
                }
            }
            for key in keys {
                map.entry(key).or_insert(None);
            }
        }

        let mut q = SqlBuilder::default();
        if first_ids(&mut q, "deals", "external_id", actor, &external_ids) {
            let found: Vec<(String, Option<DealId>)> = q.query_as().fetch_all(&mut **tx).await?;
            known.external_ids.extend(found);
        }

        if let Some(q) = select_in(
            "SELECT id, title_key, organization_id FROM deals",
            "title_key",
            actor,
            &titles,
        ) {
            let found: Vec<(DealId, String, Option<OrganizationId>)> =
                q.query_as().fetch_all(&mut **tx).await?;
            for (id, key, org) in found {
                let kept = known.titles.entry((key, org)).or_insert(id);
                *kept = (*kept).min(id);
            }
        }
        known.title_keys = titles;
        Ok(known)
    }

    /// The account's organization with this name, ignoring case.
    pub async fn organization(
        &mut self,
        tx: &mut Tx,
        actor: Actor,
        name: &str,
    ) -> ServiceResult<Option<OrganizationId>> {
        let key = name.to_lowercase();
        if let Some(found) = self.organizations.get(&key) {
            return Ok(*found);
        }
        let found = organizations::named(tx, actor, name).await?;
        self.organizations.insert(key, found);
        Ok(found)
    }

    /// The contact with this e-mail, else the one with this phone.
    pub async fn contact(
        &mut self,
        tx: &mut Tx,
        actor: Actor,
        email: Option<&str>,
        phone: Option<&str>,
    ) -> ServiceResult<Option<Contact>> {
        for (key, map) in [(email, &self.emails), (phone, &self.phones)] {
            match key.map(|k| map.get(k)) {
                Some(Some(Some(found))) => return Ok(Some(found.clone())),
                // Known to be no one's: try the next key.
                Some(Some(None)) | None => continue,
                // Not known: ask the database for both.
                Some(None) => return contacts::matching(tx, actor, email, phone).await,
            }
        }
        Ok(None)
    }

    /// The deal with this external id.
    pub async fn deal_by_external_id(
        &mut self,
        tx: &mut Tx,
        actor: Actor,
        ext: &str,
    ) -> ServiceResult<Option<DealId>> {
        if let Some(found) = self.external_ids.get(ext) {
            return Ok(*found);
        }
        let found: Option<(DealId,)> = sqlx::query_as(
            "SELECT id FROM deals WHERE account_id = $1 AND external_id = $2 ORDER BY id LIMIT 1",
        )
        .bind(actor.account_id)
        .bind(ext)
        .fetch_optional(&mut **tx)
        .await?;
        let found = found.map(|(id,)| id);
        self.external_ids.insert(ext.to_string(), found);
        Ok(found)
    }

    /// The deal with this title (folded) and organization (or none).
    pub async fn deal_by_title(
        &mut self,
        tx: &mut Tx,
        actor: Actor,
        title: &str,
        org: Option<OrganizationId>,
    ) -> ServiceResult<Option<DealId>> {
        let key = fold(title);
        if self.title_keys.contains(&key) {
            return Ok(self.titles.get(&(key, org)).copied());
        }
        let found: Option<(DealId,)> = match org {
            Some(org) => {
                sqlx::query_as(
                    "SELECT id FROM deals WHERE account_id = $1 AND title_key = $2 AND organization_id = $3 \
                     ORDER BY id LIMIT 1",
                )
                .bind(actor.account_id)
                .bind(&key)
                .bind(org)
                .fetch_optional(&mut **tx)
                .await?
            }
            None => {
                sqlx::query_as(
                    "SELECT id FROM deals WHERE account_id = $1 AND title_key = $2 AND organization_id IS NULL \
                     ORDER BY id LIMIT 1",
                )
                .bind(actor.account_id)
                .bind(&key)
                .fetch_optional(&mut **tx)
                .await?
            }
        };
        Ok(found.map(|(id,)| id))
    }

    /// A row created this organization.
    pub fn organization_created(&mut self, name: &str, id: OrganizationId) {
        let entry = self
            .organizations
            .entry(name.to_lowercase())
            .or_insert(None);
        entry.get_or_insert(id);
    }

    /// A row created this contact.
    pub fn contact_created(&mut self, contact: &Contact) {
        for (key, map) in [
            (&contact.email, &mut self.emails),
            (&contact.phone, &mut self.phones),
        ] {
            if let Some(key) = key {
                if let Some(entry @ None) = map.get_mut(key) {
                    *entry = Some(contact.clone());
                }
            }
        }
    }

    /// A row changed this contact: what was known of it, and of the keys it now has, is
    /// forgotten.
    pub fn contact_changed(&mut self, contact: &Contact, email: Option<&str>, phone: Option<&str>) {
        let id = contact.id;
        for map in [&mut self.emails, &mut self.phones] {
            map.retain(|_, c| c.as_ref().is_none_or(|c| c.id != id));
        }
        for (key, map) in [(email, &mut self.emails), (phone, &mut self.phones)] {
            if let Some(key) = key {
                map.remove(key);
            }
        }
    }

    /// A refused row's writes were rolled back: the organization and person it may have
    /// created are forgotten, to be asked of the database again.
    pub fn forget_row(&mut self, row: &RowValues) {
        if let Some(name) = &row.organization {
            self.organizations.remove(&name.to_lowercase());
        }
        if let Some(c) = &row.contact {
            if let Some(email) = &c.email {
                self.emails.remove(email);
            }
            if let Some(phone) = &c.phone {
                self.phones.remove(phone);
            }
        }
    }

    /// Rows created these deals (with their external ids).
    pub fn deals_created<'a>(
        &mut self,
        deals: impl IntoIterator<Item = (&'a Deal, Option<&'a String>)>,
    ) {
        for (deal, ext) in deals {
            if let Some(ext) = ext {
                if let Some(entry @ None) = self.external_ids.get_mut(ext) {
                    *entry = Some(deal.id);
                }
            }
            let key = fold(&deal.title);
            if self.title_keys.contains(&key) {
                self.titles
                    .entry((key, deal.organization_id))
                    .or_insert(deal.id);
            }
        }
    }

    /// A row changed this deal's title or organization: what was known of it, and of its new
    /// title, is forgotten.
    pub fn deal_changed(&mut self, id: DealId, title: &str) {
        let mut forget: Vec<String> = self
            .titles
            .iter()
            .filter(|(_, found)| **found == id)
            .map(|((key, _), _)| key.clone())
            .collect();
        forget.push(fold(title));
        for key in forget {
            self.title_keys.remove(&key);
            self.titles.retain(|(k, _), _| *k != key);
        }
    }
}
