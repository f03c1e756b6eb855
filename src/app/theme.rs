//! The colour theme: light, dark, or the system's setting. The choice is kept in a cookie for
//! this browser and, for a signed-in user, with the user. The server writes it on `<html>`
//! (`class="light"` or `class="dark"`; no class follows the system through the stylesheet's
//! `prefers-color-scheme` query), so the first paint is already in the right colours.
//!
//! A render takes the theme from the cookie; without one (a browser the user has just signed
//! in on) the page frame reads the user's saved theme, writes it on `<html>` and sets the cookie.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Html;
use serde::{Deserialize, Serialize};

use super::error::AppError;
use crate::i18n::tr;

/// The cookie that carries this browser's theme.
pub const COOKIE: &str = "dealflow_theme";

/// How the app is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Theme {
    Light,
    Dark,
    /// Follows the operating system's (browser's) light or dark setting.
    #[default]
    System,
}

impl Theme {
    /// Every theme, in the order the toggle offers them.
    pub const ALL: [Theme; 3] = [Theme::Light, Theme::Dark, Theme::System];

    /// The name in forms and in the cookie: `light`, `dark`, `system`.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
            Theme::System => "system",
        }
    }

    /// The theme a name stands for; `None` for any other text.
    pub fn parse(name: &str) -> Option<Theme> {
        match name.trim().to_ascii_lowercase().as_str() {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            "system" => Some(Theme::System),
            _ => None,
        }
    }

    /// The value kept with the user: `light`, `dark`, or none for the system's setting.
    pub fn stored(self) -> Option<&'static str> {
        match self {
            Theme::System => None,
            t => Some(t.as_str()),
        }
    }

    /// The class on `<html>` that pins the theme; none follows the system.
    pub fn html_class(self) -> Option<&'static str> {
        self.stored()
    }

    /// The message id of the theme's name.
    fn label_id(self) -> &'static str {
        match self {
            Theme::Light => "theme-light",
            Theme::Dark => "theme-dark",
            Theme::System => "theme-system",
        }
    }
}

/// The `Set-Cookie` value that keeps `theme` in this browser for a year.
pub fn cookie(theme: Theme) -> String {
    crate::i18n::choice_cookie(COOKIE, theme.as_str())
}

/// The theme a request's cookie names, if it has one.
#[cfg(feature = "ssr")]
pub fn from_headers(headers: &axum::http::HeaderMap) -> Option<Theme> {
    crate::i18n::cookie_value(headers, COOKIE).and_then(Theme::parse)
}

/// The theme this browser chose: on the server the request's cookie, in the browser the class
/// on `<html>`. `None` when the browser has no choice yet.
pub fn chosen() -> Option<Theme> {
    #[cfg(feature = "ssr")]
    {
        with_context::<axum::http::request::Parts, _>(|parts| from_headers(&parts.headers))
            .flatten()
    }
    #[cfg(not(feature = "ssr"))]
    {
        let class = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .map(|e| e.class_name())
            .unwrap_or_default();
        class.split_whitespace().find_map(Theme::parse)
    }
}

/// Writes the browser's chosen theme on `<html>` (nothing when it follows the system or has no
/// choice yet). Placed in the shell, so every page has it, the sign-in page too.
#[component]
pub fn ThemeClass() -> impl IntoView {
    chosen()
        .and_then(Theme::html_class)
        .map(|class| view! { <Html {..} class=class /> })
}

/// Sees the app in `theme` (`light`, `dark`, `system`) from now on, then goes back to `next`
/// (a local path) or the board.
#[server(prefix = "/rpc", endpoint = "set_theme")]
pub async fn set_theme(theme: String, #[server(default)] next: String) -> Result<(), AppError> {
    use super::server_ctx::{app_state, session};
    use crate::server::auth::current_user;
    use crate::server::services::accounts::theme::set_theme;
    use crate::server::ServiceError;
    let choice = Theme::parse(&theme).ok_or_else(|| {
        ServiceError::invalid("theme", format!("\"{theme}\" is not light, dark or system"))
    })?;
    let state = app_state()?;
    if let Ok(user) = current_user(&state.db, &session().await?).await {
        set_theme(&state.db, user.id, choice).await?;
    }
    remember(choice);
    let next = crate::server::paths::same_origin_path(&next);
    leptos_axum::redirect(next.as_deref().unwrap_or("/"));
    Ok(())
}

/// Sets the theme cookie on this response.
#[cfg(feature = "ssr")]
pub fn remember(theme: Theme) {
    super::server_ctx::set_cookie(&cookie(theme));
}

/// The signed-in user's saved theme, for a browser that has none yet (which then keeps it in
/// its cookie); `None` when no one is signed in.
async fn adopt_saved_theme() -> Option<Theme> {
    #[cfg(feature = "ssr")]
    {
        use super::server_ctx::{app_state, session};
        use crate::server::auth::current_user;
        use crate::server::services::accounts::theme::theme_of;
        let state = app_state().ok()?;
        let user = current_user(&state.db, &session().await.ok()?).await.ok()?;
        let theme = theme_of(&state.db, user.id).await.ok()?;
        remember(theme);
        Some(theme)
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}

/// The theme toggle of the page header: light, dark, or the system's setting, each a button of
/// one small form that saves the choice and comes back to this page. The pressed button is the
/// theme in force. In a browser without a choice it also writes the user's saved theme on
/// `<html>` (the shell could not: it renders before the user is known).
#[component]
pub fn ThemeToggle() -> impl IntoView {
    let here = leptos_router::hooks::use_location();
    let search = here.search.get_untracked();
    let next = if search.is_empty() {
        here.pathname.get_untracked()
    } else {
        format!("{}?{search}", here.pathname.get_untracked())
    };
    let buttons = move |current: Theme| {
        view! {
            <form method="post" action=SetTheme::PATH class="flex items-center" data-testid="theme-toggle" data-theme=current.as_str()>
                <input type="hidden" name="next" value=next.clone() />
                <div role="group" aria-label=tr("theme-label") class="flex items-center gap-0.5">
                    {Theme::ALL.into_iter().map(|t| {
                        let label = tr(t.label_id());
                        let title = label.clone();
                        let pressed = t == current;
                        view! {
                            <button type="submit" name="theme" value=t.as_str() title=title
                                aria-pressed=if pressed { "true" } else { "false" }
                                data-testid=format!("theme-{}", t.as_str())
                                class=if pressed {
                                    "rounded bg-slate-700 px-1.5 py-1 text-white"
                                } else {
                                    "rounded px-1.5 py-1 text-slate-300 hover:text-white"
                                }>
                                <ThemeIcon theme=t />
                                <span class="sr-only">{label}</span>
                            </button>
                        }
                    }).collect_view()}
                </div>
            </form>
        }
    };
    match chosen() {
        Some(theme) => buttons(theme).into_any(),
        None => {
            let saved = Resource::new(|| (), |_| adopt_saved_theme());
            let fallback = buttons.clone();
            view! {
                <Suspense fallback=move || fallback(Theme::System)>
                    {move || {
                        let buttons = buttons.clone();
                        Suspend::new(async move {
                            let theme = saved.await.unwrap_or_default();
                            view! {
                                {theme.html_class().map(|class| view! { <Html {..} class=class /> })}
                                {buttons(theme)}
                            }
                        })
                    }}
                </Suspense>
            }
            .into_any()
        }
    }
}

/// A 16-pixel icon for a theme: a sun, a moon, a screen.
#[component]
fn ThemeIcon(theme: Theme) -> impl IntoView {
    let path = match theme {
        Theme::Light => "M10 6.5a3.5 3.5 0 1 0 0 7 3.5 3.5 0 0 0 0-7ZM9.25 1.5h1.5v2.5h-1.5Zm0 14.5h1.5v2.5h-1.5ZM1.5 9.25h2.5v1.5H1.5Zm14.5 0h2.5v1.5H16ZM3.6 4.66l1.06-1.06 1.77 1.77-1.06 1.06Zm10.27 10.27 1.06-1.06 1.77 1.77-1.06 1.06ZM3.6 15.34l1.77-1.77 1.06 1.06-1.77 1.77Zm10.27-10.27 1.77-1.77 1.06 1.06-1.77 1.77Z",
        Theme::Dark => "M8.5 2.2a7.8 7.8 0 1 0 9.3 9.3A6.3 6.3 0 0 1 8.5 2.2Z",
        Theme::System => "M2 3.5A1.5 1.5 0 0 1 3.5 2h13A1.5 1.5 0 0 1 18 3.5v9a1.5 1.5 0 0 1-1.5 1.5h-4.75l.5 2h1.25v1.5h-7V16h1.25l.5-2H3.5A1.5 1.5 0 0 1 2 12.5Zm1.5 0v9h13v-9Z",
    };
    view! {
        <svg viewBox="0 0 20 20" class="h-4 w-4 fill-current" aria-hidden="true">
            <path d=path />
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn themes_read_and_write_their_names() {
        for theme in Theme::ALL {
            assert_eq!(Theme::parse(theme.as_str()), Some(theme));
        }
        assert_eq!(Theme::parse(" DARK "), Some(Theme::Dark));
        assert_eq!(Theme::parse("sepia"), None);
        assert_eq!(Theme::System.stored(), None, "system is kept as NULL");
        assert_eq!(Theme::Light.html_class(), Some("light"));
        assert_eq!(
            cookie(Theme::Dark),
            "dealflow_theme=dark; Path=/; Max-Age=31536000; SameSite=Lax"
        );
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn the_cookie_names_the_browsers_theme() {
        let mut headers = axum::http::HeaderMap::new();
        assert_eq!(from_headers(&headers), None);
        headers.insert(
            axum::http::header::COOKIE,
            axum::http::HeaderValue::from_static("dealflow_lang=es; dealflow_theme=light"),
        );
        assert_eq!(from_headers(&headers), Some(Theme::Light));
        headers.insert(
            axum::http::header::COOKIE,
            axum::http::HeaderValue::from_static("dealflow_theme=neon"),
        );
        assert_eq!(from_headers(&headers), None);
    }
}
