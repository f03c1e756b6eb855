//! Settings → tags and products.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::app::error::AppError;
use crate::app::feedback::{ErrorBanner, RpcForm};
use crate::domain::catalog::{Choice, Product};
use crate::domain::money::format_cents;
use crate::domain::ProductId;
use crate::i18n::tr;

/// The account's tags and every product, retired ones included.
#[server(prefix = "/rpc", endpoint = "catalog_settings")]
pub async fn catalog_settings() -> Result<(Vec<Choice>, Vec<Product>), AppError> {
    use crate::app::server_ctx::signed_in;
    use crate::server::services::catalog;
    let (state, me) = signed_in().await?;
    let tags = catalog::tags(&state.db, me.account_id).await?;
    let products = catalog::products(&state.db, me.account_id, false).await?;
    Ok((tags, products))
}

/// Adds (`op=add`), renames (`op=rename`) or deletes (`op=delete`) a tag.
#[server(prefix = "/rpc", endpoint = "edit_tag")]
pub async fn edit_tag(
    op: String,
    #[server(default)] id: String,
    #[server(default)] name: String,
) -> Result<(), AppError> {
    use crate::app::server_ctx::{form_id, signed_in};
    use crate::server::services::catalog;
    use crate::server::ServiceError;
    let (state, me) = signed_in().await?;
    let id = form_id("id", &id)?;
    match (op.as_str(), id) {
        ("add", _) => catalog::add_tag(&state.db, &me, &name).await.map(|_| ()),
        ("rename", Some(id)) => catalog::rename_tag(&state.db, &me, id, &name).await,
        ("delete", Some(id)) => catalog::delete_tag(&state.db, &me, id).await,
        ("rename" | "delete", None) => Err(ServiceError::NotFound("tag")),
        (other, _) => Err(ServiceError::invalid(
            "op",
            crate::i18n::tr_args("set-error-tag-op", &[("op", other.to_string().into())]),
        )),
    }
    .map_err(AppError::from)
}

/// Adds a product (no `id`) or changes one.
#[server(prefix = "/rpc", endpoint = "save_product")]
pub async fn save_product(
    #[server(default)] id: String,
    name: String,
    #[server(default)] identifier: String,
    #[server(default)] unit_amount: String,
    #[server(default)] currency: String,
) -> Result<(), AppError> {
    use crate::app::server_ctx::{form_id, signed_in};
    use crate::server::services::catalog::{add_product, update_product, ProductInput};
    let (state, me) = signed_in().await?;
    let input = ProductInput {
        name,
        identifier,
        unit_amount,
        currency,
    };
    match form_id("id", &id)? {
        None => add_product(&state.db, &me, &input).await.map(|_| ()),
        Some(id) => update_product(&state.db, &me, id, &input).await,
    }
    .map_err(AppError::from)
}

/// Retires (`active=false`) or restores a product.
#[server(prefix = "/rpc", endpoint = "set_product_active")]
pub async fn set_product_active(id: ProductId, active: bool) -> Result<(), AppError> {
    use crate::app::server_ctx::signed_in;
    let (state, me) = signed_in().await?;
    crate::server::services::catalog::set_product_active(&state.db, &me, id, active)
        .await
        .map_err(AppError::from)
}

/// The tags and products sections of `/settings`.
#[component]
pub fn CatalogSettings(can: bool) -> impl IntoView {
    let data = Resource::new(|| (), |_| catalog_settings());
    let input = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";
    view! {
        <div class="space-y-4">
        <ErrorBanner testid="catalog-error" />
        <Suspense fallback=|| view! { <p class="text-sm text-slate-500" aria-busy="true">{tr("set-catalog-loading")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <p role="alert" class="text-sm text-red-700">{e.to_string()}</p> }.into_any(),
                    Ok((tags, products)) => view! {
                        <section id=super::section::TAGS class=super::SECTION data-testid="tag-settings">
                            <h2 class="font-semibold mb-2">{tr("set-tags")}</h2>
                            {if tags.is_empty() {
                                view! { <p class="text-sm text-slate-500">{tr("set-tags-empty")}</p> }.into_any()
                            } else {
                                view! { <ul class="divide-y divide-slate-100 text-sm">
                                    {tags.into_iter().map(|t| view! {
                                        <li class="flex items-center gap-2 py-1.5" data-testid="tag-row">
                                            <RpcForm action=EditTag::PATH attr:class="flex gap-2">
                                                <input type="hidden" name="op" value="rename" />
                                                <input type="hidden" name="id" value=t.id.to_string() />
                                                <input name="name" required maxlength="50" value=t.name.clone() aria-label=tr("set-tag-name") class=input disabled=!can />
                                                <button type="submit" disabled=!can class="text-indigo-700 hover:underline disabled:opacity-40">{tr("set-rename")}</button>
                                            </RpcForm>
                                            <RpcForm action=EditTag::PATH attr:class="ml-auto" attr:data-confirm=tr("set-delete-tag-confirm")>
                                                <input type="hidden" name="op" value="delete" />
                                                <input type="hidden" name="id" value=t.id.to_string() />
                                                <button type="submit" disabled=!can class="text-red-700 hover:underline disabled:opacity-40">{tr("set-delete")}</button>
                                            </RpcForm>
                                        </li>
                                    }).collect_view()}
                                </ul> }.into_any()
                            }}
                            <RpcForm action=EditTag::PATH attr:class="mt-2 flex gap-2" attr:data-testid="add-tag">
                                <input type="hidden" name="op" value="add" />
                                <input name="name" required maxlength="50" placeholder=tr("set-new-tag") aria-label=tr("set-new-tag") class=input disabled=!can />
                                <button type="submit" disabled=!can class="rounded-md bg-indigo-600 px-3 py-1 text-sm text-white disabled:opacity-40">{tr("set-add")}</button>
                            </RpcForm>
                        </section>
                        <section id=super::section::PRODUCTS class=super::SECTION data-testid="product-settings">
                            <h2 class="font-semibold mb-2">{tr("set-products")}</h2>
                            {if products.is_empty() {
                                view! { <p class="text-sm text-slate-500">{tr("set-products-empty")}</p> }.into_any()
                            } else {
                                view! { <ul class="divide-y divide-slate-100 text-sm">
                                    {products.into_iter().map(|p| view! {
                                        <li class="flex flex-wrap items-end gap-2 py-2" data-testid="product-row" class:opacity-60=!p.active>
                                            <ProductForm can=can product=Some(p.clone()) />
                                            <RpcForm action=SetProductActive::PATH attr:class="ml-auto">
                                                <input type="hidden" name="id" value=p.id.to_string() />
                                                <input type="hidden" name="active" value=(!p.active).to_string() />
                                                <button type="submit" disabled=!can class="text-slate-700 hover:underline disabled:opacity-40">
                                                    {if p.active { tr("set-product-retire") } else { tr("set-product-restore") }}
                                                </button>
                                            </RpcForm>
                                        </li>
                                    }).collect_view()}
                                </ul> }.into_any()
                            }}
                            <div class="mt-3 border-t border-slate-100 pt-3" data-testid="add-product">
                                <ProductForm can=can product=None />
                            </div>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
        </div>
    }
}

/// The fields of a product, filled in when editing one.
#[component]
fn ProductForm(can: bool, product: Option<Product>) -> impl IntoView {
    let input = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";
    let p = product.clone();
    let id = p.as_ref().map(|p| p.id.to_string()).unwrap_or_default();
    let name = p.as_ref().map(|p| p.name.clone()).unwrap_or_default();
    let identifier = p.as_ref().map(|p| p.identifier.clone()).unwrap_or_default();
    let amount = p
        .as_ref()
        .map(|p| format_cents(p.unit_amount_cents).replace(',', ""))
        .unwrap_or_default();
    let currency = p
        .as_ref()
        .map(|p| p.currency.clone())
        .unwrap_or_else(|| "USD".into());
    let label = if product.is_some() {
        tr("set-save")
    } else {
        tr("set-add-product")
    };
    view! {
        <RpcForm action=SaveProduct::PATH attr:class="flex flex-wrap items-end gap-2">
            <input type="hidden" name="id" value=id />
            <label class="text-xs text-slate-600">{tr("set-name")}
                <input name="name" required maxlength="150" value=name class=format!("block w-44 {input}") disabled=!can />
            </label>
            <label class="text-xs text-slate-600">{tr("set-product-code")}
                <input name="identifier" maxlength="60" value=identifier class=format!("block w-24 {input}") disabled=!can />
            </label>
            <label class="text-xs text-slate-600">{tr("set-product-price")}
                <input name="unit_amount" inputmode="decimal" value=amount placeholder="0.00" class=format!("block w-28 {input}") disabled=!can />
            </label>
            <label class="text-xs text-slate-600">{tr("set-product-currency")}
                <input name="currency" maxlength="3" value=currency class=format!("block w-16 uppercase {input}") disabled=!can />
            </label>
            <button type="submit" disabled=!can class="rounded-md border border-slate-300 px-2 py-1 text-sm disabled:opacity-40">{label}</button>
        </RpcForm>
    }
}
