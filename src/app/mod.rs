//! The Leptos UI: the HTML shell, routes, layout, and the pages with their server functions.

pub mod activities;
pub mod auth;
pub mod automations;
pub mod board;
pub mod contacts;
pub mod deal;
pub mod feedback;
pub mod notifications;
pub mod organizations;
pub mod portal;
pub mod quotes;
pub mod related;
#[cfg(feature = "ssr")]
pub mod server_ctx;
pub mod settings;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::{lazy_route, path, Lazy, LazyRoute, SsrMode};

use activities::{ActivitiesPage, LeaderboardPage};
use auth::{LoginPage, Logout};
use automations::{AutomationEditorPage, AutomationLogsPage, AutomationsPage, OutboxPage};
use board::BoardPage;
use contacts::{ContactPage, ContactsPage};
use deal::DealPage;
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
                <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body class="bg-slate-100 text-slate-900">
                <App />
            </body>
        </html>
    }
}

/// The application: routes and the page frame.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/dealflow.css" />
        <Title text="Dealflow" />
        <Router>
            <Routes fallback=|| view! { <NotFound /> }>
                <Route path=path!("/login") view=LoginPage />
                <Route path=path!("/") ssr=SsrMode::Async view={Lazy::<BoardRoute>::new()} />
                <Route path=path!("/activities") ssr=SsrMode::Async view={Lazy::<ActivitiesRoute>::new()} />
                <Route path=path!("/leaderboard") ssr=SsrMode::Async view={Lazy::<LeaderboardRoute>::new()} />
                <Route path=path!("/contacts") ssr=SsrMode::Async view={Lazy::<ContactsRoute>::new()} />
                <Route path=path!("/contacts/:id") ssr=SsrMode::Async view={Lazy::<ContactRoute>::new()} />
                <Route path=path!("/organizations") ssr=SsrMode::Async view={Lazy::<OrganizationsRoute>::new()} />
                <Route path=path!("/organizations/:id") ssr=SsrMode::Async view={Lazy::<OrganizationRoute>::new()} />
                <Route path=path!("/settings") ssr=SsrMode::Async view={Lazy::<SettingsRoute>::new()} />
                <Route path=path!("/automations") ssr=SsrMode::Async view={Lazy::<AutomationsRoute>::new()} />
                <Route path=path!("/automations/new") ssr=SsrMode::Async view={Lazy::<AutomationEditorRoute>::new()} />
                <Route path=path!("/automations/:id") ssr=SsrMode::Async view={Lazy::<AutomationEditorRoute>::new()} />
                <Route path=path!("/automations/:id/logs") ssr=SsrMode::Async view={Lazy::<AutomationLogsRoute>::new()} />
                <Route path=path!("/outbox") ssr=SsrMode::Async view={Lazy::<OutboxRoute>::new()} />
                <Route path=path!("/deals/:id") ssr=SsrMode::Async view={Lazy::<DealRoute>::new()} />
                <Route path=path!("/quotes/:id") ssr=SsrMode::Async view={Lazy::<QuoteRoute>::new()} />
                <Route path=path!("/q/:token") ssr=SsrMode::Async view={Lazy::<PortalRoute>::new()} />
                <Route path=path!("/pipelines/:id") ssr=SsrMode::Async view={Lazy::<BoardRoute>::new()} />
            </Routes>
        </Router>
    }
}

// Each page is a lazy route: with `cargo leptos build --split` its code is a separate wasm
// file that the browser fetches the first time the page is shown; the shell, the router and
// the sign-in page stay in the main file. Without splitting they behave as plain routes.

#[derive(Debug)]
struct BoardRoute;

#[lazy_route]
impl LazyRoute for BoardRoute {
    fn data() -> Self {
        BoardRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <Frame><BoardPage /></Frame> }.into_any()
    }
}

#[derive(Debug)]
struct ActivitiesRoute;

#[lazy_route]
impl LazyRoute for ActivitiesRoute {
    fn data() -> Self {
        ActivitiesRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <Frame><ActivitiesPage /></Frame> }.into_any()
    }
}

#[derive(Debug)]
struct LeaderboardRoute;

#[lazy_route]
impl LazyRoute for LeaderboardRoute {
    fn data() -> Self {
        LeaderboardRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <Frame><LeaderboardPage /></Frame> }.into_any()
    }
}

#[derive(Debug)]
struct ContactsRoute;

#[lazy_route]
impl LazyRoute for ContactsRoute {
    fn data() -> Self {
        ContactsRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <Frame><ContactsPage /></Frame> }.into_any()
    }
}

#[derive(Debug)]
struct ContactRoute;

#[lazy_route]
impl LazyRoute for ContactRoute {
    fn data() -> Self {
        ContactRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <Frame><ContactPage /></Frame> }.into_any()
    }
}

#[derive(Debug)]
struct OrganizationsRoute;

#[lazy_route]
impl LazyRoute for OrganizationsRoute {
    fn data() -> Self {
        OrganizationsRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <Frame><OrganizationsPage /></Frame> }.into_any()
    }
}

#[derive(Debug)]
struct OrganizationRoute;

#[lazy_route]
impl LazyRoute for OrganizationRoute {
    fn data() -> Self {
        OrganizationRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <Frame><OrganizationPage /></Frame> }.into_any()
    }
}

#[derive(Debug)]
struct SettingsRoute;

#[lazy_route]
impl LazyRoute for SettingsRoute {
    fn data() -> Self {
        SettingsRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <Frame><SettingsPage /></Frame> }.into_any()
    }
}

#[derive(Debug)]
struct AutomationsRoute;

#[lazy_route]
impl LazyRoute for AutomationsRoute {
    fn data() -> Self {
        AutomationsRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <Frame><AutomationsPage /></Frame> }.into_any()
    }
}

#[derive(Debug)]
struct AutomationEditorRoute;

#[lazy_route]
impl LazyRoute for AutomationEditorRoute {
    fn data() -> Self {
        AutomationEditorRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <Frame><AutomationEditorPage /></Frame> }.into_any()
    }
}

#[derive(Debug)]
struct AutomationLogsRoute;

#[lazy_route]
impl LazyRoute for AutomationLogsRoute {
    fn data() -> Self {
        AutomationLogsRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <Frame><AutomationLogsPage /></Frame> }.into_any()
    }
}

#[derive(Debug)]
struct OutboxRoute;

#[lazy_route]
impl LazyRoute for OutboxRoute {
    fn data() -> Self {
        OutboxRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <Frame><OutboxPage /></Frame> }.into_any()
    }
}

#[derive(Debug)]
struct DealRoute;

#[lazy_route]
impl LazyRoute for DealRoute {
    fn data() -> Self {
        DealRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <Frame><DealPage /></Frame> }.into_any()
    }
}

#[derive(Debug)]
struct QuoteRoute;

#[lazy_route]
impl LazyRoute for QuoteRoute {
    fn data() -> Self {
        QuoteRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <Frame><QuoteViewPage /></Frame> }.into_any()
    }
}

#[derive(Debug)]
struct PortalRoute;

#[lazy_route]
impl LazyRoute for PortalRoute {
    fn data() -> Self {
        PortalRoute
    }

    fn view(_this: Self) -> AnyView {
        view! { <PortalPage /> }.into_any()
    }
}

/// Header and main area of every signed-in page.
#[component]
fn Frame(children: Children) -> impl IntoView {
    let logout = ServerAction::<Logout>::new();
    let user = Resource::new(|| (), |_| auth::me());
    view! {
        <header class="bg-slate-900 text-white print:hidden">
            <div class="px-4 h-12 flex items-center gap-6">
                <A href="/" attr:class="font-semibold tracking-tight">"Dealflow"</A>
                <nav class="flex gap-4 text-sm text-slate-300">
                    <A href="/" attr:class="hover:text-white">"Pipeline"</A>
                    <A href="/activities" attr:class="hover:text-white">"Activities"</A>
                    <A href="/contacts" attr:class="hover:text-white">"Contacts"</A>
                    <A href="/organizations" attr:class="hover:text-white">"Organizations"</A>
                    <A href="/leaderboard" attr:class="hover:text-white">"Leaderboard"</A>
                    <A href="/automations" attr:class="hover:text-white">"Automations"</A>
                    <A href="/settings" attr:class="hover:text-white">"Settings"</A>
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
                    <ActionForm action=logout>
                        <button type="submit" class="rounded bg-slate-700 px-2 py-1 hover:bg-slate-600">"Log out"</button>
                    </ActionForm>
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
