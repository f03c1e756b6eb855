//! Deals: everything that creates, moves, changes or closes one, and the views that read them.
//!
//! | module | holds |
//! |---|---|
//! | this file | the stored deal ([`Deal`]), lookups, the deal's row lock, its timeline events |
//! | [`create`] | new deals (pages, API, demo) |
//! | [`moves`] | stage and place in the column (gapped positions, renumbering) |
//! | [`edit`] | the deal's own fields (title, value, owner, …) |
//! | [`closing`] | won, lost, reopened |
//! | [`status`] | one status word: a stage key, `won` or `lost` (the stage-update API) |
//! | [`update`] | a change of fields, contact, place, status and attributes at once |
//! | [`records`] | create, update and upsert as the accounts API names them |
//! | [`intake`] | a lead with the people, tags, followers and note it brings |
//! | [`links`] | persons (one primary), assignees, followers, tags, custom attributes |
//! | [`products`], [`notes`] | line items, notes |
//! | [`board`], [`page`] | read views: a pipeline's cards, the deal page |
//!
//! **One use case, one transaction.** A `pub async fn` that takes `&Db` and writes is a use
//! case: it begins the transaction, passes `&mut Tx` down to its steps (the functions taking
//! `&mut Tx`, which never begin or commit), and commits once. A failure at any step rolls the
//! whole change back.
//!
//! **Visibility.** A deal's `visibility` says who sees it (document 002: 0 private, 1 team,
//! 2 public). Owners and admins of the account, and callers acting for the account without
//! a user (API keys of no user, the system), see every deal. A salesperson sees a deal that
//! is public (2); that they are responsible for, created, or are assigned to (any
//! visibility); or that they follow when it is visible to its team (1). Every read and write
//! of deals by an actor goes through [`visible_to`]: a deal the actor may not see is "not
//! found", exactly as another account's deal is.
//!
//! **Lock order.** Writers take their locks in one order, so that two of them never wait for
//! each other: the account row (new contacts, organizations and deal codes), then the pipeline,
//! then the stage, then the deal.

pub mod board;
pub mod bulk;
pub mod closing;
pub mod create;
pub mod delete;
pub mod edit;
pub mod intake;
pub mod links;
pub mod moves;
pub mod notes;
pub mod page;
pub mod products;
pub mod records;
pub mod status;
pub mod table;
pub mod update;
pub mod views;

use sqlx::{Any, Executor};

use crate::domain::{
    AccountId, ContactId, DealId, DealStatus, OrganizationId, PipelineId, Problem, StageId, UserId,
};
use crate::server::db::{self, Db, Tx};
use crate::server::error::{ServiceError, ServiceResult};

use super::automations::events::{self, Subject};
use super::webhooks::{self, WebhookEvent};
use super::Actor;

pub use create::{create_deal, NewDeal};
pub use moves::{move_deal, stage_positions, Slot};

/// The core fields of a stored deal.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Deal {
    pub id: DealId,
    pub account_id: AccountId,
    pub uuid: String,
    pub code: i64,
    pub title: String,
    pub value_cents: i64,
    pub currency: String,
    #[sqlx(try_from = "String")]
    pub status: DealStatus,
    pub pipeline_id: PipelineId,
    pub stage_id: StageId,
    pub position: i64,
    pub responsible_user_id: Option<UserId>,
    pub contact_id: Option<ContactId>,
    pub organization_id: Option<OrganizationId>,
    pub lead_source_id: Option<i64>,
    pub expected_close_date: Option<String>,
    pub temperature: Option<i64>,
    pub quality_rating: Option<i64>,
    pub quality_reason: Option<String>,
    pub visibility: i64,
    pub won_at: Option<String>,
    pub lost_at: Option<String>,
    pub lost_reason: String,
    pub final_value_cents: Option<i64>,
    pub close_notes: Option<String>,
    pub stage_changed_at: String,
    pub created_at: String,
    pub updated_at: String,
}

/// The columns of [`Deal`], for `SELECT` and `RETURNING`.
pub(crate) const DEAL_COLUMNS: &str =
    "id, account_id, uuid, code, title, value_cents, currency, status, pipeline_id, stage_id, \
     position, responsible_user_id, contact_id, organization_id, lead_source_id, expected_close_date, \
     temperature, quality_rating, quality_reason, visibility, won_at, lost_at, lost_reason, \
     final_value_cents, close_notes, stage_changed_at, created_at, updated_at";

/// SQL that holds when the deal `deal` (a table name or alias) is visible to the user bound
/// at `user` (a placeholder such as `$3`, bound to the actor's user id or NULL); see the
/// module's doc for the rule. The one place the rule is written.
pub(crate) fn visible_to(deal: &str, user: &str) -> String {
    format!(
        "({user} IS NULL OR {deal}.visibility >= 2 \
         OR {deal}.responsible_user_id = {user} OR {deal}.created_by_id = {user} \
         OR EXISTS (SELECT 1 FROM deal_assignees va WHERE va.deal_id = {deal}.id AND va.user_id = {user}) \
         OR ({deal}.visibility >= 1 AND EXISTS \
             (SELECT 1 FROM deal_followers vf WHERE vf.deal_id = {deal}.id AND vf.user_id = {user})) \
         OR EXISTS (SELECT 1 FROM users vu WHERE vu.id = {user} AND vu.role IN ('owner', 'admin')))"
    )
}

/// Whether the actor sees every deal of the account (no user, or an owner or admin): long
/// reads then leave the visibility rule out of their SQL.
pub(crate) async fn sees_all(db: &Db, actor: Actor) -> ServiceResult<bool> {
    let Some(user) = actor.user_id else {
        return Ok(true);
    };
    let role: Option<(String,)> =
        sqlx::query_as("SELECT role FROM users WHERE id = $1 AND account_id = $2")
            .bind(user)
            .bind(actor.account_id)
            .fetch_optional(&db.pool)
            .await?;
    Ok(role.is_some_and(|(r,)| r == "owner" || r == "admin"))
}

/// Appends ` AND` the visibility rule for deal `deal` (an alias) and the actor's user.
pub(crate) fn push_visible(q: &mut db::SqlBuilder, deal: &str, actor: Actor) {
    let user = q.placeholder(db::Arg::Int(actor.user_id.map(i64::from)));
    q.push(" AND ").push(&visible_to(deal, &user));
}

/// A deal of the actor's account that the actor may see, read through `ex` (the pool, or a
/// transaction's connection).
pub async fn find<'e, E>(ex: E, actor: Actor, deal_id: DealId) -> ServiceResult<Deal>
where
    E: Executor<'e, Database = Any>,
{
    sqlx::query_as(&format!(
        "SELECT {DEAL_COLUMNS} FROM deals WHERE id = $1 AND account_id = $2 AND {}",
        visible_to("deals", "$3")
    ))
    .bind(deal_id)
    .bind(actor.account_id)
    .bind(actor.user_id)
    .fetch_optional(ex)
    .await?
    .ok_or(ServiceError::NotFound("deal"))
}

/// How many deals the account has, when a list of them all (`filter_free`) is what the actor
/// sees (every deal: see [`sees_all`]); kept on the account row as deals come and go, so a
/// list's total costs no count. `None`: the list counts its own.
pub(crate) async fn count_all(
    db: &Db,
    actor: Actor,
    filter_free: bool,
) -> ServiceResult<Option<i64>> {
    if !filter_free || !sees_all(db, actor).await? {
        return Ok(None);
    }
    let row: Option<(i64,)> = sqlx::query_as("SELECT deal_count FROM accounts WHERE id = $1")
        .bind(actor.account_id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.map(|(n,)| n))
}

/// Most deals a picker lists.
pub const PICK_LIMIT: i64 = 200;

/// The open deals the actor may see, most recently changed first, at most [`PICK_LIMIT`], as
/// `(id, title)` choices for pickers (an activity's deal).
pub async fn pick_list(
    db: &Db,
    actor: Actor,
) -> ServiceResult<Vec<crate::domain::catalog::Choice>> {
    let rows: Vec<(i64, String)> = sqlx::query_as(&format!(
        "SELECT d.id, d.title FROM deals d WHERE d.account_id = $1 AND d.status = 'open' AND {} \
         ORDER BY d.updated_at DESC, d.id DESC LIMIT $3",
        visible_to("d", "$2")
    ))
    .bind(actor.account_id)
    .bind(actor.user_id)
    .bind(PICK_LIMIT)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| crate::domain::catalog::Choice { id, name })
        .collect())
}

/// Loads a deal of the actor's account.
pub async fn get_deal(db: &Db, actor: Actor, deal_id: DealId) -> ServiceResult<Deal> {
    find(&db.pool, actor, deal_id).await
}

/// The id of the account's deal with this UUID (public APIs name deals by UUID), when the
/// actor may see it.
pub async fn deal_id_by_uuid(db: &Db, actor: Actor, uuid: &str) -> ServiceResult<DealId> {
    let row: Option<(DealId,)> = sqlx::query_as(&format!(
        "SELECT id FROM deals WHERE uuid = $1 AND account_id = $2 AND {}",
        visible_to("deals", "$3")
    ))
    .bind(uuid)
    .bind(actor.account_id)
    .bind(actor.user_id)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|(id,)| id).ok_or(ServiceError::NotFound("deal"))
}

/// The id of the account's row of `table` with this UUID; a form error on `field` otherwise.
pub async fn id_by_uuid<'e, E>(
    ex: E,
    table: &'static str,
    account_id: AccountId,
    uuid: &str,
    field: &str,
) -> ServiceResult<i64>
where
    E: Executor<'e, Database = Any>,
{
    let row: Option<(i64,)> = sqlx::query_as(&format!(
        "SELECT id FROM {table} WHERE uuid = $1 AND account_id = $2"
    ))
    .bind(uuid)
    .bind(account_id)
    .fetch_optional(ex)
    .await?;
    row.map(|(id,)| id)
        .ok_or_else(|| ServiceError::invalid(field, Problem::NotFoundHere))
}

/// Takes the deal's row lock (a write first, so concurrent changes of one deal queue up and
/// SQLite's transaction becomes a writer at once) and answers the deal as it is; "not found"
/// for another account's deal and for one the actor may not see.
pub(crate) async fn lock(tx: &mut Tx, actor: Actor, deal_id: DealId) -> ServiceResult<Deal> {
    sqlx::query_as(&format!(
        "UPDATE deals SET updated_at = $1 WHERE id = $2 AND account_id = $3 AND {} \
         RETURNING {DEAL_COLUMNS}",
        visible_to("deals", "$4")
    ))
    .bind(db::now())
    .bind(deal_id)
    .bind(actor.account_id)
    .bind(actor.user_id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(ServiceError::NotFound("deal"))
}

/// Refuses an id that is not a row of `table` in the account, naming the form `field`.
pub(crate) async fn check_in_account<'e, E>(
    ex: E,
    table: &'static str,
    id: impl Into<i64>,
    account_id: AccountId,
    field: &str,
) -> ServiceResult<()>
where
    E: Executor<'e, Database = Any>,
{
    let found: Option<(i64,)> = sqlx::query_as(&format!(
        "SELECT id FROM {table} WHERE id = $1 AND account_id = $2"
    ))
    .bind(id.into())
    .bind(account_id)
    .fetch_optional(ex)
    .await?;
    found
        .map(|_| ())
        .ok_or_else(|| ServiceError::invalid(field, Problem::NotFoundHere))
}

/// What happened to a deal, as its timeline records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Opened,
    StageChanged,
    FieldChanged,
    Won,
    Lost,
    Reopened,
    ProductAdded,
    ProductRemoved,
    QuoteCreated,
    QuoteSent,
    QuoteAccepted,
    QuoteRejected,
    QuoteWon,
    QuoteLost,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Opened => "opened",
            EventKind::StageChanged => "stage_changed",
            EventKind::FieldChanged => "field_changed",
            EventKind::Won => "won",
            EventKind::Lost => "lost",
            EventKind::Reopened => "reopened",
            EventKind::ProductAdded => "product_added",
            EventKind::ProductRemoved => "product_removed",
            EventKind::QuoteCreated => "quote_created",
            EventKind::QuoteSent => "quote_sent",
            EventKind::QuoteAccepted => "quote_accepted",
            EventKind::QuoteRejected => "quote_rejected",
            EventKind::QuoteWon => "quote_won",
            EventKind::QuoteLost => "quote_lost",
        }
    }

    /// The event of a quote of the deal reaching `status` (`ACCEPTED`, `WON`, …).
    pub fn quote_reached(status: &str) -> Option<EventKind> {
        match status {
            "SENT" => Some(EventKind::QuoteSent),
            "ACCEPTED" => Some(EventKind::QuoteAccepted),
            "REJECTED" => Some(EventKind::QuoteRejected),
            "WON" => Some(EventKind::QuoteWon),
            "LOST" => Some(EventKind::QuoteLost),
            _ => None,
        }
    }

    /// The automation trigger this kind of event fires, if any.
    pub fn trigger(self) -> Option<&'static str> {
        match self {
            EventKind::Opened => Some("DEAL_CREATED"),
            EventKind::StageChanged => Some("DEAL_STAGE_CHANGED"),
            EventKind::Won => Some("DEAL_WON"),
            EventKind::Lost => Some("DEAL_LOST"),
            _ => None,
        }
    }

    /// The webhook event this kind of event is, if any (a quote's entries are not: quotes
    /// have events of their own).
    pub fn webhook(self) -> Option<WebhookEvent> {
        match self {
            EventKind::Opened => Some(WebhookEvent::DealCreated),
            EventKind::StageChanged => Some(WebhookEvent::DealStageChanged),
            EventKind::FieldChanged | EventKind::ProductAdded | EventKind::ProductRemoved => {
                Some(WebhookEvent::DealUpdated)
            }
            EventKind::Won => Some(WebhookEvent::DealWon),
            EventKind::Lost => Some(WebhookEvent::DealLost),
            EventKind::Reopened => Some(WebhookEvent::DealReopened),
            _ => None,
        }
    }
}

/// Records a timeline entry of `kind` for the deal (with the stages it moved between and
/// its `data`), and the automation and webhook events it raises for whoever listens.
pub async fn record_event(
    tx: &mut Tx,
    actor: Actor,
    deal_id: DealId,
    kind: EventKind,
    stages: StageMove,
    data: serde_json::Value,
) -> ServiceResult<()> {
    record_entries(tx, actor, kind, &[(deal_id, stages)], &data).await
}

/// The stages a timeline entry names: the one the deal left and the one it entered.
pub type StageMove = (Option<StageId>, Option<StageId>);

/// [`record_event`] for many deals at once, each with its stages and empty data (deals
/// created together).
pub(crate) async fn record_events(
    tx: &mut Tx,
    actor: Actor,
    kind: EventKind,
    deals: &[(DealId, StageMove)],
) -> ServiceResult<()> {
    record_entries(tx, actor, kind, deals, &serde_json::json!({})).await
}

async fn record_entries(
    tx: &mut Tx,
    actor: Actor,
    kind: EventKind,
    deals: &[(DealId, StageMove)],
    data: &serde_json::Value,
) -> ServiceResult<()> {
    let trigger = kind.trigger();
    let hook = kind.webhook();
    let now = db::now();
    let data_text = data.to_string();
    for chunk in deals.chunks(200) {
        // The insert also answers whether an automation and a webhook listen (statements fewer
        // on the board's hot path, the move).
        let mut q = db::SqlBuilder::new(
            "INSERT INTO deal_events (account_id, deal_id, user_id, kind, from_stage_id, to_stage_id, data, created_at) VALUES ",
        );
        q.values(chunk.iter().map(|(deal_id, (from, to))| {
            vec![
                db::Arg::Int(Some(actor.account_id.into())),
                db::Arg::Int(Some((*deal_id).into())),
                db::Arg::Int(actor.user_id.map(i64::from)),
                db::Arg::Text(Some(kind.as_str().to_string())),
                db::Arg::Int(from.map(i64::from)),
                db::Arg::Int(to.map(i64::from)),
                db::Arg::Text(Some(data_text.clone())),
                db::Arg::Text(Some(now.clone())),
            ]
        }));
        let account = q.placeholder(db::Arg::Int(Some(actor.account_id.into())));
        let trigger_at = q.placeholder(db::Arg::Text(trigger.map(str::to_string)));
        let hook_at = q.placeholder(db::Arg::Text(hook.map(webhooks::events::pattern)));
        q.push(&format!(
            " RETURNING deal_id, {}, {}",
            events::listener_subquery(&account, &trigger_at),
            webhooks::events::listener_subquery(&account, &hook_at)
        ));
        let mut heard: Vec<(DealId, Option<i64>, Option<i64>)> =
            q.query_as().fetch_all(&mut **tx).await?;
        // RETURNING gives no order; the events go in the list's.
        let at = |deal: DealId| chunk.iter().position(|(d, _)| *d == deal);
        heard.sort_by_key(|(deal, _, _)| at(*deal));
        for (deal_id, listener, subscriber) in heard {
            let stages = at(deal_id).map_or((None, None), |i| chunk[i].1);
            if let (Some(trigger), Some(_)) = (trigger, listener) {
                event_for_automations(tx, actor, deal_id, trigger, stages.0).await?;
            }
            if subscriber.is_some() {
                event_for_webhooks(tx, actor, deal_id, kind, stages.0, data).await?;
            }
        }
    }
    Ok(())
}

/// Records the webhook event of a timeline entry of `kind` (with its `data`) for the
/// subscriptions that listen to it: a stage change names the stage the deal left, a change
/// what changed.
pub(crate) async fn event_for_webhooks(
    tx: &mut Tx,
    actor: Actor,
    deal_id: DealId,
    kind: EventKind,
    from_stage_id: Option<StageId>,
    data: &serde_json::Value,
) -> ServiceResult<()> {
    let Some(event) = kind.webhook() else {
        return Ok(());
    };
    let changes = match kind {
        EventKind::FieldChanged => Some(data["changes"].clone()),
        EventKind::ProductAdded | EventKind::ProductRemoved => {
            let op = if kind == EventKind::ProductAdded {
                "added"
            } else {
                "removed"
            };
            let total = data["total_cents"]
                .as_i64()
                .map(crate::domain::money::cents_to_f64);
            Some(serde_json::json!([{
                "field": "products",
                op: data["product"],
                "quantity": data["quantity"],
                "total": total,
            }]))
        }
        _ => None,
    };
    let previous_stage = from_stage_id.filter(|_| event == WebhookEvent::DealStageChanged);
    let subject = webhooks::Subject::Deal {
        id: deal_id,
        previous_stage,
        changes,
    };
    webhooks::emit(tx, actor.account_id, event, subject).await
}

/// Records a deal's `trigger` for the automations that listen to it; a stage change carries
/// the key of the stage the deal left (`previousStage`).
pub(crate) async fn event_for_automations(
    tx: &mut Tx,
    actor: Actor,
    deal_id: DealId,
    trigger: &str,
    from_stage_id: Option<StageId>,
) -> ServiceResult<()> {
    let mut extra = serde_json::json!({});
    if let Some(from) = from_stage_id {
        let key: Option<(String,)> = sqlx::query_as("SELECT key FROM stages WHERE id = $1")
            .bind(from)
            .fetch_optional(&mut **tx)
            .await?;
        extra["previousStage"] = serde_json::json!(key.map(|(k,)| k));
    }
    events::record(tx, actor.account_id, trigger, Subject::Deal(deal_id), extra).await
}
