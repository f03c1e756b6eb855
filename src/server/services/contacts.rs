//! Contacts: validated, normalized, and unique by e-mail and by phone within an account.

use crate::domain::contact::{ContactDetail, ContactSummary, DealLine, Page};
use crate::domain::search::{bounded, contains_pattern, fold, phone_digits};
use crate::domain::{ContactId, DealId, OrganizationId, Problem, Thing};
use crate::server::phone::normalize_phone;
use sqlx::{Any, Executor};

use crate::server::db::{self, Db, Listing, SqlBuilder, Tx};
use crate::server::error::{ServiceError, ServiceResult};

use super::accounts::normalize_email;
use super::activities::ActivityFilter;
use super::webhooks::{self, WebhookEvent};
use super::Actor;

/// Longest contact name accepted.
pub const MAX_NAME_LEN: usize = 150;

/// A contact to create.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewContact {
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub organization_id: Option<OrganizationId>,
}

/// A stored contact.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Contact {
    pub id: ContactId,
    pub uuid: String,
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub organization_id: Option<OrganizationId>,
    /// Another contact with this one's e-mail or phone, when a lead brought this one in
    /// anyway (a possible duplicate, to merge).
    pub duplicate_of: Option<ContactId>,
}

/// The columns of a [`Contact`].
pub(crate) const COLUMNS: &str = "id, uuid, full_name, email, phone, organization_id, duplicate_of";

/// A contact's fields, checked and normalized.
struct Checked {
    name: String,
    email: Option<String>,
    phone: Option<String>,
}

/// The country an account reads national phone numbers in, if it has one.
pub(crate) async fn account_country<'e, E>(ex: E, actor: Actor) -> ServiceResult<Option<String>>
where
    E: Executor<'e, Database = Any>,
{
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT default_country FROM accounts WHERE id = $1")
            .bind(actor.account_id)
            .fetch_optional(ex)
            .await?;
    Ok(row.and_then(|(c,)| c))
}

/// A typed phone number in E.164, read in the account's `country` when it has no country code.
fn phone(input: &str, country: Option<&str>) -> ServiceResult<String> {
    normalize_phone(input, country).map_err(|m| ServiceError::invalid("phone", m))
}

/// Checks the name's length and normalizes e-mail and phone (E.164, national numbers read in
/// the account's `country`).
fn check(new: &NewContact, country: Option<&str>) -> ServiceResult<Checked> {
    let name = new.full_name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_LEN {
        return Err(ServiceError::invalid(
            "full_name",
            Problem::Length {
                min: 1,
                max: MAX_NAME_LEN,
            },
        ));
    }
    let email = non_empty(new.email.as_deref())
        .map(normalize_email)
        .transpose()?;
    let phone = non_empty(new.phone.as_deref())
        .map(|p| phone(p, country))
        .transpose()?;
    Ok(Checked {
        name: name.to_string(),
        email,
        phone,
    })
}

/// The contact's fields as they would be stored (name trimmed, e-mail and phone normalized, a
/// national number read in `country`), or why not; nothing is read or written.
pub fn normalized(new: &NewContact, country: Option<&str>) -> ServiceResult<NewContact> {
    let c = check(new, country)?;
    Ok(NewContact {
        full_name: c.name,
        email: c.email,
        phone: c.phone,
        organization_id: new.organization_id,
    })
}

/// Checks a contact's fields without saving anything.
pub async fn check_new(tx: &mut Tx, actor: Actor, new: &NewContact) -> ServiceResult<()> {
    let country = account_country(&mut **tx, actor).await?;
    check(new, country.as_deref()).map(|_| ())
}

/// Serializes contact changes per account inside a write transaction: PostgreSQL orders
/// concurrent checks on the account row (the first lock of the lock order, see `deals`). A
/// SQLite write transaction runs alone from its start (`Db::begin`), so there it takes nothing.
async fn lock_account(tx: &mut Tx, actor: Actor) -> ServiceResult<()> {
    if db::Backend::of(tx) == db::Backend::Sqlite {
        return Ok(());
    }
    let locked = sqlx::query("UPDATE accounts SET updated_at = $1 WHERE id = $2")
        .bind(db::now())
        .bind(actor.account_id)
        .execute(&mut **tx)
        .await?;
    db::touched(locked, "account")
}

/// What to do with an e-mail or phone that another contact already has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Duplicates {
    /// Refuse it, naming the field (contacts stay unique by e-mail and by phone).
    Refuse,
    /// Keep it, and answer the other contact (a lead is never refused; see [`ContactLookup`]).
    Flag,
}

/// Inside a write transaction: takes the account's lock ([`lock_account`]), checks the
/// organization belongs to the account, and refuses an e-mail or phone another contact (not
/// `except`) has — or, with [`Duplicates::Flag`], answers that contact.
async fn lock_and_check(
    tx: &mut Tx,
    actor: Actor,
    c: &Checked,
    organization_id: Option<OrganizationId>,
    except: Option<ContactId>,
    duplicates: Duplicates,
) -> ServiceResult<Option<ContactId>> {
    lock_account(tx, actor).await?;
    if let Some(org) = organization_id {
        super::deals::check_in_account(
            &mut **tx,
            "organizations",
            org,
            actor.account_id,
            "organization_id",
        )
        .await?;
    }
    for (field, value) in [("email", &c.email), ("phone", &c.phone)] {
        let Some(value) = value else { continue };
        let dup: Option<(ContactId, String)> = sqlx::query_as(&format!(
            "SELECT id, full_name FROM contacts WHERE account_id = $1 AND {field} = $2 AND id <> $3 \
             ORDER BY id LIMIT 1"
        ))
        .bind(actor.account_id)
        .bind(value)
        .bind(except.map_or(0, i64::from))
        .fetch_optional(&mut **tx)
        .await?;
        match (dup, duplicates) {
            (Some((other, _)), Duplicates::Flag) => return Ok(Some(other)),
            (Some((_, name)), Duplicates::Refuse) => {
                let value = value.to_string();
                let taken = if field == "email" {
                    Problem::EmailTaken { name, value }
                } else {
                    Problem::PhoneTaken { name, value }
                };
                return Err(ServiceError::invalid(field, taken));
            }
            (None, _) => {}
        }
    }
    Ok(None)
}

/// Creates a contact; the same e-mail or phone twice in one account is refused.
pub async fn create_contact(db: &Db, actor: Actor, new: NewContact) -> ServiceResult<Contact> {
    let mut tx = db.begin().await?;
    let country = account_country(&mut *tx, actor).await?;
    let contact = insert(&mut tx, actor, &new, country.as_deref(), Duplicates::Refuse).await?;
    tx.commit().await?;
    Ok(contact)
}

/// Step: [`create_contact`]; `country` is the account's ([`account_country`]).
async fn insert(
    tx: &mut Tx,
    actor: Actor,
    new: &NewContact,
    country: Option<&str>,
    duplicates: Duplicates,
) -> ServiceResult<Contact> {
    let c = check(new, country)?;
    let duplicate_of = lock_and_check(tx, actor, &c, new.organization_id, None, duplicates).await?;
    let contact: Contact = sqlx::query_as(&format!(
        "INSERT INTO contacts (account_id, uuid, full_name, email, phone, organization_id, duplicate_of, \
         created_at, updated_at, name_key) VALUES ($1, $2, $3, $4, $5, $6, $8, $7, $7, $9) RETURNING {COLUMNS}"
    ))
    .bind(actor.account_id)
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(&c.name)
    .bind(&c.email)
    .bind(&c.phone)
    .bind(new.organization_id)
    .bind(db::now())
    .bind(duplicate_of)
    .bind(fold(&c.name))
    .fetch_one(&mut **tx)
    .await?;
    let subject = webhooks::Subject::Contact(contact.id);
    webhooks::emit(tx, actor.account_id, WebhookEvent::ContactCreated, subject).await?;
    Ok(contact)
}

/// Changes a contact with the same checks as creation (its own e-mail and phone are no
/// duplicates of itself).
pub async fn update_contact(
    db: &Db,
    actor: Actor,
    id: ContactId,
    edit: NewContact,
) -> ServiceResult<Contact> {
    let mut tx = db.begin().await?;
    update_step(&mut tx, actor, id, &edit).await?;
    tx.commit().await?;
    get_contact(db, actor, id).await
}

/// Step: [`update_contact`].
pub(crate) async fn update_step(
    tx: &mut Tx,
    actor: Actor,
    id: ContactId,
    edit: &NewContact,
) -> ServiceResult<()> {
    let country = account_country(&mut **tx, actor).await?;
    let c = check(edit, country.as_deref())?;
    lock_and_check(
        tx,
        actor,
        &c,
        edit.organization_id,
        Some(id),
        Duplicates::Refuse,
    )
    .await?;
    let res = sqlx::query(
        "UPDATE contacts SET full_name = $1, email = $2, phone = $3, organization_id = $4, updated_at = $5, \
         name_key = $8 WHERE id = $6 AND account_id = $7",
    )
    .bind(&c.name)
    .bind(&c.email)
    .bind(&c.phone)
    .bind(edit.organization_id)
    .bind(db::now())
    .bind(id)
    .bind(actor.account_id)
    .bind(fold(&c.name))
    .execute(&mut **tx)
    .await?;
    db::touched(res, "contact")?;
    let subject = webhooks::Subject::Contact(id);
    webhooks::emit(tx, actor.account_id, WebhookEvent::ContactUpdated, subject).await
}

/// Loads a contact of the actor's account.
pub async fn get_contact<'e, E>(ex: E, actor: Actor, id: ContactId) -> ServiceResult<Contact>
where
    E: Executor<'e, Database = Any>,
{
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM contacts WHERE id = $1 AND account_id = $2"
    ))
    .bind(id)
    .bind(actor.account_id)
    .fetch_optional(ex)
    .await?
    .ok_or(ServiceError::NotFound("contact"))
}

/// Which existing contact to reuse before creating one: by id, else by e-mail, else by phone
/// (each only when asked for), compared after normalization.
#[derive(Debug, Clone, Default)]
pub struct ContactLookup {
    /// An id that must name a contact of the account.
    pub id: Option<ContactId>,
    pub new: NewContact,
    pub match_email: bool,
    pub match_phone: bool,
    /// When no contact is to be (or was) matched, create the person even if another contact
    /// has their e-mail or phone, flagged as its possible duplicate (`duplicate_of`). The lead
    /// intake does: a paying customer's lead is never refused. Elsewhere contacts stay unique.
    pub keep_duplicate: bool,
}

/// Finds the contact `lookup` describes or creates it; returns it and whether it is new.
pub async fn find_or_create(
    db: &Db,
    actor: Actor,
    lookup: &ContactLookup,
) -> ServiceResult<(Contact, bool)> {
    let mut tx = db.begin().await?;
    let found = find_or_create_step(&mut tx, actor, lookup).await?;
    tx.commit().await?;
    Ok(found)
}

/// Step: [`find_or_create`]. The account's lock is taken only to create, and the search is
/// made again under it, so two requests never create the same contact twice.
pub(crate) async fn find_or_create_step(
    tx: &mut Tx,
    actor: Actor,
    lookup: &ContactLookup,
) -> ServiceResult<(Contact, bool)> {
    if let Some(id) = lookup.id {
        return get_contact(&mut **tx, actor, id)
            .await
            .map(|c| (c, false))
            .map_err(|_| ServiceError::invalid("contact.id", Problem::NoSuch(Thing::Contact)));
    }
    let country = account_country(&mut **tx, actor).await?;
    let email = non_empty(lookup.new.email.as_deref())
        .map(normalize_email)
        .transpose()?;
    let number = non_empty(lookup.new.phone.as_deref())
        .map(|p| phone(p, country.as_deref()))
        .transpose()?;
    let wanted = [
        ("email", email.as_deref().filter(|_| lookup.match_email)),
        ("phone", number.as_deref().filter(|_| lookup.match_phone)),
    ];
    if let Some(found) = find_by(tx, actor, &wanted).await? {
        return Ok((found, false));
    }
    check(&lookup.new, country.as_deref())?;
    lock_account(tx, actor).await?;
    if let Some(found) = find_by(tx, actor, &wanted).await? {
        return Ok((found, false));
    }
    let duplicates = if lookup.keep_duplicate {
        Duplicates::Flag
    } else {
        Duplicates::Refuse
    };
    Ok((
        insert(tx, actor, &lookup.new, country.as_deref(), duplicates).await?,
        true,
    ))
}

/// Step: the first contact with this e-mail, else with this phone (both as stored:
/// normalized), for an import's matching.
pub(crate) async fn matching(
    tx: &mut Tx,
    actor: Actor,
    email: Option<&str>,
    phone: Option<&str>,
) -> ServiceResult<Option<Contact>> {
    find_by(tx, actor, &[("email", email), ("phone", phone)]).await
}

/// The first contact whose column has the value, trying each `(column, value)` in turn.
async fn find_by(
    tx: &mut Tx,
    actor: Actor,
    wanted: &[(&str, Option<&str>)],
) -> ServiceResult<Option<Contact>> {
    for (field, value) in wanted {
        let Some(value) = value else { continue };
        let found: Option<Contact> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM contacts WHERE account_id = $1 AND {field} = $2 ORDER BY id LIMIT 1"
        ))
        .bind(actor.account_id)
        .bind(*value)
        .fetch_optional(&mut **tx)
        .await?;
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

fn non_empty(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

/// Contacts per page in lists.
pub const PER_PAGE: i64 = 25;

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: ContactId,
    full_name: String,
    email: Option<String>,
    phone: Option<String>,
    organization_id: Option<OrganizationId>,
    organization_name: Option<String>,
    open_deals: i64,
    duplicate_of: Option<ContactId>,
    uuid: String,
    organization_uuid: Option<String>,
    duplicate_of_uuid: Option<String>,
}

impl From<SummaryRow> for ContactSummary {
    fn from(r: SummaryRow) -> Self {
        ContactSummary {
            id: r.id,
            full_name: r.full_name,
            email: r.email,
            phone: r.phone,
            organization_id: r.organization_id,
            organization_name: r.organization_name,
            open_deals: r.open_deals,
            duplicate_of: r.duplicate_of,
            uuid: r.uuid,
            organization_uuid: r.organization_uuid,
            duplicate_of_uuid: r.duplicate_of_uuid,
        }
    }
}

const SUMMARY_SELECT: &str = "SELECT c.id, c.full_name, c.email, c.phone, c.organization_id, o.name AS organization_name, \
     c.duplicate_of, c.uuid, o.uuid AS organization_uuid, \
     (SELECT dup.uuid FROM contacts dup WHERE dup.id = c.duplicate_of) AS duplicate_of_uuid, \
     (SELECT COUNT(*) FROM deals d WHERE d.contact_id = c.id AND d.account_id = c.account_id AND d.status = 'open') AS open_deals \
     FROM contacts c LEFT JOIN organizations o ON o.id = c.organization_id WHERE c.account_id = ";

/// A page of the account's contacts, searched by name, e-mail, phone or organization.
pub async fn list(
    db: &Db,
    actor: Actor,
    search: &str,
    page: i64,
) -> ServiceResult<Page<ContactSummary>> {
    list_page(db, actor, search, page, PER_PAGE).await
}

/// [`list`] with `per_page` rows a page.
pub async fn list_page(
    db: &Db,
    actor: Actor,
    search: &str,
    page: i64,
    per_page: i64,
) -> ServiceResult<Page<ContactSummary>> {
    bounded(search).map_err(|p| ServiceError::invalid("q", p))?;
    let page = page.max(1);
    let listing = Listing {
        count: "SELECT COUNT(*) FROM contacts c LEFT JOIN organizations o ON o.id = c.organization_id WHERE c.account_id = ",
        select: SUMMARY_SELECT,
        order: "c.name_key, c.id",
        keys: None,
        total: None,
        seek: None,
    };
    let filter = |q: &mut SqlBuilder| {
        push_search(q, search);
        Ok(())
    };
    let (rows, total): (Vec<SummaryRow>, i64) = listing
        .page(db, actor.account_id, filter, page, per_page)
        .await?;
    Ok(Page {
        items: rows.into_iter().map(Into::into).collect(),
        total,
        page,
        per_page,
    })
}

/// Appends the list's search to a query over `contacts c` joined with `organizations o`:
/// name, e-mail or organization containing `search` (without case or accents), or a phone
/// containing its digits; nothing for blank text.
fn push_search(q: &mut SqlBuilder, search: &str) {
    if let Some(pattern) = contains_pattern(search) {
        q.push(" AND (c.name_key LIKE ")
            .bind_text(pattern.clone())
            .push(" ESCAPE '\\' OR LOWER(COALESCE(c.email, '')) LIKE ")
            .bind_text(pattern.clone())
            .push(" ESCAPE '\\' OR COALESCE(o.name_key, '') LIKE ")
            .bind_text(pattern)
            .push(" ESCAPE '\\'");
        if let Some(digits) = phone_digits(search) {
            q.push(" OR COALESCE(c.phone, '') LIKE ")
                .bind_text(format!("%{digits}%"));
        }
        q.push(")");
    }
}

/// The contacts [`list`] finds for `search`, by id above `after`, at most `limit` (how the
/// CSV export reads them all).
pub async fn summaries_after(
    db: &Db,
    actor: Actor,
    search: &str,
    after: i64,
    limit: i64,
) -> ServiceResult<Vec<ContactSummary>> {
    bounded(search).map_err(|p| ServiceError::invalid("q", p))?;
    let mut q = SqlBuilder::new(SUMMARY_SELECT);
    q.bind_int(actor.account_id);
    push_search(&mut q, search);
    q.push(" AND c.id > ")
        .bind_int(after)
        .push(" ORDER BY c.id LIMIT ")
        .bind_int(limit);
    let rows: Vec<SummaryRow> = q.query_as().fetch_all(&db.pool).await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// One contact as lists show it; "not found" for another account's contact.
pub async fn summary(db: &Db, actor: Actor, id: ContactId) -> ServiceResult<ContactSummary> {
    let mut q = SqlBuilder::new(SUMMARY_SELECT);
    q.bind_int(actor.account_id)
        .push(" AND c.id = ")
        .bind_int(id);
    let row: SummaryRow = q
        .query_as()
        .fetch_optional(&db.pool)
        .await?
        .ok_or(ServiceError::NotFound("contact"))?;
    Ok(row.into())
}

/// Deletes a contact of the account. Their deals stay, without them; their own activities and
/// links go with them.
pub async fn delete_contact(db: &Db, actor: Actor, id: ContactId) -> ServiceResult<()> {
    let mut tx = db.begin().await?;
    lock_account(&mut tx, actor).await?;
    sqlx::query(
        "UPDATE contacts SET duplicate_of = NULL WHERE duplicate_of = $1 AND account_id = $2",
    )
    .bind(id)
    .bind(actor.account_id)
    .execute(&mut *tx)
    .await?;
    // The payload shows the contact as it was.
    let subject = webhooks::Subject::Contact(id);
    webhooks::emit(
        &mut tx,
        actor.account_id,
        WebhookEvent::ContactDeleted,
        subject,
    )
    .await?;
    let res = sqlx::query("DELETE FROM contacts WHERE id = $1 AND account_id = $2")
        .bind(id)
        .bind(actor.account_id)
        .execute(&mut *tx)
        .await?;
    db::touched(res, "contact")?;
    tx.commit().await?;
    Ok(())
}

/// A contact with their deals and activities; "not found" for another account's contact.
pub async fn detail(db: &Db, actor: Actor, id: ContactId) -> ServiceResult<ContactDetail> {
    let contact = summary(db, actor, id).await?;
    let deals = deal_lines(db, actor, DealsOf::Contact(id)).await?;
    let filter = ActivityFilter {
        contact_id: Some(id),
        ..Default::default()
    };
    let activities = super::activities::list(db, actor, &filter).await?;
    Ok(ContactDetail {
        contact,
        deals,
        activities,
    })
}

/// Whose deals [`deal_lines`] lists.
#[derive(Debug, Clone, Copy)]
pub(crate) enum DealsOf {
    Contact(ContactId),
    Organization(OrganizationId),
}

/// The deals of a contact or an organization, newest first (at most 200).
pub(crate) async fn deal_lines(db: &Db, actor: Actor, of: DealsOf) -> ServiceResult<Vec<DealLine>> {
    let (column, id) = match of {
        DealsOf::Contact(id) => ("contact_id", i64::from(id)),
        DealsOf::Organization(id) => ("organization_id", i64::from(id)),
    };
    let rows: Vec<(DealId, String, String, i64, String, String)> = sqlx::query_as(&format!(
        "SELECT d.id, d.title, d.status, d.value_cents, d.currency, s.name FROM deals d JOIN stages s ON s.id = d.stage_id \
         WHERE d.account_id = $1 AND d.{column} = $2 AND {} \
         ORDER BY d.created_at DESC, d.id DESC LIMIT 200",
        super::deals::visible_to("d", "$3")
    ))
    .bind(actor.account_id)
    .bind(id)
    .bind(actor.user_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, title, status, value_cents, currency, stage_name)| DealLine {
                id,
                title,
                status,
                value_cents,
                currency,
                stage_name,
            },
        )
        .collect())
}

/// The contacts of an organization, by name (at most 200).
pub(crate) async fn of_organization(
    db: &Db,
    actor: Actor,
    organization_id: OrganizationId,
) -> ServiceResult<Vec<ContactSummary>> {
    let mut q = SqlBuilder::new(SUMMARY_SELECT);
    q.bind_int(actor.account_id)
        .push(" AND c.organization_id = ")
        .bind_int(organization_id)
        .push(" ORDER BY LOWER(c.full_name), c.id LIMIT 200");
    let rows: Vec<SummaryRow> = q.query_as().fetch_all(&db.pool).await?;
    Ok(rows.into_iter().map(Into::into).collect())
}
