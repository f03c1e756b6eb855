//! `/quotes/:id`: the printable quote for signed-in users of its account (send, won / lost,
//! labels, the portal link), the quote document shared with the public portal, and the server
//! functions that change a quote, also used by the deal page.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::app::error::AppError;
use crate::domain::money::format_cents;
use crate::domain::quote::{
    can_mark_lost, can_mark_won, can_send, format_discount, is_editable, quote_label, status_badge,
    QuoteDetail, QuoteItemForm, QuotePage,
};
use crate::domain::QuoteId;
use crate::i18n::format::{amount, date, money};
use crate::i18n::{tr, tr_args, Locale};

use super::feedback::{ErrorBanner, RpcForm};
use super::related::route_id;

/// The base of links sent to clients: `DEALFLOW_PUBLIC_URL` when set, else the scheme and host
/// this request came to.
#[cfg(feature = "ssr")]
pub(crate) async fn public_base_url() -> String {
    let headers = leptos_axum::extract::<axum::http::HeaderMap>()
        .await
        .unwrap_or_default();
    crate::server::paths::public_base_url(&headers)
}

/// The word for a quote's status (`SENT` → "Sent") in the locale of this render.
pub(crate) fn status_text(status: &str) -> String {
    tr(match status {
        "GENERATED" => "quote-status-draft",
        "SENT" => "quote-status-sent",
        "ACCEPTED" => "quote-status-accepted",
        "REJECTED" => "quote-status-rejected",
        "WON" => "quote-status-won",
        "LOST" => "quote-status-lost",
        _ => "quote-status-unknown",
    })
}

/// A discount in basis points as a percentage with the locale's decimal mark: `12.5 %`,
/// `12,5 %`.
fn percent(bp: i64, locale: Locale) -> String {
    let number = format_discount(bp);
    match locale {
        Locale::En => format!("{number} %"),
        Locale::Es | Locale::PtBr => format!("{} %", number.replace('.', ",")),
    }
}

/// Reads posted item rows: an empty quantity is 1, a quantity that is not a whole number is an
/// error on `items[n].quantity`.
#[cfg(feature = "ssr")]
pub(crate) fn new_items(
    items: Vec<QuoteItemForm>,
) -> crate::server::ServiceResult<Vec<crate::server::services::quotes::NewItem>> {
    use crate::server::ServiceError;
    items
        .into_iter()
        .enumerate()
        .map(|(i, it)| {
            let quantity = match it.quantity.trim() {
                "" => 1,
                q => q.parse().map_err(|_| {
                    ServiceError::invalid(
                        format!("items[{i}].quantity"),
                        tr_args("quote-error-not-whole-number", &[("value", q.into())]),
                    )
                })?,
            };
            Ok(crate::server::services::quotes::NewItem {
                product_name: it.product_name,
                model: it.model,
                unit_price: it.unit_price,
                quantity,
                discount_pct: it.discount_pct,
            })
        })
        .collect()
}

/// The quote page's data.
#[server(prefix = "/rpc", endpoint = "get_quote_page")]
pub async fn get_quote_page(id: QuoteId) -> Result<QuotePage, AppError> {
    use super::server_ctx::signed_in;
    let (state, me) = signed_in().await?;
    let base = public_base_url().await;
    crate::server::services::quotes::page(&state.db, (&me).into(), id, &base)
        .await
        .map_err(AppError::from)
}

/// E-mails the quote to its client with the portal link; it becomes SENT.
#[server(prefix = "/rpc", endpoint = "send_quote")]
pub async fn send_quote(quote_id: QuoteId) -> Result<(), AppError> {
    use super::server_ctx::signed_in;
    let (state, me) = signed_in().await?;
    let base = public_base_url().await;
    crate::server::services::quotes::send(&state.db, (&me).into(), quote_id, &base)
        .await
        .map(|_| ())
        .map_err(AppError::from)
}

/// Marks the quote won.
#[server(prefix = "/rpc", endpoint = "mark_quote_won")]
pub async fn mark_quote_won(quote_id: QuoteId) -> Result<(), AppError> {
    use super::server_ctx::signed_in;
    let (state, me) = signed_in().await?;
    crate::server::services::quotes::mark_won(&state.db, (&me).into(), quote_id)
        .await
        .map(|_| ())
        .map_err(AppError::from)
}

/// Marks the quote lost.
#[server(prefix = "/rpc", endpoint = "mark_quote_lost")]
pub async fn mark_quote_lost(quote_id: QuoteId) -> Result<(), AppError> {
    use super::server_ctx::signed_in;
    let (state, me) = signed_in().await?;
    crate::server::services::quotes::mark_lost(&state.db, (&me).into(), quote_id)
        .await
        .map(|_| ())
        .map_err(AppError::from)
}

/// Replaces a draft's items, tax and shipping.
#[server(prefix = "/rpc", endpoint = "update_quote_items")]
pub async fn update_quote_items(
    quote_id: QuoteId,
    #[server(default)] items: Vec<QuoteItemForm>,
    #[server(default)] tax: String,
    #[server(default)] shipping: String,
) -> Result<(), AppError> {
    use super::server_ctx::signed_in;
    let (state, me) = signed_in().await?;
    let items = new_items(items)?;
    crate::server::services::quotes::update_items(
        &state.db,
        (&me).into(),
        quote_id,
        &items,
        &tax,
        &shipping,
    )
    .await
    .map(|_| ())
    .map_err(AppError::from)
}

/// Adds (`op` = add) or removes (`op` = remove) one of the account's labels.
#[server(prefix = "/rpc", endpoint = "change_quote_label")]
pub async fn change_quote_label(
    quote_id: QuoteId,
    label_id: String,
    op: String,
) -> Result<(), AppError> {
    use super::server_ctx::{form_id, signed_in};
    use crate::server::services::quotes;
    use crate::server::ServiceError;
    let (state, me) = signed_in().await?;
    let label_id = form_id("label_id", &label_id)?
        .ok_or_else(|| ServiceError::invalid("label_id", tr("quote-error-choose-label")))?;
    match op.as_str() {
        "add" => quotes::add_label(&state.db, (&me).into(), quote_id, label_id).await,
        "remove" => quotes::remove_label(&state.db, (&me).into(), quote_id, label_id).await,
        other => Err(ServiceError::invalid(
            "op",
            tr_args("quote-error-unknown-operation", &[("op", other.into())]),
        )),
    }
    .map_err(AppError::from)
}

/// Item rows of a quote form, posted as `items[n][field]`; rows can be added and removed (the
/// row's key is its index in the names, so a removed row leaves a gap the server ignores).
/// An island inside its server-rendered form.
#[island(lazy)]
pub fn ItemRows(initial: Vec<QuoteItemForm>) -> impl IntoView {
    let input = "block w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";
    let label = "text-xs text-slate-600";
    let initial = if initial.is_empty() {
        vec![QuoteItemForm {
            quantity: "1".into(),
            ..Default::default()
        }]
    } else {
        initial
    };
    let count = initial.len() as u32;
    let rows = RwSignal::new(
        initial
            .into_iter()
            .enumerate()
            .map(|(i, r)| (i as u32, r))
            .collect::<Vec<_>>(),
    );
    let next = RwSignal::new(count);
    let add_row = move |_| {
        let key = next.get_untracked();
        next.set(key + 1);
        rows.update(|r| {
            r.push((
                key,
                QuoteItemForm {
                    quantity: "1".into(),
                    ..Default::default()
                },
            ))
        });
    };
    view! {
        <For each=move || rows.get() key=|(k, _)| *k let:row>
            {
                let (key, it) = row;
                view! {
                    <div class="grid grid-cols-12 items-end gap-2" data-testid="quote-item-row">
                        <label class=format!("{label} col-span-4")>{tr("quote-product")}
                            <input name=format!("items[{key}][product_name]") required maxlength="150" class=input value=it.product_name />
                        </label>
                        <label class=format!("{label} col-span-2")>{tr("quote-model")}
                            <input name=format!("items[{key}][model]") maxlength="100" class=input value=it.model />
                        </label>
                        <label class=format!("{label} col-span-2")>{tr("quote-unit-price")}
                            <input name=format!("items[{key}][unit_price]") required inputmode="decimal" class=input value=it.unit_price />
                        </label>
                        <label class=format!("{label} col-span-1")>{tr("quote-qty")}
                            <input name=format!("items[{key}][quantity]") type="number" min="1" class=input value=it.quantity />
                        </label>
                        <label class=format!("{label} col-span-2")>{tr("quote-discount-pct")}
                            <input name=format!("items[{key}][discount_pct]") inputmode="decimal" placeholder="0" class=input value=it.discount_pct />
                        </label>
                        <button type="button" class="col-span-1 pb-1 text-xs text-slate-500 hover:text-red-700 disabled:opacity-40"
                            aria-label=tr("quote-remove-row") disabled=move || rows.with(|r| r.len() <= 1)
                            on:click=move |_| rows.update(|r| r.retain(|(k, _)| *k != key))>{tr("quote-remove")}</button>
                    </div>
                }
            }
        </For>
        <button type="button" class="text-xs text-indigo-700 hover:underline" on:click=add_row data-testid="quote-add-row">{tr("quote-add-row")}</button>
    }
}

/// The form that changes a draft's items, tax and shipping.
#[component]
fn EditItemsForm(q: QuoteDetail) -> impl IntoView {
    let input = "block w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";
    let label = "text-xs text-slate-600";
    let plain = |c: i64| format_cents(c).replace(',', "");
    let initial: Vec<QuoteItemForm> = q
        .items
        .iter()
        .map(|i| QuoteItemForm {
            product_name: i.product_name.clone(),
            model: i.model.clone(),
            unit_price: plain(i.unit_price_cents),
            quantity: i.quantity.to_string(),
            discount_pct: if i.discount_basis_points > 0 {
                format_discount(i.discount_basis_points)
            } else {
                String::new()
            },
        })
        .collect();
    view! {
        <details class="rounded-lg bg-white p-4 shadow-sm print:hidden" data-testid="quote-edit">
            <summary class="cursor-pointer text-sm font-medium">{tr("quote-edit-items")}</summary>
            <RpcForm action=UpdateQuoteItems::PATH attr:class="mt-2 space-y-2" attr:data-testid="quote-edit-form">
                <input type="hidden" name="quote_id" value=q.id.to_string() />
                <ItemRows initial=initial />
                <div class="grid grid-cols-2 gap-2">
                    <label class=label>{tr("quote-tax")}<input name="tax" inputmode="decimal" class=input value=plain(q.tax_cents) /></label>
                    <label class=label>{tr("quote-shipping")}<input name="shipping" inputmode="decimal" class=input value=plain(q.shipping_cents) /></label>
                </div>
                <button type="submit" class="rounded-md bg-indigo-600 px-3 py-1.5 text-sm text-white disabled:opacity-60">{tr("quote-save-items")}</button>
            </RpcForm>
        </details>
    }
}

/// The quote as a document: seller, number, client, items, totals, notes and validity.
#[component]
pub fn QuoteDocument(q: QuoteDetail) -> impl IntoView {
    let locale = crate::i18n::current();
    let currency = q.currency.clone();
    let in_currency = move |c: i64| money(c, &currency, locale);
    let any_discount = q.items.iter().any(|i| i.discount_basis_points > 0);
    view! {
        <article class="rounded-lg bg-white p-6 shadow-sm print:shadow-none print:p-0" data-testid="quote-document">
            <header class="flex flex-wrap items-start gap-4 border-b border-slate-200 pb-4">
                <div>
                    <p class="text-sm text-slate-500">{q.seller_name.clone()}</p>
                    <h1 class="text-2xl font-semibold" data-testid="quote-number">{tr_args("quote-title", &[("number", quote_label(q.number).into())])}</h1>
                    <p class="text-sm text-slate-500">{tr_args("quote-issued", &[("date", date(q.created_at.get(..10).unwrap_or_default(), locale).into())])}</p>
                </div>
                <span class=format!("ml-auto rounded px-2 py-0.5 text-xs font-medium uppercase {}", status_badge(&q.status))
                    data-testid="quote-status">{status_text(&q.status)}</span>
            </header>
            <section class="mt-4 grid gap-4 sm:grid-cols-2">
                <div>
                    <h2 class="text-xs font-medium uppercase text-slate-500">{tr("quote-client")}</h2>
                    <p class="font-medium" data-testid="quote-client">{q.client_name.clone().unwrap_or_else(|| tr("quote-no-contact"))}</p>
                    {q.client_company.clone().map(|c| view! { <p class="text-sm">{c}</p> })}
                    {q.client_email.clone().map(|e| view! { <p class="text-sm text-slate-600">{e}</p> })}
                </div>
                <div class="sm:text-right">
                    <h2 class="text-xs font-medium uppercase text-slate-500">{tr("quote-valid-until")}</h2>
                    <p data-testid="quote-valid-until">{q.valid_until.as_deref().map(|v| date(v, locale)).unwrap_or_else(|| tr("quote-no-expiry"))}</p>
                </div>
            </section>
            <table class="mt-6 w-full text-sm" data-testid="quote-items">
                <thead class="border-b border-slate-300 text-left text-xs text-slate-500">
                    <tr>
                        <th class="py-1">{tr("quote-product")}</th>
                        <th class="py-1">{tr("quote-model")}</th>
                        <th class="py-1 text-right">{tr("quote-unit-price")}</th>
                        <th class="py-1 text-right">{tr("quote-qty")}</th>
                        {any_discount.then(|| view! { <th class="py-1 text-right">{tr("quote-discount")}</th> })}
                        <th class="py-1 text-right">{tr("quote-amount")}</th>
                    </tr>
                </thead>
                <tbody>
                    {q.items.iter().map(|i| view! {
                        <tr class="border-b border-slate-100" data-testid="quote-item">
                            <td class="py-1">{i.product_name.clone()}</td>
                            <td class="py-1 text-slate-500">{i.model.clone()}</td>
                            <td class="py-1 text-right">{amount(i.unit_price_cents, locale)}</td>
                            <td class="py-1 text-right">{i.quantity}</td>
                            {any_discount.then(|| view! {
                                <td class="py-1 text-right">{if i.discount_basis_points > 0 { percent(i.discount_basis_points, locale) } else { String::new() }}</td>
                            })}
                            <td class="py-1 text-right">{amount(i.line_total_cents, locale)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <dl class="mt-4 ml-auto w-full max-w-xs space-y-1 text-sm">
                <div class="flex justify-between"><dt class="text-slate-500">{tr("quote-subtotal")}</dt><dd data-testid="quote-subtotal">{in_currency(q.subtotal_cents)}</dd></div>
                <div class="flex justify-between"><dt class="text-slate-500">{tr("quote-tax")}</dt><dd>{in_currency(q.tax_cents)}</dd></div>
                <div class="flex justify-between"><dt class="text-slate-500">{tr("quote-shipping")}</dt><dd>{in_currency(q.shipping_cents)}</dd></div>
                <div class="flex justify-between border-t border-slate-300 pt-1 text-base font-semibold">
                    <dt>{tr("quote-total")}</dt><dd data-testid="quote-total">{in_currency(q.total_cents)}</dd>
                </div>
            </dl>
            {(!q.notes.is_empty()).then(|| view! {
                <section class="mt-6">
                    <h2 class="text-xs font-medium uppercase text-slate-500">{tr("quote-notes")}</h2>
                    <p class="whitespace-pre-wrap text-sm" data-testid="quote-notes">{q.notes.clone()}</p>
                </section>
            })}
        </article>
    }
}

/// `/quotes/:id`.
#[component]
pub fn QuoteViewPage() -> impl IntoView {
    let id = route_id();
    let data = Resource::new(id, get_quote_page);
    view! {
        <Suspense fallback=|| view! { <p class="p-6 text-slate-500" aria-busy="true">{tr("quote-loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! {
                        <div role="alert" class="m-6 rounded-md border border-red-200 bg-red-50 p-4 text-red-800">
                            <p class="font-medium">{tr("quote-load-failed")}</p>
                            <p class="text-sm">{e.to_string()}</p>
                            <a href="/" class="mt-2 inline-block text-sm underline">{tr("quote-back-to-pipeline")}</a>
                        </div>
                    }.into_any(),
                    Ok(p) => {
                        let q = p.quote.clone();
                        let quote_id = q.id;
                        let status = q.status.clone();
                        let link = p.portal_url.clone();
                        let button = "rounded-md px-3 py-1.5 text-sm";
                        let on_quote: Vec<i64> = q.labels.iter().map(|l| l.id).collect();
                        let offered: Vec<_> = p.account_labels.iter().filter(|l| !on_quote.contains(&l.id)).cloned().collect();
                        let no_labels = q.labels.is_empty() && offered.is_empty();
                        let labels = q.labels.clone();
                        let views = q.view_count;
                        let nav = match (q.deal_id, q.deal_title.clone()) {
                            (Some(d), Some(t)) => view! { <a class="underline" href=format!("/deals/{d}")>{t}</a> {format!(" / {}", tr("quote-breadcrumb"))} }.into_any(),
                            _ => view! { <span>{tr("quote-word")}</span> }.into_any(),
                        };
                        let sendable = can_send(&status);
                        let send_label = if status == "SENT" { tr("quote-send-again") } else { tr("quote-send-to-client") };
                        let winnable = can_mark_won(&status);
                        let losable = can_mark_lost(&status);
                        let editor = is_editable(&status).then(|| view! { <EditItemsForm q=q.clone() /> });
                        view! {
                            <div class="mx-auto max-w-4xl space-y-4">
                                <nav class="text-sm text-slate-500 print:hidden">
                                    {nav}
                                </nav>
                                <div class="print:hidden"><ErrorBanner testid="quote-error" /></div>
                                <section class="flex flex-wrap items-center gap-2 rounded-lg bg-white p-4 shadow-sm print:hidden" data-testid="quote-actions">
                                    {sendable.then(move || view! {
                                        <RpcForm action=SendQuote::PATH confirm=tr("quote-send-confirm")>
                                            <input type="hidden" name="quote_id" value=quote_id.to_string() />
                                            <button type="submit" class=format!("{button} bg-indigo-600 text-white hover:bg-indigo-700") data-testid="quote-send">
                                                {send_label}</button>
                                        </RpcForm>
                                    })}
                                    {winnable.then(move || view! {
                                        <RpcForm action=MarkQuoteWon::PATH>
                                            <input type="hidden" name="quote_id" value=quote_id.to_string() />
                                            <button type="submit" class=format!("{button} bg-emerald-700 text-white hover:bg-emerald-800") data-testid="quote-won">{tr("quote-mark-won")}</button>
                                        </RpcForm>
                                    })}
                                    {losable.then(move || view! {
                                        <RpcForm action=MarkQuoteLost::PATH confirm=tr("quote-lost-confirm")>
                                            <input type="hidden" name="quote_id" value=quote_id.to_string() />
                                            <button type="submit" class=format!("{button} bg-red-600 text-white hover:bg-red-700") data-testid="quote-lost">{tr("quote-mark-lost")}</button>
                                        </RpcForm>
                                    })}
                                    <button type="button" class=format!("{button} border border-slate-300 hover:bg-slate-50") data-print="">{tr("quote-print")}</button>
                                    <span class="ml-auto text-sm text-slate-500" data-testid="quote-views">{tr_args("quote-viewed", &[("count", views.into())])}</span>
                                    <label class="w-full text-xs text-slate-600">{tr("quote-client-link")}
                                        <input readonly class="mt-1 block w-full rounded-md border border-slate-300 bg-slate-50 px-2 py-1 font-mono text-xs"
                                            value=link data-testid="quote-portal-link" data-select-on-focus="" />
                                    </label>
                                    <div class="flex w-full flex-wrap items-center gap-2 text-xs" data-testid="quote-labels">
                                        <span class="text-slate-500">{tr("quote-labels")}</span>
                                        {labels.into_iter().map(|l| view! {
                                            <span class="inline-flex items-center gap-1 rounded px-2 py-0.5 text-white" style=format!("background-color: {}", l.color)>
                                                {l.name.clone()}
                                                <RpcForm action=ChangeQuoteLabel::PATH>
                                                    <input type="hidden" name="quote_id" value=quote_id.to_string() />
                                                    <input type="hidden" name="label_id" value=l.id.to_string() />
                                                    <input type="hidden" name="op" value="remove" />
                                                    <button type="submit" aria-label=tr_args("quote-remove-label", &[("name", l.name.clone().into())])>"×"</button>
                                                </RpcForm>
                                            </span>
                                        }).collect_view()}
                                        {(!offered.is_empty()).then(move || view! {
                                            <RpcForm action=ChangeQuoteLabel::PATH attr:class="flex items-center gap-1">
                                                <input type="hidden" name="quote_id" value=quote_id.to_string() />
                                                <input type="hidden" name="op" value="add" />
                                                <select name="label_id" aria-label=tr("quote-label") class="rounded-md border border-slate-300 bg-white px-1 py-0.5">
                                                    {offered.into_iter().map(|l| view! { <option value=l.id.to_string()>{l.name.clone()}</option> }).collect_view()}
                                                </select>
                                                <button type="submit" class="rounded-md border border-slate-300 px-2 py-0.5 hover:bg-slate-50">{tr("quote-add")}</button>
                                            </RpcForm>
                                        })}
                                        {no_labels.then(|| view! { <span class="text-slate-600">{tr("quote-labels-none")}</span> })}
                                    </div>
                                </section>
                                {editor}
                                <QuoteDocument q=q />
                            </div>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
