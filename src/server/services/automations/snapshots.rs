//! Records as automations see them: the JSON snapshot of a quote or a deal that conditions
//! test, placeholders fill messages from and webhooks send (`data.quote` / `data.deal`).

use crate::domain::{AccountId, DealId};
use serde_json::{json, Value};

use crate::domain::money::cents_to_f64;
use crate::domain::public_id::public_id;
use crate::server::db::Db;
use crate::server::error::ServiceResult;

fn money(cents: i64) -> Value {
    json!(cents_to_f64(cents))
}

/// The columns a quote snapshot is built from.
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
    contact_uuid: Option<String>,
    contact_name: Option<String>,
    contact_email: Option<String>,
    contact_phone: Option<String>,
    company: Option<String>,
    deal_uuid: Option<String>,
}

/// A quote as conditions, placeholders and webhooks see it (`None`: no such quote).
pub async fn quote_snapshot(
    db: &Db,
    account_id: AccountId,
    quote_id: i64,
) -> ServiceResult<Option<Value>> {
    let row: Option<QuoteRow> = sqlx::query_as(
        "SELECT q.uuid, q.number, q.status, q.currency, q.subtotal_cents, q.tax_cents, q.shipping_cents, q.total_cents, \
         q.notes, q.valid_until, q.view_count, c.uuid AS contact_uuid, c.full_name AS contact_name, c.email AS contact_email, \
         c.phone AS contact_phone, COALESCE(o.name, co.name) AS company, d.uuid AS deal_uuid \
         FROM quotes q LEFT JOIN contacts c ON c.id = q.contact_id \
         LEFT JOIN organizations o ON o.id = q.organization_id \
         LEFT JOIN organizations co ON co.id = c.organization_id \
         LEFT JOIN deals d ON d.id = q.deal_id \
         WHERE q.id = $1 AND q.account_id = $2",
    )
    .bind(quote_id)
    .bind(account_id)
    .fetch_optional(&db.pool)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let items: Vec<(String, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT product_name, model, unit_price_cents, quantity, discount_basis_points FROM quote_items \
         WHERE quote_id = $1 AND account_id = $2 ORDER BY position, id",
    )
    .bind(quote_id)
    .bind(account_id)
    .fetch_all(&db.pool)
    .await?;
    let items: Vec<Value> = items
        .into_iter()
        .map(|(name, model, unit, quantity, discount)| {
            json!({
                "productName": name,
                "model": model,
                "unitPrice": cents_to_f64(unit),
                "quantity": quantity,
                "discountPct": discount as f64 / 100.0,
            })
        })
        .collect();
    Ok(Some(json!({
        "id": r.uuid,
        "quoteNumber": r.number,
        "status": r.status,
        "total": money(r.total_cents),
        "subtotal": money(r.subtotal_cents),
        "tax": money(r.tax_cents),
        "shippingCost": money(r.shipping_cents),
        "currency": r.currency,
        "notes": r.notes,
        "validUntil": r.valid_until,
        "viewCount": r.view_count,
        "dealId": r.deal_uuid.map(|u| public_id("opp", &u)),
        "client": {
            "id": r.contact_uuid.map(|u| public_id("lead", &u)),
            "contactName": r.contact_name.unwrap_or_default(),
            "companyName": r.company.unwrap_or_default(),
            "email": r.contact_email.unwrap_or_default(),
            "phone": r.contact_phone.unwrap_or_default(),
        },
        "items": items,
    })))
}

/// The columns a deal snapshot is built from.
#[derive(sqlx::FromRow)]
struct DealRow {
    uuid: String,
    title: String,
    value_cents: i64,
    currency: String,
    status: String,
    stage_key: String,
    pipeline: String,
    probability: i64,
    temperature: Option<i64>,
    quality_rating: Option<i64>,
    owner_uuid: Option<String>,
    owner_name: Option<String>,
    owner_email: Option<String>,
    contact_name: Option<String>,
    contact_email: Option<String>,
    contact_phone: Option<String>,
    organization: Option<String>,
    lead_source: Option<String>,
    lost_reason: String,
}

/// A deal as conditions, placeholders and webhooks see it; `extra` adds what the event knew
/// (`previousStage`, `activity`).
pub async fn deal_snapshot(
    db: &Db,
    account_id: AccountId,
    deal_id: DealId,
    extra: &Value,
) -> ServiceResult<Option<Value>> {
    let row: Option<DealRow> = sqlx::query_as(
        "SELECT d.uuid, d.title, d.value_cents, d.currency, d.status, s.key AS stage_key, p.name AS pipeline, \
         COALESCE(d.probability, s.probability) AS probability, d.temperature, d.quality_rating, u.uuid AS owner_uuid, \
         u.name AS owner_name, u.email AS owner_email, c.full_name AS contact_name, c.email AS contact_email, \
         c.phone AS contact_phone, o.name AS organization, ls.name AS lead_source, d.lost_reason \
         FROM deals d JOIN stages s ON s.id = d.stage_id JOIN pipelines p ON p.id = d.pipeline_id \
         LEFT JOIN users u ON u.id = d.responsible_user_id LEFT JOIN contacts c ON c.id = d.contact_id \
         LEFT JOIN organizations o ON o.id = d.organization_id LEFT JOIN lead_sources ls ON ls.id = d.lead_source_id \
         WHERE d.id = $1 AND d.account_id = $2",
    )
    .bind(deal_id)
    .bind(account_id)
    .fetch_optional(&db.pool)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let mut snapshot = json!({
        "id": public_id("opp", &r.uuid),
        "title": r.title,
        "value": money(r.value_cents),
        "currency": r.currency,
        "status": r.status,
        "stage": r.stage_key,
        "pipeline": r.pipeline,
        "probability": r.probability,
        "temperature": r.temperature,
        "qualityRating": r.quality_rating,
        "owner": {
            "id": r.owner_uuid.map(|u| public_id("user", &u)),
            "name": r.owner_name.unwrap_or_default(),
            "email": r.owner_email.unwrap_or_default(),
        },
        "contact": {
            "name": r.contact_name.unwrap_or_default(),
            "email": r.contact_email.unwrap_or_default(),
            "phone": r.contact_phone.unwrap_or_default(),
        },
        "organization": r.organization.unwrap_or_default(),
        "leadSource": r.lead_source.unwrap_or_default(),
        "lostReason": r.lost_reason,
    });
    if let (Some(obj), Some(extra)) = (snapshot.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            obj.insert(k.clone(), v.clone());
        }
    }
    Ok(Some(snapshot))
}
