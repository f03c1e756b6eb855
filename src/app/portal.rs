//! `/q/:token`: the client's quote portal, without the app frame and without a login. The
//! token alone authorizes reading the quote and accepting or rejecting it; rendering the page
//! on the server counts one view (but not the page shown after the client's answer).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::app::error::AppError;
use crate::domain::quote::{can_respond, QuoteDetail};
use crate::i18n::tr;

use super::feedback::{ErrorBanner, RpcForm};
use super::quotes::QuoteDocument;

/// The quote behind a portal token. `count` adds a view (a visit does; the page shown after the
/// client's answer does not).
#[server(prefix = "/rpc", endpoint = "portal_quote")]
pub async fn portal_quote(token: String, count: bool) -> Result<QuoteDetail, AppError> {
    use super::server_ctx::app_state;
    use crate::server::services::quotes;
    let state = app_state()?;
    if count {
        quotes::portal_view(&state.db, &token).await
    } else {
        quotes::portal_get(&state.db, &token).await
    }
    .map_err(AppError::from)
}

/// The client accepts the quote, then sees the portal page thanking them.
#[server(prefix = "/rpc", endpoint = "portal_accept_quote")]
pub async fn portal_accept_quote(token: String) -> Result<(), AppError> {
    use super::server_ctx::app_state;
    let state = app_state()?;
    crate::server::services::quotes::portal_accept(&state.db, &token).await?;
    leptos_axum::redirect(&answered_url(&token, "accepted"));
    Ok(())
}

/// The client rejects the quote, then sees the portal page saying so.
#[server(prefix = "/rpc", endpoint = "portal_reject_quote")]
pub async fn portal_reject_quote(token: String) -> Result<(), AppError> {
    use super::server_ctx::app_state;
    let state = app_state()?;
    crate::server::services::quotes::portal_reject(&state.db, &token).await?;
    leptos_axum::redirect(&answered_url(&token, "rejected"));
    Ok(())
}

/// The portal page that follows the client's answer.
#[cfg(feature = "ssr")]
fn answered_url(token: &str, answer: &str) -> String {
    format!("/q/{}?answer={answer}", crate::domain::url_encode(token))
}

/// `/q/:token`.
#[component]
pub fn PortalPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let answer = use_query_map().read_untracked().get("answer");
    let answered = match answer.as_deref() {
        Some("accepted") => Some(tr("portal-answered-accepted")),
        Some("rejected") => Some(tr("portal-answered-rejected")),
        _ => None,
    };
    let count = answered.is_none();
    let quote = Resource::new(token, move |token| portal_quote(token, count));
    view! {
        <main class="mx-auto max-w-4xl p-4 sm:p-8">
            <Suspense fallback=|| view! { <p class="p-6 text-slate-500" aria-busy="true">{tr("quote-loading")}</p> }>
                {move || {
                    let answered = answered.clone();
                    Suspend::new(async move {
                        match quote.await {
                            Err(e) => {
                                let missing = e.code == "NOT_FOUND";
                                let (title, message) = if missing {
                                    (tr("portal-not-found"), tr("portal-not-found-text"))
                                } else {
                                    (tr("portal-load-failed"), e.to_string())
                                };
                                view! {
                                    <div class="p-10 text-center" data-testid="portal-missing">
                                        <h1 class="text-2xl font-semibold">{title}</h1>
                                        <p class="mt-2 text-slate-600">{message}</p>
                                    </div>
                                }.into_any()
                            }
                            Ok(q) => {
                                let (accept_token, reject_token) = (token(), token());
                                let open = can_respond(&q.status);
                                let closed_note = match q.status.as_str() {
                                    "ACCEPTED" | "WON" => Some(tr("portal-closed-accepted")),
                                    "REJECTED" | "LOST" => Some(tr("portal-closed-declined")),
                                    "GENERATED" => Some(tr("portal-closed-preparing")),
                                    _ => None,
                                };
                                view! {
                                    <div class="space-y-4">
                                        <ErrorBanner testid="portal-error" />
                                        {answered.map(|m| view! {
                                            <p role="status" class="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800" data-testid="portal-answered">{m}</p>
                                        })}
                                        {(!open).then(|| closed_note.map(|m| view! {
                                            <p class="rounded-md bg-slate-200 px-3 py-2 text-sm text-slate-700" data-testid="portal-closed">{m}</p>
                                        }))}
                                        <QuoteDocument q=q />
                                        {open.then(move || view! {
                                            <section class="flex flex-wrap gap-3 print:hidden" data-testid="portal-actions">
                                                <RpcForm action=PortalAcceptQuote::PATH confirm=tr("portal-accept-confirm")>
                                                    <input type="hidden" name="token" value=accept_token />
                                                    <button type="submit" class="rounded-md bg-emerald-700 px-4 py-2 text-white hover:bg-emerald-800 disabled:opacity-60" data-testid="portal-accept">{tr("portal-accept")}</button>
                                                </RpcForm>
                                                <RpcForm action=PortalRejectQuote::PATH confirm=tr("portal-reject-confirm")>
                                                    <input type="hidden" name="token" value=reject_token />
                                                    <button type="submit" class="rounded-md border border-slate-300 bg-white px-4 py-2 hover:bg-slate-50 disabled:opacity-60" data-testid="portal-reject">{tr("portal-reject")}</button>
                                                </RpcForm>
                                            </section>
                                        })}
                                    </div>
                                }.into_any()
                            }
                        }
                    })
                }}
            </Suspense>
        </main>
    }
}
