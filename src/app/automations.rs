//! Automations for owners and admins: `/automations` (list with on/off, run counts, last run),
//! the builder at `/automations/new` and `/automations/:id` (trigger, conditions whose
//! operators and value input follow the field's type, ordered action cards, delay, a dry run
//! against a quote or deal), the run log at `/automations/:id/logs`, and `/outbox`.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde_json::{json, Map, Value};

use crate::app::error::AppError;
use crate::domain::automation::{
    self as rules, Action, AutomationLogView, AutomationView, ConditionCheck, EmailTo, FieldType,
    Operator, RunSubject, QUOTE_STATUSES, TRIGGERS,
};
use crate::domain::outbox::{OutboxEmail, OUTBOX_PAGE};
use crate::i18n::{tr, tr_args};

use super::clock::when;
use super::feedback::{ErrorBanner, RpcForm};

/// Log rows per page in the run log.
const LOG_PAGE: i64 = 20;

/// The account's automations.
#[server(prefix = "/rpc", endpoint = "automations")]
pub async fn automations_list() -> Result<Vec<AutomationView>, AppError> {
    use super::server_ctx::configurer;
    use crate::server::services::{automations, Actor};
    let (state, me) = configurer().await?;
    automations::list(&state.db, Actor::from(&me))
        .await
        .map_err(AppError::from)
}

/// One automation, for the builder.
#[server(prefix = "/rpc", endpoint = "automation")]
pub async fn automation_get(id: String) -> Result<AutomationView, AppError> {
    use super::server_ctx::configurer;
    use crate::server::services::{automations, Actor};
    let (state, me) = configurer().await?;
    automations::get(&state.db, Actor::from(&me), &id, false)
        .await
        .map_err(AppError::from)
}

/// Saves a definition (the API's JSON shape); an empty `id` creates. Answers the id.
#[server(prefix = "/rpc", endpoint = "save_automation")]
pub async fn save_automation(id: String, definition: String) -> Result<String, AppError> {
    use super::server_ctx::configurer;
    use crate::domain::automation::AutomationBody;
    use crate::server::services::{automations, Actor};
    use crate::server::ServiceError;
    let (state, me) = configurer().await?;
    let body: AutomationBody = serde_json::from_str(&definition).map_err(|e| {
        ServiceError::invalid(
            "body",
            tr_args(
                "auto-error-not-an-automation",
                &[("error", e.to_string().into())],
            ),
        )
    })?;
    let actor = Actor::from(&me);
    let saved = if id.is_empty() {
        automations::create(&state.db, actor, &body).await
    } else {
        automations::update(&state.db, actor, &id, body).await
    };
    saved.map(|a| a.id).map_err(AppError::from)
}

/// Turns an automation on or off.
#[server(prefix = "/rpc", endpoint = "set_automation_active")]
pub async fn set_automation_active(id: String, active: bool) -> Result<(), AppError> {
    use super::server_ctx::configurer;
    use crate::domain::automation::AutomationBody;
    use crate::server::services::{automations, Actor};
    let (state, me) = configurer().await?;
    let change = AutomationBody {
        is_active: Some(active),
        ..AutomationBody::default()
    };
    automations::update(&state.db, Actor::from(&me), &id, change)
        .await
        .map(|_| ())
        .map_err(AppError::from)
}

/// Deletes an automation and its logs.
#[server(prefix = "/rpc", endpoint = "delete_automation")]
pub async fn delete_automation(id: String) -> Result<(), AppError> {
    use super::server_ctx::configurer;
    use crate::server::services::{automations, Actor};
    let (state, me) = configurer().await?;
    automations::delete(&state.db, Actor::from(&me), &id)
        .await
        .map_err(AppError::from)
}

/// The dry run: which conditions pass for quote number `target` (quote triggers) or deal id
/// `target` (deal triggers). Runs no action.
#[server(prefix = "/rpc", endpoint = "try_automation")]
pub async fn try_automation(
    trigger: String,
    conditions: String,
    target: String,
) -> Result<Vec<ConditionCheck>, AppError> {
    use super::server_ctx::configurer;
    use crate::server::services::automations::{self, TryTarget};
    use crate::server::services::Actor;
    use crate::server::ServiceError;
    let (state, me) = configurer().await?;
    let conditions: Vec<Value> = serde_json::from_str(&conditions)
        .map_err(|_| ServiceError::invalid("conditions", tr("auto-error-not-a-list")))?;
    let n: i64 = target
        .trim()
        .trim_start_matches('#')
        .parse()
        .map_err(|_| ServiceError::invalid("target", tr("auto-error-enter-number")))?;
    let target = if rules::is_quote_trigger(&trigger) {
        TryTarget::QuoteNumber(n)
    } else {
        TryTarget::Deal(n)
    };
    automations::try_conditions(&state.db, Actor::from(&me), &trigger, &conditions, target)
        .await
        .map_err(AppError::from)
}

/// The account's labels `(id, name)` for the `add_label` action.
#[server(prefix = "/rpc", endpoint = "automation_labels")]
pub async fn automation_labels() -> Result<Vec<(String, String)>, AppError> {
    use super::server_ctx::configurer;
    let (state, me) = configurer().await?;
    crate::server::services::automations::label_choices(&state.db, me.account_id)
        .await
        .map_err(AppError::from)
}

/// The account's stage keys `(key, stage names)` for stage conditions.
#[server(prefix = "/rpc", endpoint = "automation_stages")]
pub async fn automation_stages() -> Result<Vec<(String, String)>, AppError> {
    use super::server_ctx::configurer;
    let (state, me) = configurer().await?;
    crate::server::services::automations::stage_choices(&state.db, me.account_id)
        .await
        .map_err(AppError::from)
}

/// A page of an automation's runs (optionally of one status), each with the deal or quote it
/// ran for, and the total.
#[server(prefix = "/rpc", endpoint = "automation_logs")]
pub async fn automation_logs(
    id: String,
    page: i64,
    #[server(default)] status: String,
) -> Result<(String, Vec<(AutomationLogView, RunSubject)>, i64), AppError> {
    use super::server_ctx::configurer;
    use crate::server::services::{automations, Actor};
    let (state, me) = configurer().await?;
    let actor = Actor::from(&me);
    let automation = automations::get(&state.db, actor, &id, false).await?;
    let status = Some(status.as_str()).filter(|s| !s.is_empty());
    let (logs, total) =
        automations::runs(&state.db, actor, &id, page.max(1), LOG_PAGE, status).await?;
    Ok((automation.name, logs, total))
}

/// The account's webhook signing secret (receivers check `X-Dealflow-Signature` with it).
#[server(prefix = "/rpc", endpoint = "webhook_signing_secret")]
pub async fn webhook_signing_secret() -> Result<String, AppError> {
    use super::server_ctx::configurer;
    let (state, me) = configurer().await?;
    crate::server::services::automations::secret::webhook_secret(&state.db, me.account_id)
        .await
        .map_err(AppError::from)
}

/// A page of the outbox and its total.
#[server(prefix = "/rpc", endpoint = "outbox")]
pub async fn outbox_page(page: i64) -> Result<(Vec<OutboxEmail>, i64), AppError> {
    use super::server_ctx::signed_in;
    let (state, me) = signed_in().await?;
    crate::server::services::outbox::page(&state.db, &me, page)
        .await
        .map_err(AppError::from)
}

/// A trigger as people read it, in the render's language (its code stays the value); one the
/// UI has no words for reads as the rules name it.
fn trigger_label(t: &str) -> String {
    match t {
        "QUOTE_CREATED" => tr("auto-trigger-quote-created"),
        "QUOTE_SENT" => tr("auto-trigger-quote-sent"),
        "QUOTE_VIEWED" => tr("auto-trigger-quote-viewed"),
        "QUOTE_ACCEPTED" => tr("auto-trigger-quote-accepted"),
        "QUOTE_REJECTED" => tr("auto-trigger-quote-rejected"),
        "QUOTE_WON" => tr("auto-trigger-quote-won"),
        "QUOTE_LOST" => tr("auto-trigger-quote-lost"),
        "QUOTE_EXPIRING" => tr("auto-trigger-quote-expiring"),
        "DEAL_CREATED" => tr("auto-trigger-deal-created"),
        "DEAL_STAGE_CHANGED" => tr("auto-trigger-deal-stage-changed"),
        "DEAL_WON" => tr("auto-trigger-deal-won"),
        "DEAL_LOST" => tr("auto-trigger-deal-lost"),
        "ACTIVITY_COMPLETED" => tr("auto-trigger-activity-completed"),
        _ => TRIGGERS
            .iter()
            .find(|(k, _)| *k == t)
            .map(|(_, l)| l.to_string())
            .unwrap_or_default(),
    }
}

/// A condition field's label in the render's language (the field's name stays the value).
fn field_label(f: &rules::FieldDef) -> String {
    match f.name {
        "status" => tr("auto-field-status"),
        "currency" => tr("auto-field-currency"),
        "total" => tr("auto-field-total"),
        "subtotal" => tr("auto-field-subtotal"),
        "tax" => tr("auto-field-tax"),
        "shippingCost" => tr("auto-field-shipping-cost"),
        "viewCount" => tr("auto-field-view-count"),
        "quoteNumber" => tr("auto-field-quote-number"),
        "notes" => tr("auto-field-notes"),
        "client.contactName" => tr("auto-field-client-contact-name"),
        "client.companyName" => tr("auto-field-client-company-name"),
        "client.email" => tr("auto-field-client-email"),
        "client.phone" => tr("auto-field-client-phone"),
        "items.productName" => tr("auto-field-item-product-name"),
        "items.model" => tr("auto-field-item-model"),
        "items.unitPrice" => tr("auto-field-item-unit-price"),
        "items.quantity" => tr("auto-field-item-quantity"),
        "items.discountPct" => tr("auto-field-item-discount"),
        "title" => tr("auto-field-title"),
        "value" => tr("auto-field-value"),
        "stage" => tr("auto-field-stage"),
        "previousStage" => tr("auto-field-previous-stage"),
        "pipeline" => tr("auto-field-pipeline"),
        "probability" => tr("auto-field-probability"),
        "temperature" => tr("auto-field-temperature"),
        "qualityRating" => tr("auto-field-quality-rating"),
        "owner.email" => tr("auto-field-owner-email"),
        "contact.name" => tr("auto-field-contact-name"),
        "contact.email" => tr("auto-field-contact-email"),
        "organization" => tr("auto-field-organization"),
        "leadSource" => tr("auto-field-lead-source"),
        "lostReason" => tr("auto-field-lost-reason"),
        "activity.type" => tr("auto-field-activity-type"),
        _ => f.label.to_string(),
    }
}

/// An operator as the builder offers it, in the render's language.
fn operator_label(o: Operator) -> String {
    match o {
        Operator::Eq => tr("auto-op-eq"),
        Operator::Neq => tr("auto-op-neq"),
        Operator::Gt => tr("auto-op-gt"),
        Operator::Lt => tr("auto-op-lt"),
        Operator::Gte => tr("auto-op-gte"),
        Operator::Lte => tr("auto-op-lte"),
        Operator::Contains => tr("auto-op-contains"),
        Operator::StartsWith => tr("auto-op-starts-with"),
        Operator::IsEmpty => tr("auto-op-is-empty"),
        Operator::IsNotEmpty => tr("auto-op-is-not-empty"),
    }
}

/// A value a select field offers (quote and deal statuses, activity types), in the render's
/// language; the value itself is what conditions store.
fn choice_label(value: &str) -> String {
    match value {
        "GENERATED" => tr("auto-quote-status-generated"),
        "SENT" => tr("auto-quote-status-sent"),
        "ACCEPTED" => tr("auto-quote-status-accepted"),
        "REJECTED" => tr("auto-quote-status-rejected"),
        "WON" => tr("auto-quote-status-won"),
        "LOST" => tr("auto-quote-status-lost"),
        "open" => tr("auto-deal-status-open"),
        "won" => tr("auto-deal-status-won"),
        "lost" => tr("auto-deal-status-lost"),
        "call" => tr("auto-activity-call"),
        "meeting" => tr("auto-activity-meeting"),
        "email" => tr("auto-activity-email"),
        "task" => tr("auto-activity-task"),
        "note" => tr("auto-activity-note"),
        other => other.to_string(),
    }
}

/// How the builder names an action type for this trigger, in the render's language.
fn action_label(trigger: &str, kind: &str) -> String {
    match kind {
        "send_email" => tr("auto-action-send-email"),
        "send_notification" if rules::is_quote_trigger(trigger) => {
            tr("auto-action-notify-quote-creator")
        }
        "send_notification" => tr("auto-action-notify-deal-owner"),
        "change_status" => tr("auto-action-change-status"),
        "add_label" => tr("auto-action-add-label"),
        "create_reminder" => tr("auto-action-create-reminder"),
        "fire_webhook" => tr("auto-action-fire-webhook"),
        _ => rules::action_label(trigger, kind).to_string(),
    }
}

/// Whom "the owner" means for this trigger, in the render's language.
fn owner_meaning(trigger: &str) -> String {
    if rules::is_quote_trigger(trigger) {
        tr("auto-owner-quote")
    } else {
        tr("auto-owner-deal")
    }
}

/// A run's status as people read it (the stored status stays the filter's value).
fn run_status(status: &str) -> String {
    match status {
        "TRIGGERED" => tr("auto-run-triggered"),
        "COMPLETED" => tr("auto-run-completed"),
        "FAILED" => tr("auto-run-failed"),
        other => other.to_string(),
    }
}

fn status_badge(status: &str) -> &'static str {
    match status {
        "COMPLETED" => "bg-emerald-100 text-emerald-800",
        "FAILED" => "bg-red-100 text-red-800",
        _ => "bg-amber-100 text-amber-800",
    }
}

/// `/automations`.
#[cfg(test)]
mod tests {
    #[test]
    fn errors_name_the_row_for_people() {
        use crate::app::error::AppError;
        let invalid = |field: &str, message: &str| AppError {
            code: "VALIDATION_ERROR".into(),
            field: Some(field.into()),
            message: message.into(),
        };
        assert_eq!(
            super::humanize(&invalid("conditions[0].value", "total gt needs a number")),
            "Condition 1, value — total gt needs a number"
        );
        assert_eq!(
            super::humanize(&invalid("actions[2].url", "must start with http")),
            "Action 3, url — must start with http"
        );
        assert_eq!(
            super::humanize(&invalid("name", "must be 1–100 characters")),
            "name: must be 1–100 characters"
        );
        assert_eq!(
            super::humanize(&AppError::new("PLAN_REQUIRED", "needs PRO")),
            "needs PRO"
        );
        assert_eq!(
            super::error_row("actions[2].url"),
            Some(("actions".into(), 2))
        );
    }
}

/// Ids of the regions drawn anew while open (`data-live`) and after a change in place.
const LIST_REGION: &str = "automation-list";
const RUNS_REGION: &str = "run-log";

#[component]
pub fn AutomationsPage() -> impl IntoView {
    let list = Resource::new(|| (), |_| automations_list());
    view! {
        <div class="mx-auto max-w-5xl space-y-4">
            <div class="flex items-center gap-3">
                <h1 class="text-xl font-semibold">{tr("auto-title")}</h1>
                <a href="/outbox" class="text-sm text-indigo-700 hover:underline">{tr("auto-outbox")}</a>
                // Offered only to those who may build automations (the list loads for them).
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        list.await.ok().map(|_| view! {
                            <a href="/automations/new" class="ml-auto rounded-md bg-indigo-600 px-3 py-1.5 text-sm text-white" data-testid="new-automation">{tr("auto-new")}</a>
                        })
                    })}
                </Suspense>
            </div>
            <ErrorBanner testid="automations-error" />
            <Suspense fallback=|| view! { <p class="text-slate-500" aria-busy="true">{tr("auto-loading")}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(e) => view! { <p role="alert" class="rounded-md bg-red-50 p-3 text-sm text-red-800" data-testid="automations-refused">{e.to_string()}</p> }.into_any(),
                        Ok(items) if items.is_empty() => view! {
                            <div class="rounded-lg bg-white p-8 text-center text-slate-600 shadow-sm" data-testid="automations-empty">
                                <p class="font-medium">{tr("auto-empty")}</p>
                                <p class="text-sm">{tr("auto-empty-help")}</p>
                            </div>
                        }.into_any(),
                        // Kept up to date while open: a run's status shows without a reload.
                        Ok(items) => view! {
                            <ul id=LIST_REGION data-live="" class="divide-y divide-slate-100 rounded-lg bg-white shadow-sm">
                                {items.into_iter().map(|a| {
                                    let toggle_id = a.id.clone();
                                    let delete_id = a.id.clone();
                                    let active = a.is_active;
                                    view! {
                                        <li class="flex flex-wrap items-center gap-3 p-3 text-sm" data-testid="automation-row">
                                            <div class="min-w-0 flex-1">
                                                <a href=format!("/automations/{}", a.id) class="font-medium text-indigo-700 hover:underline">{a.name.clone()}</a>
                                                <p class="text-xs text-slate-500">
                                                    <code>{a.trigger.clone()}</code>" · "{trigger_label(&a.trigger)}
                                                    {(a.delay_minutes > 0).then(|| format!(" · {}", tr_args("auto-after-minutes", &[("minutes", a.delay_minutes.into())])))}
                                                </p>
                                            </div>
                                            <a href=format!("/automations/{}/logs", a.id) class="text-xs text-slate-600 hover:underline" data-testid="automation-runs">
                                                {tr_args("auto-runs", &[("count", a.count.logs.into())])}
                                            </a>
                                            {a.last_run_status.clone().map(|s| {
                                                let class = format!("rounded px-1.5 text-xs {}", status_badge(&s));
                                                view! { <span class=class data-testid="automation-last-status">{run_status(&s)}</span> }
                                            })}
                                            <RpcForm action=SetAutomationActive::PATH refresh=&[LIST_REGION]>
                                                <input type="hidden" name="id" value=toggle_id.clone() />
                                                <input type="hidden" name="active" value=(!active).to_string() />
                                                <button type="submit" role="switch" aria-checked=active.to_string()
                                                    class=if active { "rounded-full bg-emerald-700 px-2 py-0.5 text-xs text-white" } else { "rounded-full bg-slate-300 px-2 py-0.5 text-xs text-slate-700" }
                                                    data-testid="automation-toggle">
                                                    {if active { tr("auto-on") } else { tr("auto-off") }}
                                                </button>
                                            </RpcForm>
                                            <RpcForm action=DeleteAutomation::PATH refresh=&[LIST_REGION] attr:data-confirm=tr("auto-delete-confirm")>
                                                <input type="hidden" name="id" value=delete_id.clone() />
                                                <button type="submit" class="text-xs text-red-700 hover:underline">{tr("auto-delete")}</button>
                                            </RpcForm>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Suspense>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move { list.await.ok().map(|_| view! { <WebhookSecret /> }) })}
            </Suspense>
        </div>
    }
}

/// The webhook signing secret, shown on request.
#[island(lazy)]
fn WebhookSecret() -> impl IntoView {
    let secret = RwSignal::new(None::<Result<String, String>>);
    let reveal = move |_| {
        spawn_local(async move {
            secret.set(Some(
                webhook_signing_secret().await.map_err(|e| e.to_string()),
            ));
        });
    };
    view! {
        <section class="rounded-lg bg-white p-4 text-sm shadow-sm" data-testid="webhook-secret">
            <h2 class="font-semibold">{tr("auto-signatures")}</h2>
            <p class="text-xs text-slate-600">{tr("auto-signatures-help")}</p>
            {move || match secret.get() {
                None => view! { <button type="button" class="mt-2 text-indigo-700 hover:underline" on:click=reveal>{tr("auto-show-secret")}</button> }.into_any(),
                Some(Ok(s)) => view! { <code class="mt-2 block break-all rounded bg-slate-100 p-2" data-testid="webhook-secret-value">{s}</code> }.into_any(),
                Some(Err(e)) => view! { <p role="alert" class="mt-2 text-red-700">{e}</p> }.into_any(),
            }}
        </section>
    }
}

/// One condition row of the builder.
#[derive(Clone, Copy)]
struct CondRow {
    key: u32,
    field: RwSignal<String>,
    operator: RwSignal<String>,
    value: RwSignal<String>,
}

/// One action card of the builder: every setting any action type has.
#[derive(Clone, Copy)]
struct ActionRow {
    key: u32,
    kind: RwSignal<String>,
    to: RwSignal<String>,
    custom_email: RwSignal<String>,
    subject: RwSignal<String>,
    body: RwSignal<String>,
    title: RwSignal<String>,
    new_status: RwSignal<String>,
    label_id: RwSignal<String>,
    delay: RwSignal<String>,
    message: RwSignal<String>,
    url: RwSignal<String>,
    headers: RwSignal<String>,
    include_items: RwSignal<bool>,
}

impl ActionRow {
    fn new(key: u32, kind: &str) -> Self {
        ActionRow {
            key,
            kind: RwSignal::new(kind.to_string()),
            to: RwSignal::new("owner".into()),
            custom_email: RwSignal::new(String::new()),
            subject: RwSignal::new(String::new()),
            body: RwSignal::new(String::new()),
            title: RwSignal::new(String::new()),
            new_status: RwSignal::new("SENT".into()),
            label_id: RwSignal::new(String::new()),
            delay: RwSignal::new("1440".into()),
            message: RwSignal::new(String::new()),
            url: RwSignal::new(String::new()),
            headers: RwSignal::new(String::new()),
            include_items: RwSignal::new(true),
        }
    }

    fn from_action(key: u32, a: &Action) -> Self {
        let row = ActionRow::new(key, a.kind());
        match a {
            Action::SendEmail {
                to,
                custom_email,
                subject,
                body,
            } => {
                row.to.set(
                    match to {
                        EmailTo::Client => "client",
                        EmailTo::Owner => "owner",
                        EmailTo::Custom => "custom",
                    }
                    .into(),
                );
                row.custom_email
                    .set(custom_email.clone().unwrap_or_default());
                row.subject.set(subject.clone());
                row.body.set(body.clone());
            }
            Action::SendNotification { title, body } => {
                row.title.set(title.clone());
                row.body.set(body.clone());
            }
            Action::ChangeStatus { new_status } => row.new_status.set(new_status.clone()),
            Action::AddLabel { label_id } => row.label_id.set(label_id.clone()),
            Action::CreateReminder {
                delay_minutes,
                message,
            } => {
                row.delay.set(delay_minutes.to_string());
                row.message.set(message.clone());
            }
            Action::FireWebhook {
                url,
                headers,
                include_items,
            } => {
                row.url.set(url.clone());
                row.headers.set(
                    headers
                        .iter()
                        .map(|(k, v)| format!("{k}: {}", v.as_str().unwrap_or_default()))
                        .collect::<Vec<_>>()
                        .join("\n"),
                );
                row.include_items.set(*include_items);
            }
        }
        row
    }

    /// The action in the API's JSON shape (the server checks it).
    fn to_json(self) -> Value {
        let kind = self.kind.get_untracked();
        let mut o = Map::new();
        o.insert("type".into(), json!(kind));
        let mut put = |k: &str, v: Value| {
            o.insert(k.into(), v);
        };
        match kind.as_str() {
            "send_email" => {
                let to = self.to.get_untracked();
                if to == "custom" {
                    put("customEmail", json!(self.custom_email.get_untracked()));
                }
                put("to", json!(to));
                put("subject", json!(self.subject.get_untracked()));
                put("body", json!(self.body.get_untracked()));
            }
            "send_notification" => {
                put("title", json!(self.title.get_untracked()));
                put("body", json!(self.body.get_untracked()));
            }
            "change_status" => put("newStatus", json!(self.new_status.get_untracked())),
            "add_label" => put("labelId", json!(self.label_id.get_untracked())),
            "create_reminder" => {
                let d = self.delay.get_untracked();
                put(
                    "delayMinutes",
                    d.trim()
                        .parse::<i64>()
                        .map(|n| json!(n))
                        .unwrap_or(json!(d)),
                );
                put("message", json!(self.message.get_untracked()));
            }
            "fire_webhook" => {
                put("url", json!(self.url.get_untracked()));
                let mut headers = Map::new();
                for line in self.headers.get_untracked().lines() {
                    if let Some((k, v)) = line.split_once(':') {
                        headers.insert(k.trim().to_string(), json!(v.trim()));
                    } else if !line.trim().is_empty() {
                        headers.insert(line.trim().to_string(), json!(""));
                    }
                }
                if !headers.is_empty() {
                    put("headers", Value::Object(headers));
                }
                put("includeItems", json!(self.include_items.get_untracked()));
            }
            _ => {}
        }
        Value::Object(o)
    }
}

/// The builder's whole state.
#[derive(Clone, Copy)]
struct Draft {
    name: RwSignal<String>,
    trigger: RwSignal<String>,
    delay: RwSignal<String>,
    active: RwSignal<bool>,
    conditions: RwSignal<Vec<CondRow>>,
    actions: RwSignal<Vec<ActionRow>>,
    next_key: StoredValue<u32>,
}

impl Draft {
    fn new() -> Self {
        Draft {
            name: RwSignal::new(String::new()),
            trigger: RwSignal::new("QUOTE_SENT".into()),
            delay: RwSignal::new("0".into()),
            active: RwSignal::new(true),
            conditions: RwSignal::new(Vec::new()),
            actions: RwSignal::new(Vec::new()),
            next_key: StoredValue::new(0),
        }
    }

    fn key(&self) -> u32 {
        let k = self.next_key.get_value();
        self.next_key.set_value(k + 1);
        k
    }

    fn load(&self, a: &AutomationView) {
        self.name.set(a.name.clone());
        self.trigger.set(a.trigger.clone());
        self.delay.set(a.delay_minutes.to_string());
        self.active.set(a.is_active);
        let conditions = a
            .conditions
            .iter()
            .map(|c| CondRow {
                key: self.key(),
                field: RwSignal::new(c.field.clone()),
                operator: RwSignal::new(c.operator.clone()),
                value: RwSignal::new(match &c.value {
                    Value::String(s) => s.clone(),
                    Value::Null => String::new(),
                    v => v.to_string(),
                }),
            })
            .collect();
        self.conditions.set(conditions);
        let actions = a
            .actions
            .iter()
            .map(|x| ActionRow::from_action(self.key(), x))
            .collect();
        self.actions.set(actions);
    }

    fn add_condition(&self) {
        let trigger = self.trigger.get_untracked();
        let field = rules::fields_for(&trigger)[0];
        let row = CondRow {
            key: self.key(),
            field: RwSignal::new(field.name.to_string()),
            operator: RwSignal::new(field.operators[0].as_str().to_string()),
            value: RwSignal::new(String::new()),
        };
        self.conditions.update(|c| c.push(row));
    }

    fn conditions_json(&self) -> Value {
        let trigger = self.trigger.get_untracked();
        Value::Array(
            self.conditions
                .get_untracked()
                .iter()
                .map(|c| {
                    let field = c.field.get_untracked();
                    let operator = c.operator.get_untracked();
                    let raw = c.value.get_untracked();
                    let number = rules::field_def(&trigger, &field)
                        .is_some_and(|f| f.kind == FieldType::Number);
                    let needs = Operator::parse(&operator).is_none_or(|o| o.needs_value());
                    let value = if !needs {
                        Value::Null
                    } else if number {
                        raw.trim()
                            .parse::<f64>()
                            .ok()
                            .and_then(serde_json::Number::from_f64)
                            .map(Value::Number)
                            .unwrap_or(json!(raw))
                    } else {
                        json!(raw)
                    };
                    let mut o = json!({ "field": field, "operator": operator });
                    if !value.is_null() {
                        o["value"] = value;
                    }
                    o
                })
                .collect(),
        )
    }

    fn to_json(self) -> Value {
        let delay = self.delay.get_untracked();
        json!({
            "name": self.name.get_untracked(),
            "trigger": self.trigger.get_untracked(),
            "conditions": self.conditions_json(),
            "actions": self.actions.get_untracked().into_iter().map(ActionRow::to_json).collect::<Vec<_>>(),
            "delayMinutes": delay.trim().parse::<i64>().map(|n| json!(n)).unwrap_or(json!(delay)),
            "isActive": self.active.get_untracked(),
        })
    }
}

/// Which row an error's field names (`conditions[2].value` → `("conditions", 2)`).
fn error_row(field: &str) -> Option<(String, usize)> {
    let (list, rest) = field.split_once('[')?;
    let (n, _) = rest.split_once(']')?;
    Some((list.trim().to_string(), n.parse().ok()?))
}

/// An error for people: one on `conditions[1].value` reads `Condition 2, value — …`; any
/// other reads as it is.
fn humanize(e: &AppError) -> String {
    let Some(field) = e.field.as_deref() else {
        return e.to_string();
    };
    match (error_row(field), field.split_once("].")) {
        (Some((list, n)), Some((_, part))) => {
            let args = [
                ("n", (n + 1).into()),
                ("part", part.to_string().into()),
                ("message", e.message.clone().into()),
            ];
            if list == "conditions" {
                tr_args("auto-error-condition", &args)
            } else {
                tr_args("auto-error-action", &args)
            }
        }
        _ => e.to_string(),
    }
}

const INPUT: &str = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";

/// `/automations/new` and `/automations/:id`: the automation and the account's labels are
/// read on the server; the builder is an island.
#[component]
pub fn AutomationEditorPage() -> impl IntoView {
    let params = use_params_map();
    let id = params.read_untracked().get("id").unwrap_or_default();
    let editing = !id.is_empty();
    let data = Resource::new(
        move || id.clone(),
        |id| async move {
            let found = if id.is_empty() {
                None
            } else {
                Some(automation_get(id).await?)
            };
            Ok::<_, AppError>((
                found,
                automation_labels().await?,
                automation_stages().await?,
            ))
        },
    );
    view! {
        <div class="mx-auto max-w-4xl space-y-4" data-testid="automation-editor">
            <div class="flex items-center gap-3">
                <a href="/automations" class="text-sm text-indigo-700 hover:underline">{tr("auto-back")}</a>
                <h1 class="text-xl font-semibold">{if editing { tr("auto-edit") } else { tr("auto-new") }}</h1>
            </div>
            <Suspense fallback=|| view! { <p class="text-slate-500" aria-busy="true">{tr("auto-loading-one")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <p role="alert" class="rounded-md bg-red-50 p-3 text-sm text-red-800">{e.to_string()}</p> }.into_any(),
                        Ok((found, labels, stages)) => view! { <AutomationEditor found=found labels=labels stages=stages /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

/// The builder: a draft edited in the browser and saved whole; an error names the faulty
/// row, which is outlined. Leaving with unsaved changes asks first.
#[island(lazy)]
fn AutomationEditor(
    found: Option<AutomationView>,
    labels: Vec<(String, String)>,
    stages: Vec<(String, String)>,
) -> impl IntoView {
    let id = found.as_ref().map(|a| a.id.clone()).unwrap_or_default();
    let draft = Draft::new();
    if let Some(a) = &found {
        draft.load(a);
    }
    let labels = StoredValue::new(labels);
    let stages = StoredValue::new(stages);
    let error = RwSignal::new(None::<AppError>);
    let saving = RwSignal::new(false);
    let as_loaded = StoredValue::new(draft.to_json());
    let _ = window_event_listener(leptos::ev::beforeunload, move |ev| {
        if !saving.get_untracked() && as_loaded.with_value(|v| *v != draft.to_json()) {
            ev.prevent_default();
            ev.set_return_value("");
        }
    });
    let save = move |_| {
        let definition = draft.to_json().to_string();
        let id = id.clone();
        saving.set(true);
        spawn_local(async move {
            match save_automation(id, definition).await {
                Ok(_) => {
                    if let Some(w) = web_sys::window() {
                        let _ = w.location().assign("/automations");
                    }
                }
                Err(e) => {
                    error.set(Some(e));
                    saving.set(false);
                }
            }
        });
    };
    let bad_row = move |list: &'static str| {
        move |i: usize| {
            error
                .get()
                .and_then(|e| e.field.as_deref().and_then(error_row))
                .is_some_and(|(l, n)| l == list && n == i)
        }
    };
    let condition_rows = move || {
        draft
            .conditions
            .get()
            .into_iter()
            .enumerate()
            .collect::<Vec<_>>()
    };
    let action_rows = move || {
        draft
            .actions
            .get()
            .into_iter()
            .enumerate()
            .collect::<Vec<_>>()
    };
    view! {
        <div class="space-y-4">
            <Show when=move || error.get().is_some()>
                <div role="alert" data-testid="automation-error" class="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
                    {move || error.get().map(|e| humanize(&e))}
                </div>
            </Show>
            <section class="grid gap-3 rounded-lg bg-white p-4 shadow-sm sm:grid-cols-2">
                <label class="text-xs text-slate-600 sm:col-span-2">{tr("auto-name")}
                    <input class=format!("block w-full {INPUT}") maxlength="100" placeholder=tr("auto-name-placeholder") data-testid="automation-name"
                        prop:value=move || draft.name.get() on:input=move |ev| draft.name.set(event_target_value(&ev)) />
                </label>
                <label class="text-xs text-slate-600">{tr("auto-when")}
                    <select class=format!("block w-full {INPUT}") data-testid="automation-trigger"
                        prop:value=move || draft.trigger.get()
                        on:change=move |ev| {
                            let trigger = event_target_value(&ev);
                            if !rules::is_quote_trigger(&trigger) {
                                draft.actions.update(|v| v.retain(|a| !rules::is_quote_action(&a.kind.get_untracked())));
                            }
                            draft.trigger.set(trigger);
                            draft.conditions.set(Vec::new());
                        }>
                        {TRIGGERS.iter().map(|(t, _)| view! { <option value=*t>{format!("{} ({t})", trigger_label(t))}</option> }).collect_view()}
                    </select>
                </label>
                <div class="flex items-end gap-4">
                    <label class="text-xs text-slate-600">{tr("auto-wait")}
                        <input type="number" min="0" class=format!("block w-28 {INPUT}") data-testid="automation-delay"
                            prop:value=move || draft.delay.get() on:input=move |ev| draft.delay.set(event_target_value(&ev)) />
                    </label>
                    <label class="flex items-center gap-1 text-sm">
                        <input type="checkbox" prop:checked=move || draft.active.get() on:change=move |ev| draft.active.set(event_target_checked(&ev)) />
                        {tr("auto-active")}
                    </label>
                </div>
            </section>

            <section class="space-y-2 rounded-lg bg-white p-4 shadow-sm">
                <h2 class="font-semibold">{tr("auto-conditions")}</h2>
                <Show when=move || draft.conditions.get().is_empty()>
                    <p class="text-sm text-slate-500">{tr("auto-no-conditions")}</p>
                </Show>
                <For each=condition_rows key=|(i, c): &(usize, CondRow)| (*i, c.key)
                    children=move |(i, c)| view! {
                        <ConditionEditor row=c trigger=draft.trigger stages=stages invalid=Signal::derive(move || bad_row("conditions")(i))
                            on_remove=Callback::new(move |_| draft.conditions.update(|v| { v.retain(|x| x.key != c.key); })) />
                    } />
                <button type="button" class="text-sm text-indigo-700 hover:underline" data-testid="add-condition" on:click=move |_| draft.add_condition()>{tr("auto-add-condition")}</button>
            </section>

            <section class="space-y-2 rounded-lg bg-white p-4 shadow-sm">
                <h2 class="font-semibold">{tr("auto-actions")}</h2>
                <Show when=move || draft.actions.get().is_empty()>
                    <p class="text-sm text-slate-500">{tr("auto-no-actions")}</p>
                </Show>
                <For each=action_rows key=|(i, a): &(usize, ActionRow)| (*i, a.key)
                    children=move |(i, a)| view! {
                        <ActionEditor row=a index=i count=Signal::derive(move || draft.actions.get().len()) labels=labels trigger=draft.trigger
                        invalid=Signal::derive(move || bad_row("actions")(i))
                        on_move=Callback::new(move |up: bool| draft.actions.update(|v| {
                            if let Some(pos) = v.iter().position(|x| x.key == a.key) {
                                let other = if up { pos.checked_sub(1) } else { Some(pos + 1).filter(|p| *p < v.len()) };
                                if let Some(o) = other { v.swap(pos, o); }
                            }
                        }))
                        on_remove=Callback::new(move |_| draft.actions.update(|v| { v.retain(|x| x.key != a.key); })) />
                    } />
                <div class="flex flex-wrap gap-2 text-sm">
                    {move || rules::actions_for(&draft.trigger.get()).into_iter().map(|(kind, _)| view! {
                        <button type="button" class="rounded border border-slate-300 px-2 py-1 hover:bg-slate-50" data-testid=format!("add-action-{kind}")
                            on:click=move |_| { let k = draft.key(); draft.actions.update(|v| v.push(ActionRow::new(k, kind))); }>
                            {format!("+ {}", action_label(&draft.trigger.get_untracked(), kind))}
                        </button>
                    }).collect_view()}
                </div>
            </section>

            <TryIt draft=draft />

            <div class="flex items-center gap-3">
                <button type="button" class="rounded-md bg-indigo-600 px-4 py-2 text-sm text-white disabled:opacity-50" data-testid="save-automation"
                    disabled=move || saving.get() on:click=save>
                    {move || if saving.get() { tr("auto-saving") } else { tr("auto-save") }}
                </button>
                <a href="/automations" class="text-sm text-slate-600 hover:underline">{tr("auto-cancel")}</a>
            </div>
            <p class="text-xs text-slate-500">{tr("auto-placeholders-help")}</p>
        </div>
    }
}

/// One condition row: field, operator (those the field's type allows) and value input.
#[component]
fn ConditionEditor(
    row: CondRow,
    trigger: RwSignal<String>,
    stages: StoredValue<Vec<(String, String)>>,
    invalid: Signal<bool>,
    on_remove: Callback<()>,
) -> impl IntoView {
    let def = move || rules::field_def(&trigger.get(), &row.field.get());
    let needs_value = move || Operator::parse(&row.operator.get()).is_none_or(|o| o.needs_value());
    view! {
        <div class="flex flex-wrap items-center gap-2 rounded-md border p-2" class=("border-red-400", move || invalid.get())
            class=("border-slate-200", move || !invalid.get()) data-testid="condition-row">
            <select class=INPUT aria-label=tr("auto-field") data-testid="condition-field" prop:value=move || row.field.get()
                on:change=move |ev| {
                    let field = event_target_value(&ev);
                    if let Some(d) = rules::field_def(&trigger.get_untracked(), &field) {
                        let op = row.operator.get_untracked();
                        if !d.operators.iter().any(|o| o.as_str() == op) {
                            row.operator.set(d.operators[0].as_str().to_string());
                        }
                    }
                    row.field.set(field);
                    row.value.set(String::new());
                }>
                {move || rules::fields_for(&trigger.get()).iter().map(|f| view! { <option value=f.name>{field_label(f)}</option> }).collect_view()}
            </select>
            <select class=INPUT aria-label=tr("auto-operator") data-testid="condition-operator" prop:value=move || row.operator.get()
                on:change=move |ev| row.operator.set(event_target_value(&ev))>
                {move || def().map(|d| d.operators.iter().map(|o| view! { <option value=o.as_str()>{operator_label(*o)}</option> }).collect_view())}
            </select>
            <Show when=needs_value>
                {move || {
                    let d = def();
                    match d {
                        Some(d) if matches!(d.name, "stage" | "previousStage") => {
                            let list = stages.get_value();
                            let current = row.value.get_untracked();
                            let unknown = (!current.is_empty() && !list.iter().any(|(k, _)| *k == current)).then_some(current);
                            view! {
                                <select class=INPUT aria-label=tr("auto-value") data-testid="condition-value" prop:value=move || row.value.get()
                                    on:change=move |ev| row.value.set(event_target_value(&ev))>
                                    <option value="">{tr("auto-choose-stage")}</option>
                                    {unknown.map(|k| view! { <option value=k.clone()>{k.clone()}</option> })}
                                    {list.into_iter().map(|(key, names)| view! { <option value=key.clone()>{format!("{names} ({key})")}</option> }).collect_view()}
                                </select>
                            }.into_any()
                        }
                        Some(d) if !d.choices.is_empty() => view! {
                            <select class=INPUT aria-label=tr("auto-value") data-testid="condition-value" prop:value=move || row.value.get()
                                on:change=move |ev| row.value.set(event_target_value(&ev))>
                                <option value="">{tr("auto-choose")}</option>
                                {d.choices.iter().map(|c| view! { <option value=*c>{choice_label(c)}</option> }).collect_view()}
                            </select>
                        }.into_any(),
                        Some(d) if d.kind == FieldType::Number => view! {
                            <input type="number" step="any" class=format!("w-32 {INPUT}") aria-label=tr("auto-value") data-testid="condition-value"
                                prop:value=move || row.value.get() on:input=move |ev| row.value.set(event_target_value(&ev)) />
                        }.into_any(),
                        _ => view! {
                            <input class=format!("w-48 {INPUT}") aria-label=tr("auto-value") data-testid="condition-value"
                                prop:value=move || row.value.get() on:input=move |ev| row.value.set(event_target_value(&ev)) />
                        }.into_any(),
                    }
                }}
            </Show>
            {move || row.field.get().starts_with("items.").then(|| view! { <span class="text-xs text-slate-500">{tr("auto-any-item")}</span> })}
            <button type="button" class="ml-auto text-xs text-red-700 hover:underline" on:click=move |_| on_remove.run(())>{tr("auto-remove")}</button>
        </div>
    }
}

/// One action card with the settings of its type, and its place in the order.
#[component]
fn ActionEditor(
    row: ActionRow,
    index: usize,
    count: Signal<usize>,
    labels: StoredValue<Vec<(String, String)>>,
    trigger: RwSignal<String>,
    invalid: Signal<bool>,
    on_move: Callback<bool>,
    on_remove: Callback<()>,
) -> impl IntoView {
    let kind = move || row.kind.get();
    let is_last = move || index + 1 >= count.get();
    let label_of = move || action_label(&trigger.get(), &kind());
    let text = |label: String, sig: RwSignal<String>, testid: &'static str| {
        view! {
            <label class="block text-xs text-slate-600">{label}
                <input class=format!("block w-full {INPUT}") data-testid=testid prop:value=move || sig.get() on:input=move |ev| sig.set(event_target_value(&ev)) />
            </label>
        }
    };
    let area = |label: String, sig: RwSignal<String>, testid: &'static str| {
        view! {
            <label class="block text-xs text-slate-600">{label}
                <textarea rows="3" class=format!("block w-full {INPUT}") data-testid=testid prop:value=move || sig.get() on:input=move |ev| sig.set(event_target_value(&ev))></textarea>
            </label>
        }
    };
    view! {
        <div class="space-y-2 rounded-md border p-3" class=("border-red-400", move || invalid.get()) class=("border-slate-200", move || !invalid.get())
            data-testid="action-card" data-kind=kind>
            <div class="flex items-center gap-2 text-sm">
                <span class="rounded bg-slate-100 px-1.5 text-xs">{index + 1}</span>
                <span class="font-medium">{label_of}</span>
                <button type="button" class="ml-auto text-xs text-slate-600 hover:underline disabled:opacity-30" disabled=move || index == 0
                    aria-label=tr("auto-move-up") on:click=move |_| on_move.run(true)>"↑"</button>
                <button type="button" class="text-xs text-slate-600 hover:underline disabled:opacity-30" disabled=is_last
                    aria-label=tr("auto-move-down") on:click=move |_| on_move.run(false)>"↓"</button>
                <button type="button" class="text-xs text-red-700 hover:underline" on:click=move |_| on_remove.run(())>{tr("auto-remove")}</button>
            </div>
            {move || match kind().as_str() {
                "send_email" => view! {
                    <div class="space-y-2">
                        <label class="block text-xs text-slate-600">{tr("auto-to")}
                            <select class=format!("block {INPUT}") prop:value=move || row.to.get() on:change=move |ev| row.to.set(event_target_value(&ev))>
                                <option value="client">{tr("auto-to-client")}</option>
                                <option value="owner">{move || owner_meaning(&trigger.get())}</option>
                                <option value="custom">{tr("auto-to-custom")}</option>
                            </select>
                        </label>
                        <Show when=move || row.to.get() == "custom">{text(tr("auto-email-address"), row.custom_email, "action-custom-email")}</Show>
                        {text(tr("auto-subject"), row.subject, "action-subject")}
                        {area(tr("auto-message"), row.body, "action-body")}
                    </div>
                }.into_any(),
                "send_notification" => view! {
                    <div class="space-y-2">
                        <p class="text-xs text-slate-600" data-testid="notify-whom">{move || tr_args("auto-notify-whom", &[("whom", owner_meaning(&trigger.get()).into())])}</p>
                        {text(tr("auto-notification-title"), row.title, "action-title")}
                        {area(tr("auto-details"), row.body, "action-body")}
                    </div>
                }.into_any(),
                "change_status" => view! {
                    <label class="block text-xs text-slate-600">{tr("auto-new-status")}
                        <select class=format!("block {INPUT}") prop:value=move || row.new_status.get() on:change=move |ev| row.new_status.set(event_target_value(&ev))>
                            {QUOTE_STATUSES.iter().map(|s| view! { <option value=*s>{choice_label(s)}</option> }).collect_view()}
                        </select>
                    </label>
                }.into_any(),
                "add_label" => view! {
                    {
                        let list = labels.get_value();
                        if list.is_empty() {
                            view! { <p class="text-xs text-slate-600">{tr("auto-no-labels")}</p> }.into_any()
                        } else {
                            view! {
                                <label class="block text-xs text-slate-600">{tr("auto-label")}
                                    <select class=format!("block {INPUT}") prop:value=move || row.label_id.get() on:change=move |ev| row.label_id.set(event_target_value(&ev))>
                                        <option value="">{tr("auto-choose")}</option>
                                        {list.into_iter().map(|(id, name)| view! { <option value=id>{name}</option> }).collect_view()}
                                    </select>
                                </label>
                            }.into_any()
                        }
                    }
                }.into_any(),
                "create_reminder" => view! {
                    <div class="space-y-2">
                        <label class="block text-xs text-slate-600">{tr("auto-due-after")}
                            <input type="number" min="0" class=format!("block w-28 {INPUT}") prop:value=move || row.delay.get() on:input=move |ev| row.delay.set(event_target_value(&ev)) />
                        </label>
                        {text(tr("auto-reminder"), row.message, "action-message")}
                    </div>
                }.into_any(),
                "fire_webhook" => view! {
                    <div class="space-y-2">
                        {text(tr("auto-webhook-url"), row.url, "action-url")}
                        {area(tr("auto-webhook-headers"), row.headers, "action-headers")}
                        <label class="flex items-center gap-1 text-sm">
                            <input type="checkbox" prop:checked=move || row.include_items.get() on:change=move |ev| row.include_items.set(event_target_checked(&ev)) />
                            {tr("auto-include-items")}
                        </label>
                    </div>
                }.into_any(),
                _ => view! { <span></span> }.into_any(),
            }}
        </div>
    }
}

/// The dry run: evaluates the draft's conditions against a quote or deal.
#[component]
fn TryIt(draft: Draft) -> impl IntoView {
    let target = RwSignal::new(String::new());
    let result = RwSignal::new(None::<Result<Vec<ConditionCheck>, String>>);
    let quote = move || rules::is_quote_trigger(&draft.trigger.get());
    let run = move |_| {
        let trigger = draft.trigger.get_untracked();
        let conditions = draft.conditions_json().to_string();
        let target = target.get_untracked();
        spawn_local(async move {
            let r = try_automation(trigger, conditions, target)
                .await
                .map_err(|e| e.to_string());
            result.set(Some(r));
        });
    };
    view! {
        <section class="space-y-2 rounded-lg bg-white p-4 shadow-sm" data-testid="try-it">
            <h2 class="font-semibold">{tr("auto-try")}</h2>
            <p class="text-xs text-slate-500">{tr("auto-try-help")}</p>
            <div class="flex items-end gap-2">
                <label class="text-xs text-slate-600">{move || if quote() { tr("auto-try-quote-number") } else { tr("auto-try-deal-id") }}
                    <input class=format!("block w-32 {INPUT}") data-testid="try-target" prop:value=move || target.get() on:input=move |ev| target.set(event_target_value(&ev)) />
                </label>
                <button type="button" class="rounded border border-slate-300 px-3 py-1 text-sm hover:bg-slate-50" data-testid="try-run" on:click=run>{tr("auto-try")}</button>
            </div>
            {move || result.get().map(|r| match r {
                Err(e) => view! { <p role="alert" class="text-sm text-red-700">{e}</p> }.into_any(),
                Ok(checks) if checks.is_empty() => view! { <p class="text-sm text-emerald-700" data-testid="try-result">{tr("auto-try-no-conditions")}</p> }.into_any(),
                Ok(checks) => {
                    let all = checks.iter().all(|c| c.passed);
                    view! {
                        <div data-testid="try-result">
                            <p class=if all { "text-sm font-medium text-emerald-700" } else { "text-sm font-medium text-amber-700" }>
                                {if all { tr("auto-try-pass") } else { tr("auto-try-fail") }}
                            </p>
                            <ul class="text-sm">
                                {checks.into_iter().map(|c| view! {
                                    <li data-testid="try-check" data-passed=c.passed.to_string()>
                                        {if c.passed { "✓ " } else { "✗ " }}
                                        <code>{format!("{} {} {}", c.condition.field, c.condition.operator, if c.condition.value.is_null() { String::new() } else { c.condition.value.to_string() })}</code>
                                        <span class="text-xs text-slate-500">{format!(" ({})", tr_args("auto-try-record", &[("actual", c.actual.to_string().into())]))}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </div>
                    }.into_any()
                }
            })}
        </section>
    }
}

/// `/automations/:id/logs`, with a status filter and pages (`?status=&page=`).
#[component]
pub fn AutomationLogsPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let status = move || query.read().get("status").unwrap_or_default();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<i64>().ok())
            .unwrap_or(1)
            .max(1)
    };
    let data = Resource::new(
        move || (id(), page(), status()),
        |(id, page, status)| automation_logs(id, page, status),
    );
    view! {
        <div class="mx-auto max-w-5xl space-y-4">
            <a href="/automations" class="text-sm text-indigo-700 hover:underline">{tr("auto-back")}</a>
            <form method="get" class="flex items-end gap-2 text-sm">
                <label class="text-xs text-slate-600">{tr("auto-logs-status")}
                    <select name="status" class=format!("block {INPUT}") prop:value=status>
                        <option value="">{tr("auto-logs-all")}</option>
                        <option value="TRIGGERED">{run_status("TRIGGERED")}</option>
                        <option value="COMPLETED">{run_status("COMPLETED")}</option>
                        <option value="FAILED">{run_status("FAILED")}</option>
                    </select>
                </label>
                <button type="submit" class="rounded border border-slate-300 px-3 py-1">{tr("auto-logs-filter")}</button>
            </form>
            <Suspense fallback=|| view! { <p class="text-slate-500" aria-busy="true">{tr("auto-logs-loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <p role="alert" class="rounded-md bg-red-50 p-3 text-sm text-red-800">{e.to_string()}</p> }.into_any(),
                        Ok((name, logs, total)) => {
                            let pages = ((total + LOG_PAGE - 1) / LOG_PAGE).max(1);
                            let here = page();
                            let link = move |p: i64| format!("?status={}&page={p}", status());
                            // Kept up to date while open: new runs and finished ones show without a reload.
                            view! {
                                <div id=RUNS_REGION data-live="" class="space-y-4">
                                <h1 class="text-xl font-semibold">{tr_args("auto-logs-title", &[("name", name.into())])}</h1>
                                {if logs.is_empty() {
                                    view! { <p class="rounded-lg bg-white p-6 text-center text-slate-600 shadow-sm" data-testid="logs-empty">{tr("auto-logs-empty")}</p> }.into_any()
                                } else {
                                    view! {
                                        <table class="w-full rounded-lg bg-white text-sm shadow-sm">
                                            <thead><tr class="text-left text-xs text-slate-500">
                                                <th class="p-2">{tr("auto-logs-status")}</th><th class="p-2">{tr("auto-logs-triggered")}</th><th class="p-2">{tr("auto-logs-finished")}</th><th class="p-2">{tr("auto-logs-for")}</th><th class="p-2">{tr("auto-logs-error")}</th>
                                            </tr></thead>
                                            <tbody>
                                                {logs.into_iter().map(|(l, subject)| view! {
                                                    <tr class="border-t border-slate-100" data-testid="log-row">
                                                        <td class="p-2"><span class=format!("rounded px-1.5 text-xs {}", status_badge(&l.status)) data-testid="log-status">{run_status(&l.status)}</span></td>
                                                        <td class="p-2 text-xs">{when(&l.triggered_at)}</td>
                                                        <td class="p-2 text-xs">{l.completed_at.as_deref().map(when).unwrap_or_default()}</td>
                                                        <td class="p-2 text-xs" data-testid="log-subject">{run_subject(subject)}</td>
                                                        <td class="p-2 text-xs text-red-700">{l.error.clone().unwrap_or_default()}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    }.into_any()
                                }}
                                <nav class="flex items-center gap-3 text-sm" aria-label=tr("auto-pages")>
                                    {(here > 1).then(|| view! { <a class="text-indigo-700 hover:underline" href=link(here - 1)>{tr("auto-newer")}</a> })}
                                    <span class="text-slate-600">{tr_args("auto-logs-pager", &[("page", here.into()), ("pages", pages.into()), ("count", total.into())])}</span>
                                    {(here < pages).then(|| view! { <a class="text-indigo-700 hover:underline" href=link(here + 1)>{tr("auto-older")}</a> })}
                                </nav>
                                </div>
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </div>
    }
}

/// The deal or quote a run was for, linked.
fn run_subject(subject: RunSubject) -> impl IntoView {
    match subject {
        RunSubject {
            quote: Some((id, number)),
            ..
        } => view! { <a class="text-indigo-700 hover:underline" href=format!("/quotes/{id}")>{tr_args("auto-logs-quote", &[("number", number.into())])}</a> }.into_any(),
        RunSubject {
            deal: Some((id, title)),
            ..
        } => view! { <a class="text-indigo-700 hover:underline" href=format!("/deals/{id}")>{title}</a> }.into_any(),
        _ => ().into_any(),
    }
}

/// An outbox e-mail's state as people read it (`queued`, `kept`, `sent`, `failed` are stored).
fn outbox_status(status: &str) -> String {
    match status {
        "queued" => tr("auto-outbox-queued"),
        "kept" => tr("auto-outbox-kept"),
        "sent" => tr("auto-outbox-sent"),
        "failed" => tr("auto-outbox-failed"),
        other => other.to_string(),
    }
}

/// `/outbox`: every e-mail the server wrote and what became of it.
#[component]
pub fn OutboxPage() -> impl IntoView {
    let query = use_query_map();
    let page = move || {
        query
            .read()
            .get("page")
            .and_then(|p| p.parse::<i64>().ok())
            .unwrap_or(1)
            .max(1)
    };
    let data = Resource::new(page, outbox_page);
    view! {
        <div class="mx-auto max-w-5xl space-y-4">
            <div class="flex items-center gap-3">
                <h1 class="text-xl font-semibold">{tr("auto-outbox")}</h1>
                <a href="/automations" class="text-sm text-indigo-700 hover:underline">{tr("auto-title")}</a>
            </div>
            <Suspense fallback=|| view! { <p class="text-slate-500" aria-busy="true">{tr("auto-outbox-loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <p role="alert" class="rounded-md bg-red-50 p-3 text-sm text-red-800">{e.to_string()}</p> }.into_any(),
                        Ok((emails, _)) if emails.is_empty() => view! {
                            <p class="rounded-lg bg-white p-6 text-center text-slate-600 shadow-sm">{tr("auto-outbox-empty")}</p>
                        }.into_any(),
                        Ok((emails, total)) => {
                            let pages = ((total + OUTBOX_PAGE - 1) / OUTBOX_PAGE).max(1);
                            let here = page();
                            view! {
                                <ul class="space-y-2">
                                    {emails.into_iter().map(|m| view! {
                                        <li class="rounded-lg bg-white p-3 text-sm shadow-sm" data-testid="outbox-email">
                                            <div class="flex flex-wrap items-center gap-2">
                                                <span class="font-medium">{m.subject.clone()}</span>
                                                <span class="text-xs text-slate-500">{tr_args("auto-outbox-to", &[("to", m.to.clone().into())])}</span>
                                                <span class="ml-auto rounded bg-slate-100 px-1.5 text-xs">{outbox_status(&m.status)}</span>
                                                <span class="text-xs text-slate-500">{when(&m.created_at)}</span>
                                            </div>
                                            {m.error.clone().map(|e| view! { <p class="text-xs text-red-700">{e}</p> })}
                                            <details class="mt-1"><summary class="cursor-pointer text-xs text-slate-600">{tr("auto-message")}</summary>
                                                <pre class="whitespace-pre-wrap text-xs">{m.body.clone().unwrap_or_else(|| tr("auto-outbox-secret"))}</pre>
                                            </details>
                                        </li>
                                    }).collect_view()}
                                </ul>
                                <nav class="flex items-center gap-3 text-sm" aria-label=tr("auto-pages")>
                                    {(here > 1).then(|| view! { <a class="text-indigo-700 hover:underline" href=format!("?page={}", here - 1)>{tr("auto-newer")}</a> })}
                                    <span class="text-slate-500">{tr_args("auto-page-of", &[("page", here.into()), ("pages", pages.into())])}</span>
                                    {(here < pages).then(|| view! { <a class="text-indigo-700 hover:underline" href=format!("?page={}", here + 1)>{tr("auto-older")}</a> })}
                                </nav>
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </div>
    }
}
