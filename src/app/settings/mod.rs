//! `/settings`: pipelines and stages, lost reasons, tags, products, users, points per
//! activity type and API keys. Owners and admins change them; the server refuses everyone else.

mod api_keys;
pub mod audit;
mod catalog;
mod currencies;
mod housekeeping;
mod pipelines;
mod team;
mod webhooks;

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use serde::{Deserialize, Serialize};

use super::error::AppError;
use super::feedback::{ErrorBanner, RpcForm};
use super::related::LoadError;
use crate::i18n::{tr, tr_args};
use api_keys::ApiKeySettings;
use catalog::CatalogSettings;
use housekeeping::KeptSettings;
use pipelines::PipelineSettings;
use team::TeamSettings;
use webhooks::WebhookSettings;

/// What the settings page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SettingsView {
    pub can_configure: bool,
    /// (id, name)
    pub lost_reasons: Vec<(i64, String)>,
    /// (activity kind, points)
    pub points: Vec<(String, i64)>,
    /// Where phone numbers typed without a country code are read (ISO 3166, e.g. `BR`).
    pub default_country: Option<String>,
}

/// The account's settings.
#[server(prefix = "/rpc", endpoint = "get_settings")]
pub async fn get_settings() -> Result<SettingsView, AppError> {
    use super::server_ctx::signed_in;
    use crate::server::services::settings;
    let (state, me) = signed_in().await?;
    Ok(SettingsView {
        can_configure: me.role.can_configure(),
        lost_reasons: settings::lost_reasons(&state.db, me.account_id)
            .await?
            .into_iter()
            .map(|r| (r.id, r.name))
            .collect(),
        points: settings::point_rules(&state.db, me.account_id).await?,
        default_country: settings::default_country(&state.db, me.account_id).await?,
    })
}

/// Sets the country phone numbers without a country code are read in (empty: none).
#[server(prefix = "/rpc", endpoint = "set_default_country")]
pub async fn set_default_country(#[server(default)] country: String) -> Result<(), AppError> {
    use super::server_ctx::signed_in;
    let (state, me) = signed_in().await?;
    crate::server::services::settings::set_default_country(&state.db, &me, &country)
        .await
        .map_err(AppError::from)
}

/// Adds (`name`) or removes (`delete_id`) a lost reason.
#[server(prefix = "/rpc", endpoint = "edit_lost_reason")]
pub async fn edit_lost_reason(
    #[server(default)] name: String,
    #[server(default)] delete_id: Option<i64>,
) -> Result<(), AppError> {
    use super::server_ctx::signed_in;
    use crate::server::services::settings;
    let (state, me) = signed_in().await?;
    match delete_id {
        Some(id) => settings::delete_lost_reason(&state.db, &me, id).await,
        None => settings::add_lost_reason(&state.db, &me, &name)
            .await
            .map(|_| ()),
    }
    .map_err(AppError::from)
}

/// Sets the points of an activity type.
#[server(prefix = "/rpc", endpoint = "set_activity_points")]
pub async fn set_activity_points(kind: String, points: String) -> Result<(), AppError> {
    use super::server_ctx::signed_in;
    use crate::server::ServiceError;
    let (state, me) = signed_in().await?;
    let points: i64 = points.trim().parse().map_err(|_| {
        ServiceError::invalid(
            "points",
            tr_args(
                "set-error-not-whole-number",
                &[("value", points.trim().to_string().into())],
            ),
        )
    })?;
    crate::server::services::settings::set_points(&state.db, &me, &kind, points)
        .await
        .map_err(AppError::from)
}

/// Stored times as the settings show them: on the reader's clock.
use crate::app::clock::when;

/// An activity type as people read it (the stored kind stays the form's value).
fn activity_kind(kind: &str) -> String {
    match kind {
        "call" => tr("set-activity-call"),
        "meeting" => tr("set-activity-meeting"),
        "email" => tr("set-activity-email"),
        "task" => tr("set-activity-task"),
        "note" => tr("set-activity-note"),
        other => other.to_string(),
    }
}

/// The ids of the settings' sections, which the section list links to.
mod section {
    pub const LOST_REASONS: &str = "lost-reasons";
    pub const POINTS: &str = "points";
    pub const PHONES: &str = "phones";
    pub const CURRENCIES: &str = "currencies";
    pub const PIPELINES: &str = "pipelines";
    pub const TAGS: &str = "tags";
    pub const PRODUCTS: &str = "products";
    pub const TEAM: &str = "team";
    pub const API_KEYS: &str = "api-keys";
    pub const WEBHOOKS: &str = "webhooks";
    pub const KEPT: &str = "kept";
}

/// A settings section's box (`scroll-mt`: a section reached by its link is not under the edge).
const SECTION: &str = "scroll-mt-4 rounded-lg bg-white p-4 shadow-sm";

/// The list of sections beside them (above them on a phone); API keys and webhooks only for
/// those who may configure.
#[component]
fn SectionNav(can: bool) -> impl IntoView {
    let mut entries = vec![
        (section::LOST_REASONS, tr("set-lost-reasons")),
        (section::POINTS, tr("set-points")),
        (section::PHONES, tr("set-phones")),
        (section::CURRENCIES, tr("set-currencies")),
        (section::PIPELINES, tr("set-pipelines")),
        (section::TAGS, tr("set-tags")),
        (section::PRODUCTS, tr("set-products")),
        (section::TEAM, tr("set-users")),
    ];
    if can {
        entries.push((section::API_KEYS, tr("set-api-keys")));
        entries.push((section::WEBHOOKS, tr("set-webhooks")));
        entries.push((section::KEPT, tr("set-kept")));
    }
    view! {
        <div class="mb-4 md:sticky md:top-4 md:mb-0">
            <nav aria-label=tr("set-sections") data-testid="settings-sections">
                <ul class="flex flex-wrap gap-1 text-sm md:flex-col">
                    {entries.into_iter().map(|(id, label)| view! {
                        <li><a href=format!("#{id}") class="block rounded px-2 py-1 text-slate-700 hover:bg-white hover:text-slate-900">{label}</a></li>
                    }).collect_view()}
                </ul>
            </nav>
            // Another page: the sections list holds only this page's sections.
            {can.then(|| view! {
                <a href="/settings/audit" class="mt-2 block rounded px-2 py-1 text-sm text-indigo-700 hover:bg-white" data-testid="audit-link">{tr("audit-title")}</a>
            })}
        </div>
    }
}

/// `/settings`.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_settings());
    let input = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";
    view! {
        <div class="mx-auto max-w-5xl space-y-4">
            <h1 class="text-xl font-semibold">{tr("set-title")}</h1>
            <ErrorBanner testid="settings-error" />
            <Suspense fallback=|| view! { <p class="p-6 text-slate-500" aria-busy="true">{tr("set-loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <LoadError message=e.to_string() /> }.into_any(),
                        Ok(s) => {
                            let can = s.can_configure;
                            view! {
                                {(!can).then(|| view! {
                                    <p class="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">{tr("set-read-only")}</p>
                                })}
                                <div class="md:grid md:grid-cols-[11rem_minmax(0,1fr)] md:items-start md:gap-6">
                                <SectionNav can=can />
                                <div class="min-w-0 space-y-4">
                                <section id=section::LOST_REASONS class=SECTION>
                                    <h2 class="font-semibold mb-2">{tr("set-lost-reasons")}</h2>
                                    {if s.lost_reasons.is_empty() {
                                        view! { <p class="text-sm text-slate-500">{tr("set-lost-reasons-empty")}</p> }.into_any()
                                    } else {
                                        view! { <ul class="divide-y divide-slate-100 text-sm" data-testid="lost-reasons">
                                            {s.lost_reasons.into_iter().map(|(id, name)| view! {
                                                <li class="flex items-center py-1.5">
                                                    <span>{name}</span>
                                                    <RpcForm action=EditLostReason::PATH refresh=&[section::LOST_REASONS] attr:class="ml-auto">
                                                        <input type="hidden" name="delete_id" value=id.to_string() />
                                                        <button type="submit" disabled=!can class="text-red-700 hover:underline disabled:opacity-40">{tr("set-remove")}</button>
                                                    </RpcForm>
                                                </li>
                                            }).collect_view()}
                                        </ul> }.into_any()
                                    }}
                                    <RpcForm action=EditLostReason::PATH refresh=&[section::LOST_REASONS] attr:class="mt-2 flex gap-2">
                                        <input name="name" required maxlength="100" placeholder=tr("set-new-reason") aria-label=tr("set-new-lost-reason") class=input disabled=!can />
                                        <button type="submit" disabled=!can class="rounded-md bg-indigo-600 px-3 py-1 text-sm text-white disabled:opacity-40">{tr("set-add")}</button>
                                    </RpcForm>
                                </section>
                                <section id=section::POINTS class=SECTION>
                                    <h2 class="font-semibold mb-2">{tr("set-points")}</h2>
                                    <div class="grid gap-2 sm:grid-cols-2">
                                        {s.points.into_iter().map(|(kind, p)| view! {
                                            <RpcForm action=SetActivityPoints::PATH refresh=&[section::POINTS] attr:class="flex items-center gap-2 text-sm">
                                                <input type="hidden" name="kind" value=kind.clone() />
                                                <span class="w-20 capitalize">{activity_kind(&kind)}</span>
                                                <input name="points" type="number" min="0" max="1000" value=p.to_string() class=format!("w-24 {input}") disabled=!can
                                                    aria-label=tr_args("set-points-for", &[("kind", activity_kind(&kind).into())]) />
                                                <button type="submit" disabled=!can class="rounded-md border border-slate-300 px-2 py-1 disabled:opacity-40">{tr("set-save")}</button>
                                            </RpcForm>
                                        }).collect_view()}
                                    </div>
                                </section>
                                <section id=section::PHONES class=SECTION>
                                    <h2 class="font-semibold mb-2">{tr("set-phones")}</h2>
                                    <RpcForm action=SetDefaultCountry::PATH refresh=&[section::PHONES] attr:class="flex flex-wrap items-center gap-2 text-sm">
                                        <label for="default-country">{tr("set-default-country")}</label>
                                        <input id="default-country" name="country" maxlength="2" placeholder="BR" class=format!("w-16 uppercase {input}")
                                            value=s.default_country.clone().unwrap_or_default() disabled=!can data-testid="default-country" />
                                        <button type="submit" disabled=!can class="rounded-md border border-slate-300 px-2 py-1 disabled:opacity-40">{tr("set-save")}</button>
                                        <span class="text-slate-500">{tr("set-default-country-help")}</span>
                                    </RpcForm>
                                </section>
                                <currencies::CurrencySection can=can />
                                <PipelineSettings can=can />
                                <CatalogSettings can=can />
                                <TeamSettings can=can />
                                {can.then(|| view! { <ApiKeySettings /> })}
                                {can.then(|| view! { <WebhookSettings /> })}
                                {can.then(|| view! { <KeptSettings /> })}
                                </div>
                                </div>
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </div>
    }
}
