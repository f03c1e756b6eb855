//! Reads a deal with its choices and timeline for the deal page.

use crate::domain::catalog::Choice;
use crate::domain::deal::{
    DealChoices, DealDetail, LineItem, NoteItem, Person, TimelineEntry, TimelineItem,
};
use crate::domain::problem::field_label;
use crate::domain::{AccountId, ContactId, DealId, OrganizationId, PipelineId, StageId, UserId};
use crate::i18n::format::amount;
use crate::i18n::{t, t_args, Locale};
use crate::server::db::Db;
use crate::server::error::{ServiceError, ServiceResult};
use fluent_bundle::FluentValue;

use crate::server::services::activities::{self, ActivityFilter};
use crate::server::services::{accounts, catalog, pipelines, settings, Actor};

#[derive(sqlx::FromRow)]
struct Row {
    id: DealId,
    code: i64,
    title: String,
    value_cents: i64,
    currency: String,
    status: String,
    pipeline_id: PipelineId,
    pipeline_name: String,
    stage_id: StageId,
    stage_name: String,
    expected_close_date: Option<String>,
    responsible_user_id: Option<UserId>,
    quality_rating: Option<i64>,
    quality_reason: Option<String>,
    visibility: i64,
    temperature: Option<i64>,
    won_at: Option<String>,
    lost_at: Option<String>,
    lost_reason: String,
    final_value_cents: Option<i64>,
    close_notes: Option<String>,
    marketing: String,
    custom_attributes: String,
    organization_id: Option<OrganizationId>,
    lead_source_id: Option<i64>,
}

/// The deal page's data; "not found" for another account's deal and one the actor may not
/// see.
pub async fn load(db: &Db, actor: Actor, deal_id: DealId) -> ServiceResult<DealDetail> {
    load_for(db, actor, deal_id, chrono_tz::Tz::UTC, Locale::En).await
}

/// [`load`] for a reader in `zone` who reads `locale`: the activities' "today" is their day,
/// their due times are on the reader's clock, and the timeline speaks their language.
pub async fn load_for(
    db: &Db,
    actor: Actor,
    deal_id: DealId,
    zone: chrono_tz::Tz,
    locale: Locale,
) -> ServiceResult<DealDetail> {
    let r: Row = sqlx::query_as(&format!(
        "SELECT d.id, d.code, d.title, d.value_cents, d.currency, d.status, d.pipeline_id, \
         p.name AS pipeline_name, d.stage_id, s.name AS stage_name, d.expected_close_date, d.responsible_user_id, \
         d.quality_rating, d.quality_reason, d.visibility, d.temperature, d.won_at, d.lost_at, \
         d.lost_reason, d.final_value_cents, d.close_notes, d.marketing, d.custom_attributes, \
         d.organization_id, d.lead_source_id \
         FROM deals d JOIN pipelines p ON p.id = d.pipeline_id JOIN stages s ON s.id = d.stage_id \
         WHERE d.id = $1 AND d.account_id = $2 AND {}",
        super::visible_to("d", "$3")
    ))
    .bind(deal_id)
    .bind(actor.account_id)
    .bind(actor.user_id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(ServiceError::NotFound("deal"))?;
    let account = actor.account_id;
    let items = activities::list(
        db,
        actor,
        &ActivityFilter {
            deal_id: Some(deal_id),
            ..Default::default()
        },
    )
    .await?;
    let done: Vec<_> = items
        .iter()
        .filter(|a| a.done_at.is_some())
        .cloned()
        .collect();
    let (pinned_notes, notes): (Vec<NoteItem>, Vec<NoteItem>) =
        super::notes::of_deal(db, account, deal_id)
            .await?
            .into_iter()
            .partition(|n| n.pinned);
    let mut done_newest_first = done;
    done_newest_first.sort_by(|a, b| b.done_at.cmp(&a.done_at));
    Ok(DealDetail {
        id: r.id,
        code: r.code,
        title: r.title,
        value_cents: r.value_cents,
        currency: r.currency,
        status: r.status,
        pipeline_id: r.pipeline_id,
        pipeline_name: r.pipeline_name,
        stage_id: r.stage_id,
        stage_name: r.stage_name,
        expected_close_date: r.expected_close_date,
        responsible_user_id: r.responsible_user_id,
        quality_rating: r.quality_rating,
        quality_reason: r.quality_reason,
        visibility: r.visibility,
        temperature: r.temperature,
        won_at: r.won_at,
        lost_at: r.lost_at,
        lost_reason: r.lost_reason,
        final_value_cents: r.final_value_cents,
        close_notes: r.close_notes,
        organization_id: r.organization_id,
        lead_source_id: r.lead_source_id,
        marketing: string_pairs(&r.marketing),
        custom_attributes: string_pairs(&r.custom_attributes),
        persons: persons(db, account, deal_id).await?,
        assignees: linked_users(db, "deal_assignees", deal_id).await?,
        followers: linked_users(db, "deal_followers", deal_id).await?,
        tags: tags(db, deal_id).await?,
        lines: lines(db, account, deal_id).await?,
        quotes: crate::server::services::quotes::list_for_deal(db, actor, deal_id).await?,
        pinned_notes,
        activities: activities::grouped_for(items, chrono::Utc::now(), zone),
        timeline: TimelineItem::merge(
            events(db, actor, deal_id, locale).await?,
            notes,
            done_newest_first,
        ),
        choices: DealChoices {
            stages: pipelines::stages_of(&db.pool, account, r.pipeline_id)
                .await?
                .into_iter()
                .map(|s| Choice {
                    id: s.id.into(),
                    name: s.name,
                })
                .collect(),
            pipelines: pipelines::others_with_stages(db, account, r.pipeline_id).await?,
            users: accounts::list_users(db, account).await?,
            lost_reasons: settings::lost_reasons(db, account)
                .await?
                .into_iter()
                .map(|r| r.name)
                .collect(),
            organizations: catalog::organizations(db, account).await?,
            contacts: catalog::contacts(db, account).await?,
            tags: catalog::tags(db, account).await?,
            lead_sources: catalog::lead_sources(db, account).await?,
            products: catalog::products(db, account, true).await?,
        },
        viewer_id: actor.user_id,
    })
}

/// A JSON object's entries as text pairs (strings as they are, other values as JSON).
fn string_pairs(json: &str) -> Vec<(String, String)> {
    serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(json)
        .map(|m| {
            m.into_iter()
                .map(|(k, v)| {
                    let v = v
                        .as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| v.to_string());
                    (k, v)
                })
                .collect()
        })
        .unwrap_or_default()
}

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: ContactId,
    full_name: String,
    email: Option<String>,
    phone: Option<String>,
    is_primary: i64,
}

async fn persons(db: &Db, account_id: AccountId, deal_id: DealId) -> ServiceResult<Vec<Person>> {
    let rows: Vec<PersonRow> = sqlx::query_as(
        "SELECT c.id, c.full_name, c.email, c.phone, dp.is_primary FROM deal_persons dp \
         JOIN contacts c ON c.id = dp.contact_id WHERE dp.deal_id = $1 AND dp.account_id = $2 \
         ORDER BY dp.is_primary DESC, dp.created_at, dp.id",
    )
    .bind(deal_id)
    .bind(account_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Person {
            contact_id: r.id,
            name: r.full_name,
            email: r.email,
            phone: r.phone,
            primary: r.is_primary != 0,
        })
        .collect())
}

async fn linked_users(db: &Db, table: &'static str, deal_id: DealId) -> ServiceResult<Vec<Choice>> {
    let rows: Vec<(i64, String)> = sqlx::query_as(&format!(
        "SELECT u.id, u.name FROM {table} l JOIN users u ON u.id = l.user_id WHERE l.deal_id = $1 ORDER BY u.name, u.id"
    ))
    .bind(deal_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| Choice { id, name })
        .collect())
}

async fn tags(db: &Db, deal_id: DealId) -> ServiceResult<Vec<Choice>> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT t.id, t.name FROM deal_tags dt JOIN tags t ON t.id = dt.tag_id WHERE dt.deal_id = $1 ORDER BY t.name, t.id",
    )
    .bind(deal_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| Choice { id, name })
        .collect())
}

/// The product lines of a deal (which the caller has found visible), in the order added.
pub(crate) async fn lines(
    db: &Db,
    account_id: AccountId,
    deal_id: DealId,
) -> ServiceResult<Vec<LineItem>> {
    let rows: Vec<(i64, String, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT id, product_name, product_identifier, quantity, unit_amount_cents, total_amount_cents \
         FROM deal_products WHERE deal_id = $1 AND account_id = $2 ORDER BY id",
    )
    .bind(deal_id)
    .bind(account_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(
                id,
                product_name,
                product_identifier,
                quantity,
                unit_amount_cents,
                total_amount_cents,
            )| LineItem {
                id,
                product_name,
                product_identifier,
                quantity,
                unit_amount_cents,
                total_amount_cents,
            },
        )
        .collect())
}

#[derive(sqlx::FromRow)]
struct EventRow {
    kind: String,
    data: String,
    created_at: String,
    from_stage: Option<String>,
    to_stage: Option<String>,
    user_name: Option<String>,
}

async fn events(
    db: &Db,
    actor: Actor,
    deal_id: DealId,
    locale: Locale,
) -> ServiceResult<Vec<TimelineEntry>> {
    let rows: Vec<EventRow> = sqlx::query_as(
        "SELECT e.kind, e.data, e.created_at, fs.name AS from_stage, ts.name AS to_stage, u.name AS user_name \
         FROM deal_events e LEFT JOIN stages fs ON fs.id = e.from_stage_id LEFT JOIN stages ts ON ts.id = e.to_stage_id \
         LEFT JOIN users u ON u.id = e.user_id WHERE e.deal_id = $1 AND e.account_id = $2 ORDER BY e.id DESC LIMIT 200",
    )
    .bind(deal_id)
    .bind(actor.account_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|e| {
            let data: serde_json::Value = serde_json::from_str(&e.data).unwrap_or_default();
            let text = describe(
                &e.kind,
                &data,
                e.from_stage.as_deref(),
                e.to_stage.as_deref(),
                locale,
            );
            TimelineEntry {
                at: e.created_at,
                kind: e.kind,
                text,
                user_name: e.user_name,
            }
        })
        .collect())
}

/// A sentence for an event, in the reader's language (stage, product and quote names as
/// they were typed).
fn describe(
    kind: &str,
    data: &serde_json::Value,
    from: Option<&str>,
    to: Option<&str>,
    l: Locale,
) -> String {
    let text = |v: &str| FluentValue::from(v.to_string());
    match kind {
        "opened" => match to {
            Some(stage) => t_args(l, "timeline-opened", &[("stage", text(stage))]),
            None => t(l, "timeline-opened-first"),
        },
        "stage_changed" => t_args(
            l,
            "timeline-stage-changed",
            &[
                ("from", text(from.unwrap_or("?"))),
                ("to", text(to.unwrap_or("?"))),
            ],
        ),
        "won" => match data["final_value_cents"].as_i64() {
            Some(v) => t_args(l, "timeline-won-value", &[("value", text(&amount(v, l)))]),
            None => t(l, "timeline-won"),
        },
        "lost" => t_args(
            l,
            "timeline-lost",
            &[("reason", text(data["reason"].as_str().unwrap_or("")))],
        ),
        "reopened" => t(l, "timeline-reopened"),
        "quote_created" | "quote_sent" | "quote_accepted" | "quote_rejected" | "quote_won"
        | "quote_lost" => {
            let number = crate::domain::quote::quote_label(data["number"].as_i64().unwrap_or(0));
            let id = format!("timeline-{}", kind.replace('_', "-"));
            t_args(l, &id, &[("number", text(&number))])
        }
        "product_added" | "product_removed" => t_args(
            l,
            if kind == "product_added" {
                "timeline-product-added"
            } else {
                "timeline-product-removed"
            },
            &[
                (
                    "quantity",
                    text(&data["quantity"].as_i64().unwrap_or(1).to_string()),
                ),
                ("product", text(data["product"].as_str().unwrap_or("?"))),
                (
                    "total",
                    text(&amount(data["total_cents"].as_i64().unwrap_or(0), l)),
                ),
            ],
        ),
        "field_changed" => {
            let parts: Vec<String> = data["changes"]
                .as_array()
                .map(|c| c.iter().map(|c| describe_change(c, l)).collect())
                .unwrap_or_default();
            parts.join("; ")
        }
        other => other.replace('_', " "),
    }
}

/// One change of a `field_changed` event: "Added to tags: VIP", "Changed value", …
fn describe_change(change: &serde_json::Value, l: Locale) -> String {
    let raw = change["field"].as_str().unwrap_or("?");
    let bare = raw.trim_end_matches("_cents").trim_end_matches("_id");
    // English keeps the field as it is written; other languages use its label.
    let field = match l {
        Locale::En => bare.replace('_', " "),
        _ => field_label(l, bare).to_lowercase(),
    };
    let text = |v: &str| FluentValue::from(v.to_string());
    for op in ["added", "removed", "made primary"] {
        if let Some(name) = change[op].as_str() {
            return match op {
                "added" => t_args(
                    l,
                    "timeline-added-to",
                    &[("field", text(&field)), ("name", text(name))],
                ),
                "removed" => t_args(
                    l,
                    "timeline-removed-from",
                    &[("field", text(&field)), ("name", text(name))],
                ),
                _ => t_args(l, "timeline-made-primary", &[("name", text(name))]),
            };
        }
    }
    t_args(l, "timeline-changed", &[("field", text(&field))])
}
