//! Settings → what is kept: how many days the account keeps its finished work, and how much
//! of it there is now (owners and admins).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::app::error::AppError;
use crate::app::feedback::RpcForm;
use crate::i18n::{tr, tr_args};

/// What the account keeps: (retention in days, finished jobs, automation run logs, webhook
/// deliveries, e-mails).
#[server(prefix = "/rpc", endpoint = "kept")]
pub async fn kept() -> Result<(i64, i64, i64, i64, i64), AppError> {
    use crate::app::server_ctx::configurer;
    let (state, me) = configurer().await?;
    let k = crate::server::services::housekeeping::kept(&state.db, &me).await?;
    Ok((
        k.retention_days,
        k.jobs,
        k.automation_logs,
        k.webhook_deliveries,
        k.emails,
    ))
}

/// Sets how many days finished work is kept.
#[server(prefix = "/rpc", endpoint = "set_retention")]
pub async fn set_retention(retention_days: String) -> Result<(), AppError> {
    use crate::app::server_ctx::signed_in;
    use crate::server::ServiceError;
    let (state, me) = signed_in().await?;
    let days: i64 = retention_days.trim().parse().map_err(|_| {
        ServiceError::invalid(
            "retention_days",
            crate::domain::Problem::NotANumber {
                value: retention_days.clone(),
            },
        )
    })?;
    crate::server::services::housekeeping::set_retention(&state.db, &me, days)
        .await
        .map_err(AppError::from)
}

/// The section of `/settings`.
#[component]
pub fn KeptSettings() -> impl IntoView {
    let data = Resource::new(|| (), |_| kept());
    let input = "w-20 rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";
    view! {
        <section id=super::section::KEPT class=super::SECTION data-testid="kept-settings">
            <h2 class="font-semibold mb-2">{tr("set-kept")}</h2>
            <p class="mb-2 text-sm text-slate-600">{tr("set-kept-intro")}</p>
            <Suspense fallback=|| view! { <p class="text-sm text-slate-500" aria-busy="true">"…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <p role="alert" class="text-sm text-red-700">{e.to_string()}</p> }.into_any(),
                        Ok((days, jobs, logs, deliveries, emails)) => view! {
                            <RpcForm action=SetRetention::PATH refresh=&[super::section::KEPT] attr:class="flex flex-wrap items-center gap-2 text-sm">
                                <label for="retention-days">{tr("set-kept-days")}</label>
                                <input id="retention-days" name="retention_days" type="number" min="7" max="3650" required
                                    value=days.to_string() class=input data-testid="retention-days" />
                                <button type="submit" class="rounded-md border border-slate-300 px-2 py-1">{tr("set-save")}</button>
                            </RpcForm>
                            <ul class="mt-2 text-sm text-slate-700" data-testid="kept-counts">
                                <li>{tr_args("set-kept-jobs", &[("count", jobs.into())])}</li>
                                <li>{tr_args("set-kept-logs", &[("count", logs.into())])}</li>
                                <li>{tr_args("set-kept-deliveries", &[("count", deliveries.into())])}</li>
                                <li>{tr_args("set-kept-emails", &[("count", emails.into())])}</li>
                            </ul>
                            <p class="mt-2 text-xs text-slate-500">{tr("set-kept-always")}</p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
