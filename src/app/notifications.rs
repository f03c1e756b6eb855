//! The notifications bell in the header: unread count, the latest entries, mark read.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use super::error::AppError;
use super::feedback::RpcForm;
use crate::domain::Notification;
use crate::i18n::{tr, tr_args};

/// The signed-in user's latest notifications and unread count.
#[server(prefix = "/rpc", endpoint = "get_notifications")]
pub async fn get_notifications() -> Result<(Vec<Notification>, i64), AppError> {
    use super::server_ctx::signed_in;
    let (state, me) = signed_in().await?;
    crate::server::services::notifications::for_user(&state.db, me.account_id, me.id)
        .await
        .map_err(AppError::from)
}

/// Marks one notification read, or all of them when `id` is absent.
#[server(prefix = "/rpc", endpoint = "mark_notifications_read")]
pub async fn mark_notifications_read(#[server(default)] id: Option<i64>) -> Result<(), AppError> {
    use super::server_ctx::signed_in;
    let (state, me) = signed_in().await?;
    crate::server::services::notifications::mark_read(&state.db, me.account_id, me.id, id)
        .await
        .map_err(AppError::from)
}

/// How often an open page asks for new notifications.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
const REFRESH_EVERY: std::time::Duration = std::time::Duration::from_secs(15);

/// The bell; a `<details>` element, so it opens without JavaScript too.
#[component]
pub fn NotificationsBell() -> impl IntoView {
    let data = Resource::new(|| (), |_| get_notifications());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                data.await.ok().map(|(items, unread)| view! { <LiveBell items=items unread=unread /> })
            })}
        </Suspense>
    }
}

/// The bell as the server drew it, then kept up to date: while the page is open it asks for
/// the latest notifications every [`REFRESH_EVERY`], so a new one shows without a reload. Only
/// the count and the list are drawn again (an open bell stays open).
#[island(lazy)]
fn LiveBell(items: Vec<Notification>, unread: i64) -> impl IntoView {
    let mark = MarkNotificationsRead::PATH;
    let state = RwSignal::new((items, unread));
    #[cfg(feature = "hydrate")]
    {
        if let Ok(timer) = set_interval_with_handle(
            move || {
                leptos::task::spawn_local(async move {
                    if let Ok(fresh) = get_notifications().await {
                        if state.with_untracked(|s| *s != fresh) {
                            state.set(fresh);
                        }
                    }
                })
            },
            REFRESH_EVERY,
        ) {
            on_cleanup(move || timer.clear());
        }
    }
    let unread = move || state.with(|s| s.1);
    view! {
        <details class="relative" data-testid="bell">
            <summary class="flex cursor-pointer list-none items-center gap-1 rounded px-2 py-1 hover:bg-slate-800" aria-label=move || tr_args("common-notifications", &[("unread", unread().into())])>
                <svg viewBox="0 0 20 20" class="h-4 w-4 fill-current" aria-hidden="true">
                    <path d="M10 2a5 5 0 0 0-5 5v3.6L3.3 13.4A1 1 0 0 0 4.2 15h11.6a1 1 0 0 0 .9-1.6L15 10.6V7a5 5 0 0 0-5-5Zm0 16a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 10 18Z" />
                </svg>
                {move || (unread() > 0).then(|| view! {
                    <span class="rounded-full bg-red-700 px-1.5 text-[10px] font-semibold text-white" data-testid="unread-count">{unread()}</span>
                })}
            </summary>
            <div class="absolute right-0 z-50 mt-2 w-80 rounded-lg bg-white p-2 text-sm text-slate-800 shadow-lg">
                {move || {
                    let (items, unread) = state.get();
                    if items.is_empty() {
                        view! { <p class="p-3 text-slate-500">{tr("common-no-notifications")}</p> }.into_any()
                    } else {
                        view! {
                            <ul class="max-h-96 divide-y divide-slate-100 overflow-y-auto">
                                {items.into_iter().map(|n| view! {
                                    <li class="flex items-start gap-2 p-2" class:bg-indigo-50=!n.read>
                                        <a class="flex-1 hover:underline" href=n.link.clone().unwrap_or_else(|| "#".into())>{n.title}</a>
                                        {(!n.read).then(|| view! {
                                            <RpcForm action=mark>
                                                <input type="hidden" name="id" value=n.id.to_string() />
                                                <button type="submit" class="text-xs text-indigo-700 hover:underline">{tr("common-mark-read")}</button>
                                            </RpcForm>
                                        })}
                                    </li>
                                }).collect_view()}
                            </ul>
                            {(unread > 0).then(|| view! {
                                <RpcForm action=mark attr:class="border-t border-slate-100 p-2 text-right">
                                    <button type="submit" class="text-xs text-indigo-700 hover:underline">{tr("common-mark-all-read")}</button>
                                </RpcForm>
                            })}
                        }.into_any()
                    }
                }}
            </div>
        </details>
    }
}
