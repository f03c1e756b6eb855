//! The deal's quotes: the list with send / won / lost, a quote made from the deal's products,
//! and a small form to write one by hand.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::app::error::AppError;
use crate::app::feedback::RpcForm;
use crate::app::quotes::{status_text, ItemRows, MarkQuoteLost, MarkQuoteWon, SendQuote};
use crate::domain::deal::DealDetail;
use crate::domain::quote::{
    can_mark_lost, can_mark_won, can_send, quote_label, status_badge, QuoteItemForm,
};
use crate::domain::DealId;
use crate::i18n::format::{date, money};
use crate::i18n::{tr, tr_args};

/// Creates a quote with one item per product line of the deal.
#[server(prefix = "/rpc", endpoint = "create_quote_from_deal")]
pub async fn create_quote_from_deal(id: DealId) -> Result<(), AppError> {
    use crate::app::server_ctx::signed_in;
    let (state, me) = signed_in().await?;
    crate::server::services::quotes::create_from_deal(&state.db, (&me).into(), id)
        .await
        .map(|_| ())
        .map_err(AppError::from)
}

/// Creates a quote typed by hand; `items` are posted as `items[n][product_name]` and so on.
#[server(prefix = "/rpc", endpoint = "create_quote")]
pub async fn create_quote(
    id: DealId,
    #[server(default)] items: Vec<QuoteItemForm>,
    #[server(default)] tax: String,
    #[server(default)] shipping: String,
    #[server(default)] notes: String,
    #[server(default)] valid_until: String,
) -> Result<(), AppError> {
    use crate::app::quotes::new_items;
    use crate::app::server_ctx::signed_in;
    use crate::server::services::quotes::{create, NewQuote};
    let (state, me) = signed_in().await?;
    let items = new_items(items)?;
    let new = NewQuote {
        deal_id: id,
        items,
        tax,
        shipping,
        notes,
        valid_until: Some(valid_until),
        currency: String::new(),
    };
    create(&state.db, (&me).into(), &new)
        .await
        .map(|_| ())
        .map_err(AppError::from)
}

/// The quotes section of the deal page.
#[component]
pub fn QuotesPanel(d: DealDetail) -> impl IntoView {
    let deal_id = d.id;
    let locale = crate::i18n::current();
    let has_lines = !d.lines.is_empty();
    let small = "rounded-md px-2 py-1 text-xs";
    view! {
        <section class="rounded-lg bg-white p-4 shadow-sm" data-testid="quotes">
            <div class="mb-2 flex flex-wrap items-center gap-2">
                <h2 class="font-semibold">{tr("deal-quotes")}</h2>
                <RpcForm action=CreateQuoteFromDeal::PATH attr:class="ml-auto">
                    <input type="hidden" name="id" value=deal_id.to_string() />
                    <button type="submit" class="rounded-md bg-slate-800 px-3 py-1 text-sm text-white disabled:opacity-60"
                        disabled=!has_lines
                        title=if has_lines { tr("deal-quotes-from-products-title") } else { tr("deal-quotes-need-products") }
                        data-testid="quote-create-from-deal">{tr("deal-quotes-from-products")}</button>
                </RpcForm>
            </div>
            {if d.quotes.is_empty() {
                view! { <p class="text-sm text-slate-500" data-testid="quotes-empty">{tr("deal-quotes-empty")}</p> }.into_any()
            } else {
                view! {
                    <table class="w-full text-sm">
                        <thead class="text-left text-xs text-slate-500">
                            <tr><th class="py-1">{tr("quote-word")}</th><th class="py-1">{tr("quote-status")}</th><th class="py-1 text-right">{tr("quote-total")}</th>
                                <th class="py-1 text-right">{tr("deal-quotes-views")}</th><th></th></tr>
                        </thead>
                        <tbody>
                            {d.quotes.iter().map(|q| {
                                let (id_send, id_won, id_lost) = (q.id.to_string(), q.id.to_string(), q.id.to_string());
                                view! {
                                    <tr class="border-t border-slate-100" data-testid="quote-row" data-quote=q.id.to_string()>
                                        <td class="py-1"><a class="text-indigo-700 underline" href=format!("/quotes/{}", q.id)>{quote_label(q.number)}</a>
                                            {q.valid_until.clone().map(|v| view! { <span class="ml-1 text-xs text-slate-600">{tr_args("deal-quotes-until", &[("date", date(&v, locale).into())])}</span> })}
                                        </td>
                                        <td class="py-1"><span class=format!("rounded px-1.5 py-0.5 text-xs {}", status_badge(&q.status))>{status_text(&q.status)}</span></td>
                                        <td class="py-1 text-right font-medium">{money(q.total_cents, &q.currency, locale)}</td>
                                        <td class="py-1 text-right">{q.view_count}</td>
                                        <td class="py-1">
                                            <div class="flex justify-end gap-1">
                                                {can_send(&q.status).then(move || view! {
                                                    <RpcForm action=SendQuote::PATH confirm=tr("quote-send-confirm")>
                                                        <input type="hidden" name="quote_id" value=id_send />
                                                        <button type="submit" class=format!("{small} bg-indigo-600 text-white") data-testid="quote-send">{tr("quote-send")}</button>
                                                    </RpcForm>
                                                })}
                                                {can_mark_won(&q.status).then(move || view! {
                                                    <RpcForm action=MarkQuoteWon::PATH>
                                                        <input type="hidden" name="quote_id" value=id_won />
                                                        <button type="submit" class=format!("{small} bg-emerald-700 text-white") data-testid="quote-won">{tr("quote-action-won")}</button>
                                                    </RpcForm>
                                                })}
                                                {can_mark_lost(&q.status).then(move || view! {
                                                    <RpcForm action=MarkQuoteLost::PATH confirm=tr("quote-lost-confirm")>
                                                        <input type="hidden" name="quote_id" value=id_lost />
                                                        <button type="submit" class=format!("{small} border border-slate-300") data-testid="quote-lost">{tr("quote-action-lost")}</button>
                                                    </RpcForm>
                                                })}
                                            </div>
                                        </td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
            <HandQuoteForm deal_id=deal_id />
        </section>
    }
}

/// The "new quote by hand" form: item rows that can be added and removed, charges, notes and
/// the validity date.
#[component]
fn HandQuoteForm(deal_id: DealId) -> impl IntoView {
    let input = "block w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";
    let label = "text-xs text-slate-600";
    view! {
        <details class="mt-3 rounded-md border border-slate-200 p-3" data-testid="quote-hand">
            <summary class="cursor-pointer text-sm font-medium">{tr("deal-quotes-new-by-hand")}</summary>
            <RpcForm action=CreateQuote::PATH attr:class="mt-2 space-y-2" attr:data-testid="quote-form">
                <input type="hidden" name="id" value=deal_id.to_string() />
                <ItemRows initial=Vec::new() />
                <div class="grid grid-cols-2 gap-2 sm:grid-cols-3">
                    <label class=label>{tr("quote-tax")}<input name="tax" inputmode="decimal" placeholder="0.00" class=input /></label>
                    <label class=label>{tr("quote-shipping")}<input name="shipping" inputmode="decimal" placeholder="0.00" class=input /></label>
                    <label class=label>{tr("quote-valid-until")}<input name="valid_until" type="date" class=input /></label>
                </div>
                <label class=format!("block {label}")>{tr("quote-notes")}
                    <textarea name="notes" rows="2" maxlength="5000" class=input></textarea>
                </label>
                <button type="submit" class="rounded-md bg-indigo-600 px-3 py-1.5 text-sm text-white disabled:opacity-60" data-testid="quote-create">{tr("deal-quotes-create")}</button>
            </RpcForm>
        </details>
    }
}
