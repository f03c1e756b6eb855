//! Settings → Webhooks: subscribe a URL to events, see each subscription's state, secret and
//! recent deliveries, send a test event, turn it off or on, delete it. Owners and admins only
//! (the same service as `/v1/webhooks`).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use serde::{Deserialize, Serialize};

use crate::app::error::AppError;
use crate::app::feedback::{ErrorBanner, RpcForm};
use crate::domain::webhook::{WebhookDeliveryView, WebhookEvent, WebhookView};
use crate::i18n::{tr, tr_args};

use super::when;

/// Deliveries shown per subscription.
const RECENT: i64 = 10;

/// A subscription with its latest deliveries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebhookRow {
    pub webhook: WebhookView,
    pub recent: Vec<WebhookDeliveryView>,
    /// Deliveries in its log.
    pub total: i64,
}

/// The account's subscriptions with their latest deliveries (owners and admins only).
#[server(prefix = "/rpc", endpoint = "webhooks")]
pub async fn webhooks() -> Result<Vec<WebhookRow>, AppError> {
    use crate::app::server_ctx::signed_in;
    use crate::server::services::webhooks::{deliveries, subscriptions};
    let (state, me) = signed_in().await?;
    let mut rows = Vec::new();
    for webhook in subscriptions::list(&state.db, &me).await? {
        let (recent, total) = deliveries::log(&state.db, &me, webhook.id, 1, RECENT).await?;
        rows.push(WebhookRow {
            webhook,
            recent,
            total,
        });
    }
    Ok(rows)
}

/// Subscribes a URL to the events ticked.
#[server(prefix = "/rpc", endpoint = "add_webhook")]
pub async fn add_webhook(
    #[server(default)] url: String,
    #[server(default)] events: Vec<String>,
) -> Result<(), AppError> {
    use crate::app::server_ctx::signed_in;
    use crate::server::services::webhooks::subscriptions::{self, NewWebhook};
    use crate::server::ServiceError;
    let (state, me) = signed_in().await?;
    let mut chosen = Vec::with_capacity(events.len());
    for name in &events {
        let event = WebhookEvent::from_name(name).ok_or_else(|| {
            ServiceError::invalid(
                "events",
                tr_args("set-error-not-an-event", &[("name", name.clone().into())]),
            )
        })?;
        chosen.push(event);
    }
    let new = NewWebhook {
        url,
        events: chosen,
        active: true,
    };
    subscriptions::create(&state.db, &me, &new)
        .await
        .map(|_| ())
        .map_err(AppError::from)
}

/// Turns a subscription on or off.
#[server(prefix = "/rpc", endpoint = "set_webhook_active")]
pub async fn set_webhook_active(id: i64, active: bool) -> Result<(), AppError> {
    use crate::app::server_ctx::signed_in;
    use crate::server::services::webhooks::subscriptions::{self, WebhookChange};
    let (state, me) = signed_in().await?;
    let change = WebhookChange {
        active: Some(active),
        ..WebhookChange::default()
    };
    subscriptions::update(&state.db, &me, id, &change)
        .await
        .map(|_| ())
        .map_err(AppError::from)
}

/// Deletes a subscription and its log.
#[server(prefix = "/rpc", endpoint = "delete_webhook")]
pub async fn delete_webhook(id: i64) -> Result<(), AppError> {
    use crate::app::server_ctx::signed_in;
    let (state, me) = signed_in().await?;
    crate::server::services::webhooks::subscriptions::delete(&state.db, &me, id)
        .await
        .map_err(AppError::from)
}

/// Queues a test event to a subscription.
#[server(prefix = "/rpc", endpoint = "send_test_webhook")]
pub async fn send_test_webhook(id: i64) -> Result<(), AppError> {
    use crate::app::server_ctx::signed_in;
    let (state, me) = signed_in().await?;
    crate::server::services::webhooks::deliveries::send_test(&state.db, &me, id)
        .await
        .map(|_| ())
        .map_err(AppError::from)
}

/// What an event means, in the render's language (its name stays the value).
fn describe(event: WebhookEvent) -> String {
    match event {
        WebhookEvent::DealCreated => tr("set-event-deal-created"),
        WebhookEvent::DealUpdated => tr("set-event-deal-updated"),
        WebhookEvent::DealStageChanged => tr("set-event-deal-stage-changed"),
        WebhookEvent::DealWon => tr("set-event-deal-won"),
        WebhookEvent::DealLost => tr("set-event-deal-lost"),
        WebhookEvent::DealReopened => tr("set-event-deal-reopened"),
        WebhookEvent::DealDeleted => tr("set-event-deal-deleted"),
        WebhookEvent::ContactCreated => tr("set-event-contact-created"),
        WebhookEvent::ContactUpdated => tr("set-event-contact-updated"),
        WebhookEvent::ContactDeleted => tr("set-event-contact-deleted"),
        WebhookEvent::OrganizationCreated => tr("set-event-organization-created"),
        WebhookEvent::OrganizationUpdated => tr("set-event-organization-updated"),
        WebhookEvent::OrganizationDeleted => tr("set-event-organization-deleted"),
        WebhookEvent::ActivityCompleted => tr("set-event-activity-completed"),
        WebhookEvent::QuoteCreated => tr("set-event-quote-created"),
        WebhookEvent::QuoteSent => tr("set-event-quote-sent"),
        WebhookEvent::QuoteViewed => tr("set-event-quote-viewed"),
        WebhookEvent::QuoteAccepted => tr("set-event-quote-accepted"),
        WebhookEvent::QuoteRejected => tr("set-event-quote-rejected"),
        WebhookEvent::QuoteWon => tr("set-event-quote-won"),
        WebhookEvent::QuoteLost => tr("set-event-quote-lost"),
        WebhookEvent::QuoteExpiring => tr("set-event-quote-expiring"),
    }
}

/// A delivery's state as people read it (`pending`, `delivered`, `failed` are stored).
fn delivery_status(status: &str) -> String {
    match status {
        "pending" => tr("set-delivery-pending"),
        "delivered" => tr("set-delivery-delivered"),
        "failed" => tr("set-delivery-failed"),
        other => other.to_string(),
    }
}

/// The Webhooks section of `/settings` (shown to owners and admins).
#[component]
pub fn WebhookSettings() -> impl IntoView {
    let data = Resource::new(|| (), |_| webhooks());
    view! {
        <section id=super::section::WEBHOOKS class=super::SECTION data-testid="webhook-settings">
            <h2 class="font-semibold mb-2">{tr("set-webhooks")}</h2>
            <p class="mb-2 text-sm text-slate-600">
                {format!("{} ", tr("set-webhooks-help"))}
                <a class="text-indigo-700 underline" href="/api/docs" rel="external">{tr("set-api-reference")}</a>
            </p>
            <ErrorBanner testid="webhooks-error" />
            <Suspense fallback=|| view! { <p class="text-sm text-slate-500" aria-busy="true">{tr("set-webhooks-loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <p role="alert" class="text-sm text-red-700">{e.to_string()}</p> }.into_any(),
                        Ok(rows) if rows.is_empty() => view! {
                            <p class="text-sm text-slate-500" data-testid="no-webhooks">{tr("set-webhooks-empty")}</p>
                        }.into_any(),
                        Ok(rows) => view! {
                            <ul class="divide-y divide-slate-100 text-sm">
                                {rows.into_iter().map(|row| view! { <WebhookItem row=row /> }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Suspense>
            <NewWebhookForm />
        </section>
    }
}

/// One subscription: its state and actions, and its recent deliveries.
#[component]
fn WebhookItem(row: WebhookRow) -> impl IntoView {
    let w = row.webhook;
    let (test_id, toggle_id, delete_id) = (w.id.to_string(), w.id.to_string(), w.id.to_string());
    let events = w
        .events
        .iter()
        .map(|e| e.name())
        .collect::<Vec<_>>()
        .join(", ");
    let state = if w.active {
        view! { <span class="rounded bg-emerald-50 px-1.5 text-xs text-emerald-800">{tr("set-webhook-active")}</span> }.into_any()
    } else {
        view! { <span class="rounded bg-slate-100 px-1.5 text-xs text-slate-700">{tr("set-webhook-off")}</span> }
            .into_any()
    };
    let more = (row.total > RECENT).then(|| {
        tr_args(
            "set-webhook-more",
            &[
                ("shown", RECENT.into()),
                ("total", row.total.into()),
                ("id", w.public_id.to_string().into()),
            ],
        )
    });
    view! {
        <li class="space-y-2 py-3" data-testid="webhook-row">
            <div class="flex flex-wrap items-center gap-2">
                <code class="break-all font-medium">{w.url.clone()}</code>
                {state}
                {(w.consecutive_failures > 0).then(|| view! {
                    <span class="text-xs text-amber-800">{tr_args("set-webhook-failures", &[("count", w.consecutive_failures.into())])}</span>
                })}
            </div>
            {w.disabled_reason.clone().map(|reason| view! {
                <p class="text-xs text-red-700" role="status">
                    {tr_args("set-webhook-turned-off", &[("when", w.disabled_at.as_deref().map(when).unwrap_or_default().into()), ("reason", reason.into())])}
                    {format!(" {}", tr("set-webhook-turned-off-help"))}
                </p>
            })}
            <p class="text-xs text-slate-600">{tr_args("set-webhook-events", &[("events", events.into())])}</p>
            <details class="text-xs text-slate-600">
                <summary class="cursor-pointer">{tr("set-webhook-secret")}</summary>
                <code class="break-all" data-testid="webhook-secret">{w.secret.clone()}</code>
            </details>
            <div class="flex flex-wrap items-center gap-3">
                <RpcForm action=SendTestWebhook::PATH attr:data-done=tr("set-webhook-test-queued")>
                    <input type="hidden" name="id" value=test_id />
                    <button type="submit" class="rounded-md border border-slate-300 px-2 py-1" data-busy-label=tr("set-webhook-sending")>{tr("set-webhook-send-test")}</button>
                </RpcForm>
                <RpcForm action=SetWebhookActive::PATH>
                    <input type="hidden" name="id" value=toggle_id />
                    <input type="hidden" name="active" value=(!w.active).to_string() />
                    <button type="submit" class="rounded-md border border-slate-300 px-2 py-1">
                        {if w.active { tr("set-webhook-turn-off") } else { tr("set-webhook-turn-on") }}
                    </button>
                </RpcForm>
                <RpcForm action=DeleteWebhook::PATH attr:class="ml-auto" attr:data-confirm=tr("set-webhook-delete-confirm")>
                    <input type="hidden" name="id" value=delete_id />
                    <button type="submit" class="text-red-700 hover:underline">{tr("set-delete")}</button>
                </RpcForm>
            </div>
            <DeliveryLog recent=row.recent />
            {more.map(|m| view! { <p class="text-xs text-slate-500">{m}</p> })}
        </li>
    }
}

/// A subscription's latest deliveries.
#[component]
fn DeliveryLog(recent: Vec<WebhookDeliveryView>) -> impl IntoView {
    if recent.is_empty() {
        return view! { <p class="text-xs text-slate-500">{tr("set-deliveries-empty")}</p> }
            .into_any();
    }
    view! {
        <table class="w-full text-left text-xs" data-testid="webhook-deliveries">
            <caption class="sr-only">{tr("set-deliveries")}</caption>
            <thead class="text-slate-500">
                <tr>
                    <th class="py-1 font-normal">{tr("set-delivery-time")}</th>
                    <th class="py-1 font-normal">{tr("set-delivery-event")}</th>
                    <th class="py-1 font-normal">{tr("set-delivery-status")}</th>
                    <th class="py-1 font-normal">{tr("set-delivery-http")}</th>
                    <th class="py-1 font-normal">{tr("set-delivery-tries")}</th>
                    <th class="py-1 font-normal">{tr("set-delivery-error")}</th>
                </tr>
            </thead>
            <tbody class="divide-y divide-slate-50">
                {recent.into_iter().map(|d| {
                    let status_class = match d.status.as_str() {
                        "delivered" => "text-emerald-700",
                        "failed" => "text-red-700",
                        _ => "text-amber-700",
                    };
                    let status = match (&d.status[..], &d.next_attempt_at) {
                        ("pending", Some(next)) if d.attempts > 0 => {
                            tr_args("set-delivery-retrying", &[("when", when(next).into())])
                        }
                        (s, _) => delivery_status(s),
                    };
                    view! {
                        <tr>
                            <td class="py-1 pr-2 whitespace-nowrap">{when(&d.created_at)}</td>
                            <td class="py-1 pr-2">{d.event.clone()}{d.test.then(|| format!(" {}", tr("set-delivery-test")))}</td>
                            <td class=format!("py-1 pr-2 {status_class}")>{status}</td>
                            <td class="py-1 pr-2">{d.response_code.map(|c| c.to_string()).unwrap_or_else(|| "—".into())}</td>
                            <td class="py-1 pr-2">{d.attempts}</td>
                            <td class="py-1 break-all text-slate-600">{d.error.clone().unwrap_or_default()}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// The form that subscribes a URL: the URL and a tick per event.
#[component]
fn NewWebhookForm() -> impl IntoView {
    let input = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";
    view! {
        <RpcForm action=AddWebhook::PATH attr:data-done=tr("set-webhook-added")>
            <div class="mt-3 space-y-2 border-t border-slate-100 pt-3" data-testid="add-webhook">
                <div class="flex flex-wrap items-end gap-2">
                    <label class="grow text-xs text-slate-600">{tr("set-webhook-url")}
                        <input name="url" type="url" required maxlength="2000" placeholder="https://erp.example.com/hooks/dealflow"
                            class=format!("block w-full {input}") />
                    </label>
                    <button type="submit" class="rounded-md bg-indigo-600 px-3 py-1.5 text-sm text-white" data-busy-label=tr("set-webhook-adding")>{tr("set-webhook-add")}</button>
                </div>
                <fieldset class="grid gap-1 text-xs text-slate-700 sm:grid-cols-3">
                    <legend class="mb-1 text-slate-600">{tr("set-webhook-events-legend")}</legend>
                    {WebhookEvent::ALL.iter().enumerate().map(|(i, e)| view! {
                        <label class="flex items-center gap-1" title=describe(*e)>
                            <input type="checkbox" name=format!("events[{i}]") value=e.name() />
                            {e.name()}
                        </label>
                    }).collect_view()}
                </fieldset>
            </div>
        </RpcForm>
    }
}
