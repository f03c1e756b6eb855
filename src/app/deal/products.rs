//! The deal's product lines and their total.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::app::error::AppError;
use crate::domain::deal::DealDetail;
use crate::domain::DealId;
use crate::i18n::format::{amount, money};
use crate::i18n::{tr, tr_args};

use super::{region, LinkedSentence};

use crate::app::feedback::RpcForm;

/// Adds a product line; an empty unit amount takes the product's price.
#[server(prefix = "/rpc", endpoint = "add_deal_product")]
pub async fn add_deal_product(
    id: DealId,
    product_id: String,
    quantity: String,
    #[server(default)] unit_amount: String,
) -> Result<(), AppError> {
    use crate::app::server_ctx::{form_id, signed_in};
    use crate::server::services::deals::products::{add_line, NewLine};
    use crate::server::ServiceError;
    let (state, me) = signed_in().await?;
    let product_id = form_id("product_id", &product_id)?
        .ok_or_else(|| ServiceError::invalid("product_id", tr("deal-error-choose-product")))?;
    let quantity = form_id("quantity", &quantity)?.unwrap_or(1);
    let line = NewLine {
        product_id,
        quantity,
        unit_amount,
    };
    add_line(&state.db, (&me).into(), id, &line)
        .await
        .map(|_| ())
        .map_err(AppError::from)
}

/// Removes a product line.
#[server(prefix = "/rpc", endpoint = "remove_deal_product")]
pub async fn remove_deal_product(id: DealId, line_id: i64) -> Result<(), AppError> {
    use crate::app::server_ctx::signed_in;
    let (state, me) = signed_in().await?;
    crate::server::services::deals::products::remove_line(&state.db, (&me).into(), id, line_id)
        .await
        .map_err(AppError::from)
}

/// Product lines with quantity, unit amount and line total, the deal total, and a form to add one.
#[component]
pub fn ProductsPanel(d: DealDetail) -> impl IntoView {
    let input = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";
    let locale = crate::i18n::current();
    let deal_id = d.id;
    let total = d.products_total_cents();
    let currency = d.currency.clone();
    view! {
        <section id=region::PRODUCTS class="rounded-lg bg-white p-4 shadow-sm" data-testid="products">
            <h2 class="font-semibold mb-2">{tr("deal-products")}</h2>
            {if d.lines.is_empty() {
                view! { <p class="text-sm text-slate-500">{tr("deal-no-products")}</p> }.into_any()
            } else {
                let currency = currency.clone();
                view! {
                    <table class="w-full text-sm">
                        <thead class="text-left text-xs text-slate-500">
                            <tr><th class="py-1">{tr("deal-product")}</th><th class="py-1 text-right">{tr("deal-qty")}</th>
                                <th class="py-1 text-right">{tr("deal-unit")}</th><th class="py-1 text-right">{tr("deal-total")}</th><th></th></tr>
                        </thead>
                        <tbody>
                            {d.lines.into_iter().map(|l| view! {
                                <tr class="border-t border-slate-100" data-testid="line">
                                    <td class="py-1">{l.product_name.clone()}
                                        {(!l.product_identifier.is_empty()).then(|| view! { <span class="ml-1 text-xs text-slate-600">{l.product_identifier.clone()}</span> })}
                                    </td>
                                    <td class="py-1 text-right">{l.quantity}</td>
                                    <td class="py-1 text-right">{amount(l.unit_amount_cents, locale)}</td>
                                    <td class="py-1 text-right font-medium">{amount(l.total_amount_cents, locale)}</td>
                                    <td class="py-1 text-right">
                                        <RpcForm action=RemoveDealProduct::PATH refresh=region::LINES>
                                            <input type="hidden" name="id" value=deal_id.to_string() />
                                            <input type="hidden" name="line_id" value=l.id.to_string() />
                                            <button type="submit" class="text-xs text-slate-500 hover:text-red-700 hover:underline"
                                                aria-label=tr_args("deal-remove-product", &[("name", l.product_name.clone().into())])>{tr("deal-remove")}</button>
                                        </RpcForm>
                                    </td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                        <tfoot>
                            <tr class="border-t border-slate-300 font-semibold">
                                <td class="py-1" colspan="3">{tr("deal-products-total")}</td>
                                <td class="py-1 text-right" data-testid="products-total">{money(total, &currency, locale)}</td>
                                <td></td>
                            </tr>
                        </tfoot>
                    </table>
                }.into_any()
            }}
            {if d.choices.products.is_empty() {
                view! {
                    <p class="mt-2 text-xs text-slate-500">
                        <LinkedSentence id="deal-catalog-empty" link_id="deal-settings-link" href="/settings" />
                    </p>
                }.into_any()
            } else {
                view! {
                    <RpcForm action=AddDealProduct::PATH refresh=region::LINES attr:class="mt-3 flex flex-wrap items-end gap-2" attr:data-testid="product-form">
                        <input type="hidden" name="id" value=deal_id.to_string() />
                        <label class="text-xs text-slate-600 grow">{tr("deal-product")}
                            <select name="product_id" required class=format!("block w-full {input}")>
                                <option value="">{tr("deal-choose-product")}</option>
                                {d.choices.products.into_iter().map(|p| view! {
                                    <option value=p.id.to_string()>{format!("{} — {}", p.name, money(p.unit_amount_cents, &p.currency, locale))}</option>
                                }).collect_view()}
                            </select>
                        </label>
                        <label class="text-xs text-slate-600">{tr("deal-qty")}
                            <input name="quantity" type="number" min="1" value="1" class=format!("block w-20 {input}") />
                        </label>
                        <label class="text-xs text-slate-600">{tr("deal-unit-amount")}
                            <input name="unit_amount" inputmode="decimal" placeholder=tr("deal-catalog-price") class=format!("block w-32 {input}") />
                        </label>
                        <button type="submit" class="rounded-md bg-slate-800 px-3 py-1.5 text-sm text-white">{tr("deal-add")}</button>
                    </RpcForm>
                }.into_any()
            }}
        </section>
    }
}
