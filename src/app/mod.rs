//! The Leptos UI: the HTML shell, routes, layout, and the pages with their server functions.

pub mod access;
pub mod activities;
pub mod auth;
pub mod automations;
pub mod board;
pub mod clock;
pub mod contacts;
pub mod deal;
pub mod deal_table;
#[cfg(feature = "hydrate")]
pub mod enhance;
pub mod error;
pub mod feedback;
pub mod import;
pub mod language;
pub mod loader;
pub mod notifications;
pub mod organizations;
pub mod portal;
pub mod preferences;
pub mod quotes;
pub mod related;
pub mod reports;
pub mod search;
#[cfg(feature = "ssr")]
pub mod server_ctx;
pub mod settings;
pub mod shortcuts;
pub mod theme;
pub mod two_factor;

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::i18n::tr;
use activities::{ActivitiesPage, LeaderboardPage};
use auth::{LoginPage, Logout};
use automations::{AutomationEditorPage, AutomationLogsPage, AutomationsPage, OutboxPage};
use board::BoardPage;
use contacts::{ContactPage, ContactsPage};
use deal::DealPage;
use feedback::RpcForm;
use language::LanguagePicker;
use loader::IslandsLoader;
use notifications::NotificationsBell;
use organizations::{OrganizationPage, OrganizationsPage};
use portal::PortalPage;
use preferences::PreferencesPage;
use quotes::QuoteViewPage;
use settings::SettingsPage;
use theme::ThemeToggle;

/// The HTML document around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let stylesheet = loader::SiteFiles::of(&options).stylesheet;
    view! {
        <!DOCTYPE html>
        <html lang=crate::i18n::current().tag()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <theme::ThemeClass />
                <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
                <link id="leptos" rel="stylesheet" href=stylesheet />
                <AutoReload options=options.clone() />
                <IslandsLoader options=options.clone() />
                <MetaTags />
            </head>
            <body class="bg-slate-100 text-slate-900">
                <App />
            </body>
        </html>
    }
}

/// The application: routes and the page frame. Pages render on the server only; the
/// interactive parts of a page are islands.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title text="Dealflow" />
        <Router>
            <Routes fallback=|| view! { <NotFound /> }>
                <Route path=path!("/login") view=LoginPage />
                <Route path=path!("/login/code") ssr=SsrMode::Async view=two_factor::SecondStepPage />
                <Route path=path!("/invitations/:token") ssr=SsrMode::Async view=access::InvitationPage />
                <Route path=path!("/forgot-password") view=access::ForgotPasswordPage />
                <Route path=path!("/reset-password/:token") ssr=SsrMode::Async view=access::ResetPasswordPage />
                <Route path=path!("/") ssr=SsrMode::Async view=|| view! { <Frame><BoardPage /></Frame> } />
                <Route path=path!("/activities") ssr=SsrMode::Async view=|| view! { <Frame><ActivitiesPage /></Frame> } />
                <Route path=path!("/leaderboard") ssr=SsrMode::Async view=|| view! { <Frame><LeaderboardPage /></Frame> } />
                <Route path=path!("/reports") ssr=SsrMode::Async view=|| view! { <Frame><reports::ReportsPage /></Frame> } />
                <Route path=path!("/contacts") ssr=SsrMode::Async view=|| view! { <Frame><ContactsPage /></Frame> } />
                <Route path=path!("/contacts/:id") ssr=SsrMode::Async view=|| view! { <Frame><ContactPage /></Frame> } />
                <Route path=path!("/organizations") ssr=SsrMode::Async view=|| view! { <Frame><OrganizationsPage /></Frame> } />
                <Route path=path!("/organizations/:id") ssr=SsrMode::Async view=|| view! { <Frame><OrganizationPage /></Frame> } />
                <Route path=path!("/search") ssr=SsrMode::Async view=|| view! { <Frame><search::SearchPage /></Frame> } />
                <Route path=path!("/preferences") ssr=SsrMode::Async view=|| view! { <Frame><PreferencesPage /></Frame> } />
                <Route path=path!("/preferences/two-factor") ssr=SsrMode::Async view=|| view! { <Frame><two_factor::TwoFactorPage /></Frame> } />
                <Route path=path!("/settings/audit") ssr=SsrMode::Async view=|| view! { <Frame><settings::audit::AuditPage /></Frame> } />
                <Route path=path!("/settings") ssr=SsrMode::Async view=|| view! { <Frame><SettingsPage /></Frame> } />
                <Route path=path!("/automations") ssr=SsrMode::Async view=|| view! { <Frame><AutomationsPage /></Frame> } />
                <Route path=path!("/automations/new") ssr=SsrMode::Async view=|| view! { <Frame><AutomationEditorPage /></Frame> } />
                <Route path=path!("/automations/:id") ssr=SsrMode::Async view=|| view! { <Frame><AutomationEditorPage /></Frame> } />
                <Route path=path!("/automations/:id/logs") ssr=SsrMode::Async view=|| view! { <Frame><AutomationLogsPage /></Frame> } />
                <Route path=path!("/outbox") ssr=SsrMode::Async view=|| view! { <Frame><OutboxPage /></Frame> } />
                <Route path=path!("/import") ssr=SsrMode::Async view=|| view! { <Frame><import::ImportsPage /></Frame> } />
                <Route path=path!("/import/:id") ssr=SsrMode::Async view=|| view! { <Frame><import::ImportPage /></Frame> } />
                <Route path=path!("/deals") ssr=SsrMode::Async view=|| view! { <Frame><deal_table::DealTablePage /></Frame> } />
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
    let link = "block py-1 hover:text-white md:py-0";
    view! {
        <header class="relative bg-slate-900 text-white print:hidden">
            <div class="px-4 min-h-12 flex flex-wrap items-center gap-x-6 gap-y-1 py-2">
                <a href="/" class="font-semibold tracking-tight">"Dealflow"</a>
                // Below the md breakpoint the links fold under a "Menu" toggle (no script needed).
                <input type="checkbox" id="nav-toggle" class="peer sr-only" aria-label=tr("nav-menu") />
                <label for="nav-toggle" class="order-last cursor-pointer rounded bg-slate-700 px-2 py-1 text-sm md:hidden"
                    data-testid="nav-toggle">{tr("nav-menu")}</label>
                <nav aria-label=tr("nav-main") data-testid="main-nav"
                    class="order-last hidden w-full flex-col text-sm text-slate-300 peer-checked:flex md:order-none md:flex md:w-auto md:flex-row md:flex-wrap md:gap-x-4">
                    <a href="/" class=link>{tr("nav-pipeline")}</a>
                    <a href="/deals" class=link>{tr("nav-deals")}</a>
                    <a href="/activities" class=link>{tr("nav-activities")}</a>
                    <a href="/contacts" class=link>{tr("nav-contacts")}</a>
                    <a href="/organizations" class=link>{tr("nav-organizations")}</a>
                    <a href="/leaderboard" class=link>{tr("nav-leaderboard")}</a>
                    <a href="/reports" class=link>{tr("nav-reports")}</a>
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            // Automations are for owners and admins; the server refuses anyone else.
                            user.await.ok().flatten().filter(|u| u.role.can_configure()).map(|_| view! {
                                <a href="/automations" class=link>{tr("nav-automations")}</a>
                                <a href="/import" class=link>{tr("nav-import")}</a>
                            })
                        })}
                    </Suspense>
                    <a href="/settings" class=link>{tr("nav-settings")}</a>
                </nav>
                <div class="ml-auto flex flex-wrap items-center gap-3 text-sm">
                    <search::HeaderSearch />
                    <NotificationsBell />
                    <Suspense fallback=|| ()>
                        {move || Suspend::new(async move {
                            user.await.ok().flatten().map(|u| view! {
                                <a href="/preferences" class="hidden text-slate-300 hover:text-white hover:underline sm:inline"
                                    title=tr("prefs-link") data-testid="current-user">
                                    {u.name} " · " {u.account_name}
                                </a>
                            })
                        })}
                    </Suspense>
                    <LanguagePicker class="text-slate-300" />
                    <ThemeToggle />
                    <RpcForm action=Logout::PATH>
                        <button type="submit" class="rounded bg-slate-700 px-2 py-1 hover:bg-slate-600">{tr("nav-log-out")}</button>
                    </RpcForm>
                </div>
            </div>
        </header>
        <main class="p-4 print:p-0">{children()}</main>
        <shortcuts::ShortcutsHelp />
        <feedback::Toasts />
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
            <h1 class="text-2xl font-semibold">{tr("not-found-title")}</h1>
            <p class="mt-2 text-slate-600">{tr("not-found-text")}</p>
            <a class="mt-4 inline-block text-indigo-700 underline" href="/">{tr("not-found-back")}</a>
        </div>
    }
}
