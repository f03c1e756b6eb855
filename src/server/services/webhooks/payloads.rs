//! The record an event is about, as a webhook payload's `data` shows it: the field names and
//! public ids of the `/v1` API (`opp_…`, `lead_…`, `org_…`, `user_…`, `stage_…`, `pipe_…`,
//! `act_…`, `quote_…`), amounts in the currency's units, times in UTC ISO 8601. Read inside
//! the change's transaction, so the payload is the record as the change left it (and a deleted
//! record as it was just before).

use serde_json::{json, Value};

use crate::domain::money::cents_to_f64;
use crate::domain::public_id::public_id;
use crate::domain::{AccountId, ActivityId, ContactId, DealId, OrganizationId, QuoteId, StageId};
use crate::server::db::{api_ts, Tx};
use crate::server::error::ServiceResult;

use super::events::Subject;

/// The payload's `data` for `subject`; `None` when the record is not the account's.
pub async fn data(
    tx: &mut Tx,
    account_id: AccountId,
    subject: &Subject,
) -> ServiceResult<Option<Value>> {
    match subject {
        Subject::Deal {
            id,
            previous_stage,
            changes,
        } => {
            let Some(mut data) = deal(tx, account_id, *id).await? else {
                return Ok(None);
            };
            if let Some(from) = previous_stage {
                let stage = stage(tx, account_id, *from).await?;
                data["previous_stage"] = stage.as_ref().map_or(Value::Null, |s| json!(s.key));
                data["previous_stage_id"] = stage
                    .as_ref()
                    .map_or(Value::Null, |s| json!(public_id("stage", &s.uuid)));
                data["previous_stage_name"] = stage.map_or(Value::Null, |s| json!(s.name));
            }
            if let Some(changes) = changes {
                data["changes"] = changes.clone();
            }
            Ok(Some(data))
        }
        Subject::Contact(id) => contact(tx, account_id, *id).await,
        Subject::Organization(id) => organization(tx, account_id, *id).await,
        Subject::Activity(id) => activity(tx, account_id, *id).await,
        Subject::Quote {
            id,
            previous_status,
        } => {
            let Some(mut data) = quote(tx, account_id, *id).await? else {
                return Ok(None);
            };
            if let Some(from) = previous_status {
                data["previous_status"] = json!(from);
            }
            Ok(Some(data))
        }
    }
}

fn ts(t: Option<String>) -> Value {
    t.map_or(Value::Null, |t| json!(api_ts(&t)))
}

fn id_of(prefix: &str, uuid: Option<String>) -> Value {
    uuid.map_or(Value::Null, |u| json!(public_id(prefix, &u)))
}

/// A stage's key, name and UUID.
struct StageRow {
    key: String,
    name: String,
    uuid: String,
}

async fn stage(tx: &mut Tx, account_id: AccountId, id: StageId) -> ServiceResult<Option<StageRow>> {
    let row: Option<(String, String, String)> =
        sqlx::query_as("SELECT key, name, uuid FROM stages WHERE id = $1 AND account_id = $2")
            .bind(id)
            .bind(account_id)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(row.map(|(key, name, uuid)| StageRow { key, name, uuid }))
}

#[derive(sqlx::FromRow)]
struct DealRow {
    uuid: String,
    code: i64,
    title: String,
    value_cents: i64,
    currency: String,
    status: String,
    stage_uuid: String,
    stage_key: String,
    stage_name: String,
    pipeline_uuid: String,
    pipeline_name: String,
    probability: i64,
    expected_close_date: Option<String>,
    contact_uuid: Option<String>,
    organization_uuid: Option<String>,
    user_uuid: Option<String>,
    lost_reason: String,
    final_value_cents: Option<i64>,
    close_notes: Option<String>,
    won_at: Option<String>,
    lost_at: Option<String>,
    created_at: String,
    updated_at: String,
}

/// A deal as `/v1/opportunities` shows it, with its stage's id and name and its pipeline.
pub async fn deal(tx: &mut Tx, account_id: AccountId, id: DealId) -> ServiceResult<Option<Value>> {
    let row: Option<DealRow> = sqlx::query_as(
        "SELECT d.uuid, d.code, d.title, d.value_cents, d.currency, d.status, s.uuid AS stage_uuid, \
         s.key AS stage_key, s.name AS stage_name, p.uuid AS pipeline_uuid, p.name AS pipeline_name, \
         COALESCE(d.probability, s.probability) AS probability, d.expected_close_date, \
         c.uuid AS contact_uuid, o.uuid AS organization_uuid, u.uuid AS user_uuid, d.lost_reason, \
         d.final_value_cents, d.close_notes, d.won_at, d.lost_at, d.created_at, d.updated_at \
         FROM deals d JOIN stages s ON s.id = d.stage_id JOIN pipelines p ON p.id = d.pipeline_id \
         LEFT JOIN contacts c ON c.id = d.contact_id \
         LEFT JOIN organizations o ON o.id = d.organization_id \
         LEFT JOIN users u ON u.id = d.responsible_user_id \
         WHERE d.id = $1 AND d.account_id = $2",
    )
    .bind(id)
    .bind(account_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|r| {
        json!({
            "id": public_id("opp", &r.uuid),
            "code": r.code,
            "name": r.title,
            "value": cents_to_f64(r.value_cents),
            "currency": r.currency,
            "status": r.status,
            "stage": r.stage_key,
            "stage_id": public_id("stage", &r.stage_uuid),
            "stage_name": r.stage_name,
            "pipeline": r.pipeline_name,
            "pipeline_id": public_id("pipe", &r.pipeline_uuid),
            "probability": r.probability,
            "expected_close_date": r.expected_close_date,
            "lead_id": id_of("lead", r.contact_uuid),
            "organization_id": id_of("org", r.organization_uuid),
            "assigned_to": id_of("user", r.user_uuid),
            "lost_reason": Some(r.lost_reason).filter(|s| !s.is_empty()),
            "final_value": r.final_value_cents.map(cents_to_f64),
            "close_notes": r.close_notes.filter(|s| !s.is_empty()),
            "won_at": ts(r.won_at),
            "lost_at": ts(r.lost_at),
            "created_at": api_ts(&r.created_at),
            "updated_at": api_ts(&r.updated_at),
        })
    }))
}

#[derive(sqlx::FromRow)]
struct ContactRow {
    uuid: String,
    full_name: String,
    email: Option<String>,
    phone: Option<String>,
    organization_uuid: Option<String>,
    organization_name: Option<String>,
    duplicate_uuid: Option<String>,
    created_at: String,
    updated_at: String,
}

/// A contact as `/v1/contacts` shows it.
pub async fn contact(
    tx: &mut Tx,
    account_id: AccountId,
    id: ContactId,
) -> ServiceResult<Option<Value>> {
    let row: Option<ContactRow> = sqlx::query_as(
        "SELECT c.uuid, c.full_name, c.email, c.phone, o.uuid AS organization_uuid, \
         o.name AS organization_name, dup.uuid AS duplicate_uuid, c.created_at, c.updated_at \
         FROM contacts c LEFT JOIN organizations o ON o.id = c.organization_id \
         LEFT JOIN contacts dup ON dup.id = c.duplicate_of \
         WHERE c.id = $1 AND c.account_id = $2",
    )
    .bind(id)
    .bind(account_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|r| {
        json!({
            "id": public_id("lead", &r.uuid),
            "name": r.full_name,
            "email": r.email,
            "phone": r.phone,
            "organization_id": id_of("org", r.organization_uuid),
            "organization_name": r.organization_name,
            "possible_duplicate_of": id_of("lead", r.duplicate_uuid),
            "created_at": api_ts(&r.created_at),
            "updated_at": api_ts(&r.updated_at),
        })
    }))
}

/// An organization as `/v1/organizations` names it.
pub async fn organization(
    tx: &mut Tx,
    account_id: AccountId,
    id: OrganizationId,
) -> ServiceResult<Option<Value>> {
    let row: Option<(String, String, String, String)> = sqlx::query_as(
        "SELECT uuid, name, created_at, updated_at FROM organizations WHERE id = $1 AND account_id = $2",
    )
    .bind(id)
    .bind(account_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|(uuid, name, created_at, updated_at)| {
        json!({
            "id": public_id("org", &uuid),
            "name": name,
            "created_at": api_ts(&created_at),
            "updated_at": api_ts(&updated_at),
        })
    }))
}

#[derive(sqlx::FromRow)]
struct ActivityRow {
    id: i64,
    kind: String,
    title: String,
    description: String,
    deal_uuid: Option<String>,
    due_at: Option<String>,
    done_at: Option<String>,
    user_uuid: Option<String>,
}

/// An activity as `/v1/activities` shows it.
pub async fn activity(
    tx: &mut Tx,
    account_id: AccountId,
    id: ActivityId,
) -> ServiceResult<Option<Value>> {
    let row: Option<ActivityRow> = sqlx::query_as(
        "SELECT a.id, a.kind, a.title, a.description, d.uuid AS deal_uuid, a.due_at, a.done_at, \
         u.uuid AS user_uuid FROM activities a LEFT JOIN deals d ON d.id = a.deal_id \
         LEFT JOIN users u ON u.id = a.user_id WHERE a.id = $1 AND a.account_id = $2",
    )
    .bind(id)
    .bind(account_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|r| {
        json!({
            "id": format!("act_{}", r.id),
            "type": r.kind,
            "title": r.title,
            "description": r.description,
            "opportunity_id": id_of("opp", r.deal_uuid),
            "due_date": ts(r.due_at),
            "completed": r.done_at.is_some(),
            "completed_at": ts(r.done_at),
            "assigned_to": id_of("user", r.user_uuid),
        })
    }))
}

#[derive(sqlx::FromRow)]
struct QuoteRow {
    uuid: String,
    number: i64,
    status: String,
    currency: String,
    subtotal_cents: i64,
    tax_cents: i64,
    shipping_cents: i64,
    total_cents: i64,
    notes: String,
    valid_until: Option<String>,
    view_count: i64,
    sent_at: Option<String>,
    deal_uuid: Option<String>,
    contact_uuid: Option<String>,
    organization_uuid: Option<String>,
    created_at: String,
    updated_at: String,
}

/// A quote with its items.
pub async fn quote(
    tx: &mut Tx,
    account_id: AccountId,
    id: QuoteId,
) -> ServiceResult<Option<Value>> {
    let row: Option<QuoteRow> = sqlx::query_as(
        "SELECT q.uuid, q.number, q.status, q.currency, q.subtotal_cents, q.tax_cents, \
         q.shipping_cents, q.total_cents, q.notes, q.valid_until, q.view_count, q.sent_at, \
         d.uuid AS deal_uuid, c.uuid AS contact_uuid, o.uuid AS organization_uuid, \
         q.created_at, q.updated_at FROM quotes q LEFT JOIN deals d ON d.id = q.deal_id \
         LEFT JOIN contacts c ON c.id = q.contact_id \
         LEFT JOIN organizations o ON o.id = q.organization_id \
         WHERE q.id = $1 AND q.account_id = $2",
    )
    .bind(id)
    .bind(account_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let items: Vec<(String, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT product_name, model, unit_price_cents, quantity, discount_basis_points \
         FROM quote_items WHERE quote_id = $1 AND account_id = $2 ORDER BY position, id",
    )
    .bind(id)
    .bind(account_id)
    .fetch_all(&mut **tx)
    .await?;
    let items: Vec<Value> = items
        .into_iter()
        .map(|(name, model, unit, quantity, discount)| {
            json!({
                "product_name": name,
                "model": model,
                "unit_price": cents_to_f64(unit),
                "quantity": quantity,
                "discount_percent": discount as f64 / 100.0,
            })
        })
        .collect();
    Ok(Some(json!({
        "id": public_id("quote", &r.uuid),
        "number": r.number,
        "status": r.status,
        "currency": r.currency,
        "subtotal": cents_to_f64(r.subtotal_cents),
        "tax": cents_to_f64(r.tax_cents),
        "shipping": cents_to_f64(r.shipping_cents),
        "total": cents_to_f64(r.total_cents),
        "notes": r.notes,
        "valid_until": r.valid_until,
        "view_count": r.view_count,
        "sent_at": ts(r.sent_at),
        "opportunity_id": id_of("opp", r.deal_uuid),
        "lead_id": id_of("lead", r.contact_uuid),
        "organization_id": id_of("org", r.organization_uuid),
        "items": items,
        "created_at": api_ts(&r.created_at),
        "updated_at": api_ts(&r.updated_at),
    })))
}
