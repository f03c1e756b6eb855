//! Organizations (companies): unique by name within an account, listed with their people
//! and deals.

use crate::domain::contact::{OrganizationDetail, OrganizationSummary, Page};
use crate::domain::search::{bounded, contains_pattern, fold};
use crate::domain::{OrganizationId, Problem};
use crate::server::db::{self, Db, Listing, SqlBuilder, Tx};
use crate::server::error::{ServiceError, ServiceResult};

use super::activities::{self, ActivityFilter};
use super::contacts::{deal_lines, of_organization, DealsOf, PER_PAGE};
use super::webhooks::{self, WebhookEvent};
use super::Actor;

/// Checks an organization name.
pub fn check_name(name: &str) -> ServiceResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 150 {
        return Err(ServiceError::invalid(
            "name",
            Problem::Length { min: 1, max: 150 },
        ));
    }
    Ok(name.to_string())
}

/// Inside a write transaction: serializes organization changes per account and refuses a
/// name (ignoring case) another organization (not `except`) has.
async fn lock_and_check(
    tx: &mut Tx,
    actor: Actor,
    name: &str,
    except: Option<OrganizationId>,
) -> ServiceResult<()> {
    sqlx::query("UPDATE accounts SET updated_at = $1 WHERE id = $2")
        .bind(db::now())
        .bind(actor.account_id)
        .execute(&mut **tx)
        .await?;
    let dup: Option<(String,)> = sqlx::query_as(
        "SELECT name FROM organizations WHERE account_id = $1 AND LOWER(name) = $2 AND id <> $3",
    )
    .bind(actor.account_id)
    .bind(name.to_lowercase())
    .bind(except.map_or(0, i64::from))
    .fetch_optional(&mut **tx)
    .await?;
    match dup {
        Some((other,)) => Err(ServiceError::invalid(
            "name",
            Problem::OrganizationExists { name: other },
        )),
        None => Ok(()),
    }
}

/// Creates an organization; returns its id.
pub async fn create_organization(
    db: &Db,
    actor: Actor,
    name: &str,
) -> ServiceResult<OrganizationId> {
    let mut tx = db.begin().await?;
    let id = insert(&mut tx, actor, name).await?;
    tx.commit().await?;
    Ok(id)
}

/// Step: [`create_organization`].
async fn insert(tx: &mut Tx, actor: Actor, name: &str) -> ServiceResult<OrganizationId> {
    let name = check_name(name)?;
    lock_and_check(tx, actor, &name, None).await?;
    let (id,): (OrganizationId,) = sqlx::query_as(
        "INSERT INTO organizations (account_id, uuid, name, created_at, updated_at, name_key) \
         VALUES ($1, $2, $3, $4, $4, $5) RETURNING id",
    )
    .bind(actor.account_id)
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(&name)
    .bind(db::now())
    .bind(fold(&name))
    .fetch_one(&mut **tx)
    .await?;
    let subject = webhooks::Subject::Organization(id);
    webhooks::emit(
        tx,
        actor.account_id,
        WebhookEvent::OrganizationCreated,
        subject,
    )
    .await?;
    Ok(id)
}

/// Step: the account's organization with this name (ignoring case), created when there is
/// none; returns its id. The search is made again under the account's lock before creating.
pub(crate) async fn find_or_create(
    tx: &mut Tx,
    actor: Actor,
    name: &str,
) -> ServiceResult<OrganizationId> {
    let name = check_name(name)?;
    if let Some(id) = named(tx, actor, &name).await? {
        return Ok(id);
    }
    lock_and_check(tx, actor, &name, None)
        .await
        .or_else(|e| match e {
            // Created meanwhile: found below.
            ServiceError::Validation { .. } => Ok(()),
            e => Err(e),
        })?;
    match named(tx, actor, &name).await? {
        Some(id) => Ok(id),
        None => insert(tx, actor, &name).await,
    }
}

/// The account's organization with this name, ignoring case.
pub(crate) async fn named(
    tx: &mut Tx,
    actor: Actor,
    name: &str,
) -> ServiceResult<Option<OrganizationId>> {
    let row: Option<(OrganizationId,)> = sqlx::query_as(
        "SELECT id FROM organizations WHERE account_id = $1 AND LOWER(name) = $2 ORDER BY id LIMIT 1",
    )
    .bind(actor.account_id)
    .bind(name.to_lowercase())
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|(id,)| id))
}

/// Renames an organization.
pub async fn rename_organization(
    db: &Db,
    actor: Actor,
    id: OrganizationId,
    name: &str,
) -> ServiceResult<()> {
    let name = check_name(name)?;
    let mut tx = db.begin().await?;
    lock_and_check(&mut tx, actor, &name, Some(id)).await?;
    let res = sqlx::query(
        "UPDATE organizations SET name = $1, updated_at = $2, name_key = $5 WHERE id = $3 AND account_id = $4",
    )
    .bind(&name)
    .bind(db::now())
    .bind(id)
    .bind(actor.account_id)
    .bind(fold(&name))
    .execute(&mut *tx)
    .await?;
    db::touched(res, "organization")?;
    let subject = webhooks::Subject::Organization(id);
    webhooks::emit(
        &mut tx,
        actor.account_id,
        WebhookEvent::OrganizationUpdated,
        subject,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

const SUMMARY_SELECT: &str = "SELECT o.id, o.name, o.uuid, \
     (SELECT COUNT(*) FROM contacts c WHERE c.organization_id = o.id) AS contacts, \
     (SELECT COUNT(*) FROM deals d WHERE d.organization_id = o.id AND d.status = 'open') AS open_deals \
     FROM organizations o WHERE o.account_id = ";

/// A page of the account's organizations, searched by name.
pub async fn list(
    db: &Db,
    actor: Actor,
    search: &str,
    page: i64,
) -> ServiceResult<Page<OrganizationSummary>> {
    list_page(db, actor, search, page, PER_PAGE).await
}

/// [`list`] with `per_page` rows a page.
pub async fn list_page(
    db: &Db,
    actor: Actor,
    search: &str,
    page: i64,
    per_page: i64,
) -> ServiceResult<Page<OrganizationSummary>> {
    bounded(search).map_err(|p| ServiceError::invalid("q", p))?;
    let page = page.max(1);
    let listing = Listing {
        count: "SELECT COUNT(*) FROM organizations o WHERE o.account_id = ",
        select: SUMMARY_SELECT,
        order: "o.name_key, o.id",
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
        items: rows.into_iter().map(summary).collect(),
        total,
        page,
        per_page,
    })
}

/// Appends the list's search to a query over `organizations o`: the name containing `search`
/// without case or accents; nothing for blank text.
fn push_search(q: &mut SqlBuilder, search: &str) {
    if let Some(pattern) = contains_pattern(search) {
        q.push(" AND o.name_key LIKE ")
            .bind_text(pattern)
            .push(" ESCAPE '\\'");
    }
}

/// The organizations [`list`] finds for `search`, by id above `after`, at most `limit` (how
/// the CSV export reads them all).
pub async fn summaries_after(
    db: &Db,
    actor: Actor,
    search: &str,
    after: i64,
    limit: i64,
) -> ServiceResult<Vec<OrganizationSummary>> {
    bounded(search).map_err(|p| ServiceError::invalid("q", p))?;
    let mut q = SqlBuilder::new(SUMMARY_SELECT);
    q.bind_int(actor.account_id);
    push_search(&mut q, search);
    q.push(" AND o.id > ")
        .bind_int(after)
        .push(" ORDER BY o.id LIMIT ")
        .bind_int(limit);
    let rows: Vec<SummaryRow> = q.query_as().fetch_all(&db.pool).await?;
    Ok(rows.into_iter().map(summary).collect())
}

/// `(id, name, uuid, contacts, open deals)` of an organization.
type SummaryRow = (OrganizationId, String, String, i64, i64);

fn summary((id, name, uuid, contacts, open_deals): SummaryRow) -> OrganizationSummary {
    OrganizationSummary {
        id,
        name,
        contacts,
        open_deals,
        uuid,
    }
}

/// One organization as lists show it; "not found" for another account's.
pub async fn summary_of(
    db: &Db,
    actor: Actor,
    id: OrganizationId,
) -> ServiceResult<OrganizationSummary> {
    let mut q = SqlBuilder::new(SUMMARY_SELECT);
    q.bind_int(actor.account_id)
        .push(" AND o.id = ")
        .bind_int(id);
    let row: SummaryRow = q
        .query_as()
        .fetch_optional(&db.pool)
        .await?
        .ok_or(ServiceError::NotFound("organization"))?;
    Ok(summary(row))
}

/// Deletes an organization of the account; its people and deals stay, without it.
pub async fn delete_organization(db: &Db, actor: Actor, id: OrganizationId) -> ServiceResult<()> {
    let mut tx = db.begin().await?;
    // The payload shows the organization as it was.
    let subject = webhooks::Subject::Organization(id);
    webhooks::emit(
        &mut tx,
        actor.account_id,
        WebhookEvent::OrganizationDeleted,
        subject,
    )
    .await?;
    let res = sqlx::query("DELETE FROM organizations WHERE id = $1 AND account_id = $2")
        .bind(id)
        .bind(actor.account_id)
        .execute(&mut *tx)
        .await?;
    db::touched(res, "organization")?;
    tx.commit().await?;
    Ok(())
}

/// An organization with its contacts, deals and their activities; "not found" for another
/// account's organization.
pub async fn detail(
    db: &Db,
    actor: Actor,
    id: OrganizationId,
) -> ServiceResult<OrganizationDetail> {
    let organization = summary_of(db, actor, id).await?;
    let filter = ActivityFilter {
        organization_id: Some(id),
        ..Default::default()
    };
    Ok(OrganizationDetail {
        organization,
        contacts: of_organization(db, actor, id).await?,
        deals: deal_lines(db, actor, DealsOf::Organization(id)).await?,
        activities: activities::list(db, actor, &filter).await?,
    })
}
