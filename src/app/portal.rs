//! `/q/:token`: the client's quote portal, without the app frame and without a login. The
//! token alone authorizes reading the quote and accepting or rejecting it; rendering the page
//! on the server counts one view.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::domain::quote::{can_respond, QuoteDetail};

use super::auth::clean_error;
use super::feedback::{confirm_submit, ErrorBanner, Feedback};
use super::quotes::QuoteDocument;

/// The quote behind a portal token. `count` adds a view (the page's first load does; reloads
/// after the client's choice do not).
#[server(prefix = "/rpc", endpoint = "portal_quote")]
pub async fn portal_quote(token: String, count: bool) -> Result<QuoteDetail, ServerFnError> {
    use super::server_ctx::{app_state, fail};
    use crate::server::services::quotes;
    let state = app_state()?;
    if count {
        quotes::portal_view(&state.db, &token).await
    } else {
        quotes::portal_get(&state.db, &token).await
    }
    .map_err(fail)
}

/// The client accepts the quote.
#[server(prefix = "/rpc", endpoint = "portal_accept_quote")]
pub async fn portal_accept_quote(token: String) -> Result<(), ServerFnError> {
    use super::server_ctx::{app_state, fail};
    let state = app_state()?;
    crate::server::services::quotes::portal_accept(&state.db, &token)
        .await
        .map(|_| ())
        .map_err(fail)
}

/// The client rejects the quote.
#[server(prefix = "/rpc", endpoint = "portal_reject_quote")]
pub async fn portal_reject_quote(token: String) -> Result<(), ServerFnError> {
    use super::server_ctx::{app_state, fail};
    let state = app_state()?;
    crate::server::services::quotes::portal_reject(&state.db, &token)
        .await
        .map(|_| ())
        .map_err(fail)
}

/// `/q/:token`.
#[component]
pub fn PortalPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let feedback = Feedback::new();
    let accept = ServerAction::<PortalAcceptQuote>::new();
    let reject = ServerAction::<PortalRejectQuote>::new();
    feedback.watch(accept);
    feedback.watch(reject);
    let quote = Resource::new(
        move || (token(), feedback.reloads.get()),
        |(token, reloads)| portal_quote(token, reloads == 0),
    );
    let answered = move || {
        if matches!(accept.value().get(), Some(Ok(()))) {
            Some("Thank you — you accepted this quote. The seller has been told.")
        } else if matches!(reject.value().get(), Some(Ok(()))) {
            Some("You rejected this quote. The seller has been told.")
        } else {
            None
        }
    };
    view! {
        <main class="mx-auto max-w-4xl p-4 sm:p-8">
            <Suspense fallback=|| view! { <p class="p-6 text-slate-500" aria-busy="true">"Loading the quote…"</p> }>
                {move || Suspend::new(async move {
                    match quote.await {
                        Err(e) => {
                            let message = clean_error(&e.to_string());
                            let missing = message.contains("not found");
                            view! {
                                <div class="p-10 text-center" data-testid="portal-missing">
                                    <h1 class="text-2xl font-semibold">{if missing { "Quote not found" } else { "This quote could not be loaded" }}</h1>
                                    <p class="mt-2 text-slate-600">{if missing {
                                        "This link does not lead to a quote. Check that you copied the whole address from the e-mail.".to_string()
                                    } else {
                                        message
                                    }}</p>
                                </div>
                            }.into_any()
                        }
                        Ok(q) => {
                            let (accept_token, reject_token) = (token(), token());
                            let open = can_respond(&q.status);
                            let closed_note = match q.status.as_str() {
                                "ACCEPTED" | "WON" => Some("You accepted this quote."),
                                "REJECTED" | "LOST" => Some("This quote was declined."),
                                "GENERATED" => Some("This quote is still being prepared."),
                                _ => None,
                            };
                            view! {
                                <div class="space-y-4">
                                    <ErrorBanner feedback=feedback testid="portal-error" />
                                    {move || answered().map(|m| view! {
                                        <p role="status" class="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800" data-testid="portal-answered">{m}</p>
                                    })}
                                    {(!open).then(|| closed_note.map(|m| view! {
                                        <p class="rounded-md bg-slate-200 px-3 py-2 text-sm text-slate-700" data-testid="portal-closed">{m}</p>
                                    }))}
                                    <QuoteDocument q=q />
                                    {open.then(move || view! {
                                        <section class="flex flex-wrap gap-3 print:hidden" data-testid="portal-actions">
                                            <ActionForm action=accept on:submit=confirm_submit("Accept this quote?")>
                                                <input type="hidden" name="token" value=accept_token />
                                                <button type="submit" class="rounded-md bg-emerald-600 px-4 py-2 text-white hover:bg-emerald-700 disabled:opacity-60"
                                                    disabled=move || accept.pending().get() data-testid="portal-accept">"Accept quote"</button>
                                            </ActionForm>
                                            <ActionForm action=reject on:submit=confirm_submit("Reject this quote?")>
                                                <input type="hidden" name="token" value=reject_token />
                                                <button type="submit" class="rounded-md border border-slate-300 bg-white px-4 py-2 hover:bg-slate-50 disabled:opacity-60"
                                                    disabled=move || reject.pending().get() data-testid="portal-reject">"Reject"</button>
                                            </ActionForm>
                                        </section>
                                    })}
                                </div>
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </main>
    }
}
