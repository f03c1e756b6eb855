//! The Leptos UI: the HTML shell, routes, layout, and the pages with their server functions.

pub mod activities;
pub mod auth;
pub mod automations;
pub mod board;
pub mod contacts;
pub mod deal;
#[cfg(feature = "hydrate")]
pub mod enhance;
pub mod error;
pub mod feedback;
mod loader;
pub mod notifications;
pub mod organizations;
pub mod portal;
pub mod quotes;
pub mod related;
#[cfg(feature = "ssr")]
pub mod server_ctx;
pub mod settings;

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use activities::{ActivitiesPage, LeaderboardPage};
use auth::{LoginPage, Logout};
use automations::{AutomationEditorPage, AutomationLogsPage, AutomationsPage, OutboxPage};
use board::BoardPage;
use contacts::{ContactPage, ContactsPage};
use deal::DealPage;
use feedback::RpcForm;
use loader::{ChunkPreloads, IslandsLoader};
use notifications::NotificationsBell;
use organizations::{OrganizationPage, OrganizationsPage};
use portal::PortalPage;
use quotes::QuoteViewPage;
use settings::SettingsPage;

/// The HTML document around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <PagePolicy />
                <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
                <AutoReload options=options.clone() />
                <IslandsLoader options=options.clone() />
                <MetaTags />
            </head>
            <body class="bg-slate-100 text-slate-900">
                <App />
                <ChunkPreloads options />
            </body>
        </html>
    }
}

/// Sets the page's Content-Security-Policy (see `server::headers`), allowing the inline
/// scripts that carry this response's nonce.
#[component]
fn PagePolicy() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let (Some(nonce), Some(res)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) {
        if let Ok(policy) =
            axum::http::HeaderValue::from_str(&crate::server::headers::page_policy(&nonce))
        {
            res.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, policy);
        }
    }
}

/// The application: routes and the page frame. Pages render on the server only; the
/// interactive parts of a page are islands.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/dealflow.css" />
        <Title text="Dealflow" />
        <Router>
            <Routes fallback=|| view! { <NotFound /> }>
                <Route path=path!("/login") view=LoginPage />
                <Route path=path!("/") ssr=SsrMode::Async view=|| view! { <Frame><BoardPage /></Frame> } />
                <Route path=path!("/activities") ssr=SsrMode::Async view=|| view! { <Frame><ActivitiesPage /></Frame> } />
                <Route path=path!("/leaderboard") ssr=SsrMode::Async view=|| view! { <Frame><LeaderboardPage /></Frame> } />
                <Route path=path!("/contacts") ssr=SsrMode::Async view=|| view! { <Frame><ContactsPage /></Frame> } />
                <Route path=path!("/contacts/:id") ssr=SsrMode::Async view=|| view! { <Frame><ContactPage /></Frame> } />
                <Route path=path!("/organizations") ssr=SsrMode::Async view=|| view! { <Frame><OrganizationsPage /></Frame> } />
                <Route path=path!("/organizations/:id") ssr=SsrMode::Async view=|| view! { <Frame><OrganizationPage /></Frame> } />
                <Route path=path!("/settings") ssr=SsrMode::Async view=|| view! { <Frame><SettingsPage /></Frame> } />
                <Route path=path!("/automations") ssr=SsrMode::Async view=|| view! { <Frame><AutomationsPage /></Frame> } />
                <Route path=path!("/automations/new") ssr=SsrMode::Async view=|| view! { <Frame><AutomationEditorPage /></Frame> } />
                <Route path=path!("/automations/:id") ssr=SsrMode::Async view=|| view! { <Frame><AutomationEditorPage /></Frame> } />
                <Route path=path!("/automations/:id/logs") ssr=SsrMode::Async view=|| view! { <Frame><AutomationLogsPage /></Frame> } />
                <Route path=path!("/outbox") ssr=SsrMode::Async view=|| view! { <Frame><OutboxPage /></Frame> } />
                <Route path=path!("/deals/:id") ssr=SsrMode::Async view=|| view! { <Frame><DealPage /></Frame> } />
                <Route path=path!("/quotes/:id") ssr=SsrMode::Async view=|| view! { <Frame><QuoteViewPage /></Frame> } />
                <Route path=path!("/q/:token") ssr=SsrMode::Async view=PortalPage />
                <Route path=path!("/pipelines/:id") ssr=SsrMode::Async view=|| view! { <Frame><BoardPage /></Frame> } />
            </Routes>
        </Router>
    }
}

/// Header and main area of every signed-in page.
#[component]
fn Frame(children: Children) -> impl IntoView {
    let user = Resource::new(|| (), |_| auth::me());
    view! {
        <header class="bg-slate-900 text-white print:hidden">
            <div class="px-4 h-12 flex items-center gap-6">
                <a href="/" class="font-semibold tracking-tight">"Dealflow"</a>
                <nav class="flex gap-4 text-sm text-slate-300">
                    <a href="/" class="hover:text-white">"Pipeline"</a>
                    <a href="/activities" class="hover:text-white">"Activities"</a>
                    <a href="/contacts" class="hover:text-white">"Contacts"</a>
                    <a href="/organizations" class="hover:text-white">"Organizations"</a>
                    <a href="/leaderboard" class="hover:text-white">"Leaderboard"</a>
                    <a href="/automations" class="hover:text-white">"Automations"</a>
                    <a href="/settings" class="hover:text-white">"Settings"</a>
                </nav>
                <div class="ml-auto flex items-center gap-3 text-sm">
                    <NotificationsBell />
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            user.await.ok().flatten().map(|u| view! {
                                <span class="text-slate-300" data-testid="current-user">
                                    {u.name} " · " {u.account_name}
                                </span>
                            })
                        })}
                    </Suspense>
                    <RpcForm action=Logout::PATH>
                        <button type="submit" class="rounded bg-slate-700 px-2 py-1 hover:bg-slate-600">"Log out"</button>
                    </RpcForm>
                </div>
            </div>
        </header>
        <main class="p-4 print:p-0">{children()}</main>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
            res.set_status(axum::http::StatusCode::NOT_FOUND);
        }
    }
    view! {
        <div class="p-10 text-center">
            <h1 class="text-2xl font-semibold">"Page not found"</h1>
            <p class="mt-2 text-slate-600">"There is nothing at this address."</p>
            <a class="mt-4 inline-block text-indigo-600 underline" href="/">"Back to the pipeline"</a>
        </div>
    }
}
