//! Settings → currencies: the base currency totals and reports are read in, and the exchange
//! rates that convert the others (owners and admins change them; everyone reads them).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::app::error::AppError;
use crate::app::feedback::RpcForm;
use crate::domain::currency::RateRow;
use crate::i18n::tr;

/// The base currency and the rates to it.
#[server(prefix = "/rpc", endpoint = "currency_rates")]
pub async fn currency_rates() -> Result<(String, Vec<RateRow>), AppError> {
    use crate::app::server_ctx::signed_in;
    let (state, me) = signed_in().await?;
    Ok(crate::server::services::currencies::list(&state.db, me.account_id).await?)
}

/// Sets the base currency.
#[server(prefix = "/rpc", endpoint = "set_base_currency")]
pub async fn set_base_currency(#[server(default)] base_currency: String) -> Result<(), AppError> {
    use crate::app::server_ctx::signed_in;
    let (state, me) = signed_in().await?;
    crate::server::services::currencies::set_base_currency(&state.db, &me, &base_currency)
        .await
        .map(|_| ())
        .map_err(AppError::from)
}

/// Sets a currency's rate from a day on.
#[server(prefix = "/rpc", endpoint = "save_rate")]
pub async fn save_rate(
    #[server(default)] currency: String,
    #[server(default)] day: String,
    #[server(default)] rate: String,
) -> Result<(), AppError> {
    use crate::app::server_ctx::signed_in;
    let (state, me) = signed_in().await?;
    crate::server::services::currencies::set_rate(&state.db, &me, &currency, &day, &rate)
        .await
        .map(|_| ())
        .map_err(AppError::from)
}

/// Deletes the rate given for a currency and day.
#[server(prefix = "/rpc", endpoint = "delete_rate")]
pub async fn delete_rate(
    #[server(default)] currency: String,
    #[server(default)] day: String,
) -> Result<(), AppError> {
    use crate::app::server_ctx::signed_in;
    let (state, me) = signed_in().await?;
    crate::server::services::currencies::delete_rate(&state.db, &me, &currency, &day)
        .await
        .map_err(AppError::from)
}

/// The currencies section of `/settings`.
#[component]
pub fn CurrencySection(can: bool) -> impl IntoView {
    let data = Resource::new(|| (), |_| currency_rates());
    let input = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";
    let here = super::section::CURRENCIES;
    view! {
        <section id=here class=super::SECTION data-testid="currency-settings">
            <h2 class="font-semibold mb-2">{tr("set-currencies")}</h2>
            <p class="mb-2 text-sm text-slate-600">{tr("set-currencies-intro")}</p>
            <Suspense fallback=|| view! { <p class="text-sm text-slate-500" aria-busy="true">"…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <p role="alert" class="text-sm text-red-700">{e.to_string()}</p> }.into_any(),
                        Ok((base, rates)) => {
                            let rate_label = format!("{} ({base})", tr("set-rate"));
                            let rate_heading = rate_label.clone();
                            view! {
                            <RpcForm action=SetBaseCurrency::PATH refresh=&[super::section::CURRENCIES] attr:class="flex flex-wrap items-center gap-2 text-sm">
                                <label for="base-currency">{tr("set-base-currency")}</label>
                                <input id="base-currency" name="base_currency" required maxlength="3" size="4" value=base
                                    class=format!("uppercase {input}") disabled=!can data-testid="base-currency" />
                                <button type="submit" disabled=!can class="rounded-md border border-slate-300 px-2 py-1 disabled:opacity-40">{tr("set-save")}</button>
                            </RpcForm>
                            {if rates.is_empty() {
                                view! { <p class="mt-2 text-sm text-slate-500" data-testid="rates-empty">{tr("set-rates-none")}</p> }.into_any()
                            } else {
                                view! {
                                    <table class="mt-2 text-sm" data-testid="rates">
                                        <thead class="text-left text-xs text-slate-500">
                                            <tr>
                                                <th scope="col" class="pr-4">{tr("set-rate-currency")}</th>
                                                <th scope="col" class="pr-4">{tr("set-rate-day")}</th>
                                                <th scope="col" class="pr-4">{rate_heading.clone()}</th>
                                                <th scope="col"><span class="sr-only">{tr("set-delete")}</span></th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {rates.into_iter().map(|r| view! {
                                                <tr data-testid="rate-row">
                                                    <td class="pr-4 font-medium">{r.currency.clone()}</td>
                                                    <td class="pr-4">{crate::i18n::format::date(&r.day, crate::i18n::current())}</td>
                                                    <td class="pr-4 tabular-nums">{r.rate.decimal()}</td>
                                                    <td>
                                                        <RpcForm action=DeleteRate::PATH refresh=&[super::section::CURRENCIES] attr:data-confirm=tr("set-rate-delete-confirm")>
                                                            <input type="hidden" name="currency" value=r.currency.clone() />
                                                            <input type="hidden" name="day" value=r.day.clone() />
                                                            <button type="submit" disabled=!can class="text-red-700 hover:underline disabled:opacity-40">{tr("set-delete")}</button>
                                                        </RpcForm>
                                                    </td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                }.into_any()
                            }}
                            <RpcForm action=SaveRate::PATH refresh=&[super::section::CURRENCIES] attr:class="mt-2 flex flex-wrap items-end gap-2" attr:data-testid="add-rate">
                                <label class="text-xs text-slate-600">{tr("set-rate-currency")}
                                    <input name="currency" required maxlength="3" size="4" placeholder="EUR" class=format!("block uppercase {input}") disabled=!can />
                                </label>
                                <label class="text-xs text-slate-600">{tr("set-rate-day")}
                                    <input name="day" type="date" required class=format!("block {input}") disabled=!can />
                                </label>
                                <label class="text-xs text-slate-600">{rate_label}
                                    <input name="rate" required inputmode="decimal" placeholder="1.0842" class=format!("block w-28 {input}") disabled=!can />
                                </label>
                                <button type="submit" disabled=!can class="rounded-md bg-indigo-600 px-3 py-1 text-sm text-white disabled:opacity-40">{tr("set-rate-save")}</button>
                            </RpcForm>
                        }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}
