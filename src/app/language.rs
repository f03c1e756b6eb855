//! The language picker: in the header of every page and on the sign-in page. The choice is
//! kept in a cookie for this browser and, for a signed-in user, with the user.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use super::error::AppError;
use crate::i18n::{self, tr, Locale};

/// Reads the app in `lang` (`en`, `es`, `pt-BR`) from now on, then goes back to `next` (a
/// local path) or the board.
#[server(prefix = "/rpc", endpoint = "set_language")]
pub async fn set_language(lang: String, #[server(default)] next: String) -> Result<(), AppError> {
    use super::server_ctx::{app_state, session};
    use crate::server::auth::current_user;
    use crate::server::services::accounts::locale::set_locale;
    use crate::server::ServiceError;
    let locale = Locale::parse(&lang).ok_or_else(|| {
        ServiceError::invalid("lang", format!("\"{lang}\" is not en, es or pt-BR"))
    })?;
    let state = app_state()?;
    if let Ok(user) = current_user(&state.db, &session().await?).await {
        set_locale(&state.db, user.id, locale).await?;
    }
    remember(locale);
    let next = crate::server::paths::same_origin_path(&next);
    leptos_axum::redirect(next.as_deref().unwrap_or("/"));
    Ok(())
}

/// Sets the language cookie on this response.
#[cfg(feature = "ssr")]
pub fn remember(locale: Locale) {
    super::server_ctx::set_cookie(&i18n::cookie(locale));
}

/// A small form that switches the language and comes back to this page.
#[component]
pub fn LanguagePicker(#[prop(into)] class: String) -> impl IntoView {
    let current = i18n::current();
    let here = leptos_router::hooks::use_location();
    let next = move || {
        let search = here.search.get();
        if search.is_empty() {
            here.pathname.get()
        } else {
            format!("{}?{search}", here.pathname.get())
        }
    };
    view! {
        <form method="post" action=SetLanguage::PATH class=format!("flex items-center gap-1 {class}") data-testid="language-picker">
            <input type="hidden" name="next" value=next />
            <label>
                <span class="sr-only">{tr("nav-language")}</span>
                <select name="lang" class="rounded bg-transparent px-1 py-0.5 text-sm" data-testid="language-select">
                    {Locale::ALL.into_iter().map(|l| view! {
                        <option value=l.tag() selected=l == current>{l.name()}</option>
                    }).collect_view()}
                </select>
            </label>
            <button type="submit" class="rounded px-1 text-sm underline" data-testid="language-apply">{tr("nav-language-apply")}</button>
        </form>
    }
}
