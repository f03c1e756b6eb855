//! Reads a deal with its choices and timeline for the deal page.

use crate::domain::deal::{DealDetail, TimelineEntry};
use crate::domain::money::format_money;
use crate::server::db::Db;
use crate::server::error::{ServiceError, ServiceResult};

use super::{accounts, settings, Actor};

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    code: i64,
    title: String,
    value_cents: i64,
    currency: String,
    status: String,
    pipeline_id: i64,
    pipeline_name: String,
    stage_name: String,
    expected_close_date: Option<String>,
    responsible_user_id: Option<i64>,
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
}

/// The deal page's data; "not found" for another account's deal.
pub async fn load(db: &Db, actor: Actor, deal_id: i64) -> ServiceResult<DealDetail> {
    let r: Row = sqlx::query_as(
        "SELECT d.id, d.code, d.title, d.value_cents, d.currency, d.status, d.pipeline_id, \
         p.name AS pipeline_name, s.name AS stage_name, d.expected_close_date, d.responsible_user_id, \
         d.quality_rating, d.quality_reason, d.visibility, d.temperature, d.won_at, d.lost_at, \
         d.lost_reason, d.final_value_cents, d.close_notes, d.marketing \
         FROM deals d JOIN pipelines p ON p.id = d.pipeline_id JOIN stages s ON s.id = d.stage_id \
         WHERE d.id = $1 AND d.account_id = $2",
    )
    .bind(deal_id)
    .bind(actor.account_id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(ServiceError::NotFound("deal"))?;
    let marketing =
        serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&r.marketing)
            .map(|m| {
                m.into_iter()
                    .map(|(k, v)| {
                        (
                            k,
                            v.as_str()
                                .map(str::to_string)
                                .unwrap_or_else(|| v.to_string()),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
    Ok(DealDetail {
        id: r.id,
        code: r.code,
        title: r.title,
        value_cents: r.value_cents,
        currency: r.currency,
        status: r.status,
        pipeline_id: r.pipeline_id,
        pipeline_name: r.pipeline_name,
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
        marketing,
        users: accounts::list_users(db, actor.account_id).await?,
        lost_reasons: settings::lost_reasons(db, actor.account_id)
            .await?
            .into_iter()
            .map(|r| r.name)
            .collect(),
        timeline: timeline(db, actor, deal_id).await?,
    })
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

async fn timeline(db: &Db, actor: Actor, deal_id: i64) -> ServiceResult<Vec<TimelineEntry>> {
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

/// A human sentence for an event.
fn describe(kind: &str, data: &serde_json::Value, from: Option<&str>, to: Option<&str>) -> String {
    match kind {
        "opened" => format!("Deal opened in {}", to.unwrap_or("its first stage")),
        "stage_changed" => format!(
            "Stage changed: {} → {}",
            from.unwrap_or("?"),
            to.unwrap_or("?")
        ),
        "won" => match data["final_value_cents"].as_i64() {
            Some(v) => {
                format!("Marked won (final value {})", format_money(v, "")).replace("( ", "(")
            }
            None => "Marked won".into(),
        },
        "lost" => format!("Marked lost: {}", data["reason"].as_str().unwrap_or("")),
        "reopened" => "Reopened".into(),
        "field_changed" => {
            let fields: Vec<&str> = data["changes"]
                .as_array()
                .map(|c| c.iter().filter_map(|x| x["field"].as_str()).collect())
                .unwrap_or_default();
            format!("Changed {}", fields.join(", ").replace('_', " "))
        }
        other => other.replace('_', " "),
    }
}
