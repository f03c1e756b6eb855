//! Automations: create, change, list, delete, their run logs, and the builder's dry run.
//! Callers check who may manage them (the API: scope `config:manage`; pages: owners and
//! admins); this service checks the account's plan (PRO) and every rule of the definition
//! (see `domain::automation`). Ids are the records' UUIDs.

use crate::domain::{AccountId, DealId, Problem, QuoteId};
use serde_json::Value;

use crate::domain::automation::{
    self as rules, AutomationBody, AutomationLogView, AutomationView, ConditionCheck, Definition,
    Invalid, LogCount, RunSubject,
};
use crate::domain::dates::api_millis;
use crate::server::db::{self, Db};
use crate::server::error::{ServiceError, ServiceResult};

use crate::domain::audit::AuditAction;
use crate::server::services::{audit, Actor};

use super::snapshots;

/// Most log rows one page may hold.
pub const MAX_LOG_LIMIT: i64 = 100;

fn invalid(e: Invalid) -> ServiceError {
    ServiceError::invalid(e.field, e.message)
}

/// Refuses accounts whose plan lacks automations.
pub async fn check_plan(db: &Db, account_id: AccountId) -> ServiceResult<()> {
    let plan: Option<(String,)> = sqlx::query_as("SELECT plan FROM accounts WHERE id = $1")
        .bind(account_id)
        .fetch_optional(&db.pool)
        .await?;
    match plan {
        Some((p,)) if p.eq_ignore_ascii_case("pro") => Ok(()),
        Some(_) => Err(ServiceError::PlanRequired(
            "automations need the PRO plan; this account is on another plan".into(),
        )),
        None => Err(ServiceError::NotFound("account")),
    }
}

/// The account's label ids (for `add_label`).
async fn label_ids(db: &Db, account_id: AccountId) -> ServiceResult<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT uuid FROM labels WHERE account_id = $1")
        .bind(account_id)
        .fetch_all(&db.pool)
        .await?;
    Ok(rows.into_iter().map(|(u,)| u).collect())
}

async fn check_definition(
    db: &Db,
    account_id: AccountId,
    body: &AutomationBody,
) -> ServiceResult<Definition> {
    let labels = label_ids(db, account_id).await?;
    body.check(&|id| labels.iter().any(|l| l == id))
        .map_err(invalid)
}

/// Creates an automation from the API's JSON shape.
pub async fn create(db: &Db, actor: Actor, body: &AutomationBody) -> ServiceResult<AutomationView> {
    check_plan(db, actor.account_id).await?;
    let d = check_definition(db, actor.account_id, body).await?;
    let uuid = uuid::Uuid::new_v4().simple().to_string();
    let now = db::now();
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO automations (account_id, uuid, name, trigger_event, conditions, actions, delay_minutes, is_active, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(actor.account_id)
    .bind(&uuid)
    .bind(&d.name)
    .bind(&d.trigger)
    .bind(to_json(&d.conditions))
    .bind(to_json(&d.actions))
    .bind(d.delay_minutes)
    .bind(d.is_active as i64)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut *tx,
        actor,
        AuditAction::AutomationCreated,
        &d.name,
        Some(&d.trigger),
    )
    .await?;
    tx.commit().await?;
    get(db, actor, &uuid, false).await
}

fn to_json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

/// Changes the fields `change` sends; the result is checked whole, so a new trigger must
/// suit the conditions and actions it keeps.
pub async fn update(
    db: &Db,
    actor: Actor,
    id: &str,
    change: AutomationBody,
) -> ServiceResult<AutomationView> {
    check_plan(db, actor.account_id).await?;
    let current = get(db, actor, id, false).await?;
    let merged = AutomationBody::of(&current).changed_by(change);
    let d = check_definition(db, actor.account_id, &merged).await?;
    let mut tx = db.begin().await?;
    sqlx::query(
        "UPDATE automations SET name = $1, trigger_event = $2, conditions = $3, actions = $4, delay_minutes = $5, \
         is_active = $6, updated_at = $7 WHERE uuid = $8 AND account_id = $9",
    )
    .bind(&d.name)
    .bind(&d.trigger)
    .bind(to_json(&d.conditions))
    .bind(to_json(&d.actions))
    .bind(d.delay_minutes)
    .bind(d.is_active as i64)
    .bind(db::now())
    .bind(id)
    .bind(actor.account_id)
    .execute(&mut *tx)
    .await?;
    let state = if d.is_active { "active" } else { "paused" };
    audit::record(
        &mut *tx,
        actor,
        AuditAction::AutomationChanged,
        &d.name,
        Some(state),
    )
    .await?;
    tx.commit().await?;
    get(db, actor, id, false).await
}

/// Deletes an automation with all its logs (and its runs still waiting).
pub async fn delete(db: &Db, actor: Actor, id: &str) -> ServiceResult<()> {
    check_plan(db, actor.account_id).await?;
    let mut tx = db.begin().await?;
    let row: Option<(i64, String)> =
        sqlx::query_as("SELECT id, name FROM automations WHERE uuid = $1 AND account_id = $2")
            .bind(id)
            .bind(actor.account_id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((automation_id, name)) = row else {
        return Err(ServiceError::NotFound("automation"));
    };
    sqlx::query("DELETE FROM automation_logs WHERE automation_id = $1 AND account_id = $2")
        .bind(automation_id)
        .bind(actor.account_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM automations WHERE id = $1")
        .bind(automation_id)
        .execute(&mut *tx)
        .await?;
    audit::record(&mut *tx, actor, AuditAction::AutomationDeleted, &name, None).await?;
    tx.commit().await?;
    Ok(())
}

/// An automation as stored (conditions and actions as JSON text).
#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    uuid: String,
    name: String,
    trigger_event: String,
    conditions: String,
    actions: String,
    delay_minutes: i64,
    is_active: i64,
    created_at: String,
    updated_at: String,
}

const COLUMNS: &str = "id, uuid, name, trigger_event, conditions, actions, delay_minutes, is_active, created_at, updated_at";

fn view(r: Row, logs: i64, last: Option<String>) -> AutomationView {
    AutomationView {
        id: r.uuid,
        name: r.name,
        trigger: r.trigger_event,
        conditions: serde_json::from_str(&r.conditions).unwrap_or_default(),
        actions: serde_json::from_str(&r.actions).unwrap_or_default(),
        delay_minutes: r.delay_minutes,
        is_active: r.is_active != 0,
        created_at: api_millis(&r.created_at),
        updated_at: api_millis(&r.updated_at),
        count: LogCount { logs },
        last_run_status: last,
        logs: None,
    }
}

/// The account's automations, newest first, with their run counts and last run status.
pub async fn list(db: &Db, actor: Actor) -> ServiceResult<Vec<AutomationView>> {
    check_plan(db, actor.account_id).await?;
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM automations WHERE account_id = $1 ORDER BY id DESC"
    ))
    .bind(actor.account_id)
    .fetch_all(&db.pool)
    .await?;
    let counts: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT automation_id, COUNT(*) FROM automation_logs WHERE account_id = $1 GROUP BY automation_id",
    )
    .bind(actor.account_id)
    .fetch_all(&db.pool)
    .await?;
    let lasts: Vec<(i64, String)> = sqlx::query_as(
        "SELECT l.automation_id, l.status FROM automation_logs l \
         WHERE l.account_id = $1 AND l.id = (SELECT MAX(m.id) FROM automation_logs m WHERE m.automation_id = l.automation_id)",
    )
    .bind(actor.account_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let id = r.id;
            let count = counts.iter().find(|c| c.0 == id).map_or(0, |c| c.1);
            let last = lasts.iter().find(|l| l.0 == id).map(|l| l.1.clone());
            view(r, count, last)
        })
        .collect())
}

/// One automation; with `with_logs`, its last 10 runs.
pub async fn get(
    db: &Db,
    actor: Actor,
    id: &str,
    with_logs: bool,
) -> ServiceResult<AutomationView> {
    check_plan(db, actor.account_id).await?;
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM automations WHERE uuid = $1 AND account_id = $2"
    ))
    .bind(id)
    .bind(actor.account_id)
    .fetch_optional(&db.pool)
    .await?;
    let row = row.ok_or(ServiceError::NotFound("automation"))?;
    let automation_id = row.id;
    let (logs, total) = log_page(db, actor, automation_id, id, 1, 10, None).await?;
    let logs: Vec<AutomationLogView> = logs.into_iter().map(|(log, _)| log).collect();
    let last = logs.first().map(|l| l.status.clone());
    let mut v = view(row, total, last);
    if with_logs {
        v.logs = Some(logs);
    }
    Ok(v)
}

/// A page of an automation's runs, newest first, optionally of one status; with the total.
pub async fn logs(
    db: &Db,
    actor: Actor,
    id: &str,
    page: i64,
    limit: i64,
    status: Option<&str>,
) -> ServiceResult<(Vec<AutomationLogView>, i64)> {
    let (runs, total) = runs(db, actor, id, page, limit, status).await?;
    Ok((runs.into_iter().map(|(log, _)| log).collect(), total))
}

/// A page of an automation's run logs as [`logs`] reads them, each with what it ran for (the
/// deal or quote the run log links).
pub async fn runs(
    db: &Db,
    actor: Actor,
    id: &str,
    page: i64,
    limit: i64,
    status: Option<&str>,
) -> ServiceResult<(Vec<(AutomationLogView, RunSubject)>, i64)> {
    check_plan(db, actor.account_id).await?;
    if !(1..=MAX_LOG_LIMIT).contains(&limit) {
        return Err(ServiceError::invalid(
            "limit",
            Problem::Range { from: 1, to: 100 },
        ));
    }
    if page < 1 {
        return Err(ServiceError::invalid("page", Problem::OneOrMore));
    }
    if let Some(s) = status {
        if !["TRIGGERED", "COMPLETED", "FAILED"].contains(&s) {
            return Err(ServiceError::invalid(
                "status",
                "must be TRIGGERED, COMPLETED or FAILED",
            ));
        }
    }
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM automations WHERE uuid = $1 AND account_id = $2")
            .bind(id)
            .bind(actor.account_id)
            .fetch_optional(&db.pool)
            .await?;
    let (automation_id,) = row.ok_or(ServiceError::NotFound("automation"))?;
    log_page(db, actor, automation_id, id, page, limit, status).await
}

/// A run log as read, with the public ids of its quote and deal.
#[derive(sqlx::FromRow)]
struct LogRow {
    uuid: String,
    quote_uuid: Option<String>,
    deal_uuid: Option<String>,
    quote_ref: Option<QuoteId>,
    quote_number: Option<i64>,
    deal_ref: Option<DealId>,
    deal_title: Option<String>,
    status: String,
    triggered_at: String,
    completed_at: Option<String>,
    error: Option<String>,
}

async fn log_page(
    db: &Db,
    actor: Actor,
    automation_id: i64,
    automation_uuid: &str,
    page: i64,
    limit: i64,
    status: Option<&str>,
) -> ServiceResult<(Vec<(AutomationLogView, RunSubject)>, i64)> {
    let status_filter = if status.is_some() {
        " AND l.status = $3"
    } else {
        ""
    };
    let count_sql = format!(
        "SELECT COUNT(*) FROM automation_logs l WHERE l.automation_id = $1 AND l.account_id = $2{status_filter}"
    );
    let mut count = sqlx::query_as::<_, (i64,)>(&count_sql)
        .bind(automation_id)
        .bind(actor.account_id);
    if let Some(s) = status {
        count = count.bind(s);
    }
    let (total,) = count.fetch_one(&db.pool).await?;
    let offset = (page - 1).saturating_mul(limit);
    let (lim, off) = if status.is_some() {
        ("$4", "$5")
    } else {
        ("$3", "$4")
    };
    let page_sql = format!(
        "SELECT l.uuid, q.uuid AS quote_uuid, d.uuid AS deal_uuid, q.id AS quote_ref, \
         q.number AS quote_number, d.id AS deal_ref, d.title AS deal_title, l.status, l.triggered_at, l.completed_at, l.error \
         FROM automation_logs l LEFT JOIN quotes q ON q.id = l.quote_id LEFT JOIN deals d ON d.id = l.deal_id \
         WHERE l.automation_id = $1 AND l.account_id = $2{status_filter} ORDER BY l.id DESC LIMIT {lim} OFFSET {off}"
    );
    let mut q = sqlx::query_as::<_, LogRow>(&page_sql)
        .bind(automation_id)
        .bind(actor.account_id);
    if let Some(s) = status {
        q = q.bind(s);
    }
    let rows = q.bind(limit).bind(offset).fetch_all(&db.pool).await?;
    let logs = rows
        .into_iter()
        .map(|r| {
            let subject = RunSubject {
                deal: r.deal_ref.zip(r.deal_title),
                quote: r.quote_ref.zip(r.quote_number),
            };
            let log = AutomationLogView {
                id: r.uuid,
                automation_id: automation_uuid.to_string(),
                quote_id: r.quote_uuid,
                deal_id: r
                    .deal_uuid
                    .map(|u| crate::domain::public_id::public_id("opp", &u)),
                tenant_id: actor.account_id.to_string(),
                status: r.status,
                triggered_at: api_millis(&r.triggered_at),
                completed_at: r.completed_at.as_deref().map(api_millis),
                error: r.error,
            };
            (log, subject)
        })
        .collect();
    Ok((logs, total))
}

/// What a record would be tested against: `quote:<number>` or `deal:<id>` (as the builder's
/// picker names them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TryTarget {
    QuoteNumber(i64),
    Deal(i64),
}

/// The builder's dry run: evaluates `conditions` (checked for `trigger`) against a quote or
/// deal of the account and says which pass. Runs no action.
pub async fn try_conditions(
    db: &Db,
    actor: Actor,
    trigger: &str,
    conditions: &[Value],
    target: TryTarget,
) -> ServiceResult<Vec<ConditionCheck>> {
    check_plan(db, actor.account_id).await?;
    let trigger = rules::validate_trigger(Some(trigger)).map_err(invalid)?;
    let conditions = rules::validate_conditions(&trigger, conditions).map_err(invalid)?;
    let snapshot = match target {
        TryTarget::QuoteNumber(n) => {
            if !rules::is_quote_trigger(&trigger) {
                return Err(ServiceError::invalid("target", Problem::PickADeal));
            }
            let row: Option<(i64,)> =
                sqlx::query_as("SELECT id FROM quotes WHERE account_id = $1 AND number = $2")
                    .bind(actor.account_id)
                    .bind(n)
                    .fetch_optional(&db.pool)
                    .await?;
            let (id,) = row.ok_or(ServiceError::NotFound("quote"))?;
            snapshots::quote_snapshot(db, actor.account_id, id).await?
        }
        TryTarget::Deal(id) => {
            if rules::is_quote_trigger(&trigger) {
                return Err(ServiceError::invalid("target", Problem::PickAQuote));
            }
            snapshots::deal_snapshot(db, actor.account_id, DealId(id), &Value::Null).await?
        }
    };
    let snapshot = snapshot.ok_or(ServiceError::NotFound("record"))?;
    Ok(rules::check_each(&conditions, &snapshot))
}

/// The stage keys of the account's pipelines as `(key, names)`, for the builder's stage
/// conditions: one entry per key, named by its stages' names (several when pipelines name
/// the same key differently), in the pipelines' order.
pub async fn stage_choices(db: &Db, account_id: AccountId) -> ServiceResult<Vec<(String, String)>> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT s.key, s.name FROM stages s JOIN pipelines p ON p.id = s.pipeline_id \
         WHERE s.account_id = $1 ORDER BY p.is_primary DESC, p.position, p.id, s.position, s.id",
    )
    .bind(account_id)
    .fetch_all(&db.pool)
    .await?;
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    for (key, name) in rows {
        match out.iter_mut().find(|(k, _)| *k == key) {
            Some((_, names)) if !names.contains(&name) => names.push(name),
            Some(_) => {}
            None => out.push((key, vec![name])),
        }
    }
    Ok(out
        .into_iter()
        .map(|(key, names)| (key, names.join(" / ")))
        .collect())
}

/// The account's labels as `(id, name)`, for the builder's `add_label` picker.
pub async fn label_choices(db: &Db, account_id: AccountId) -> ServiceResult<Vec<(String, String)>> {
    Ok(
        sqlx::query_as("SELECT uuid, name FROM labels WHERE account_id = $1 ORDER BY name")
            .bind(account_id)
            .fetch_all(&db.pool)
            .await?,
    )
}
