//! Times as the reader reads them. Times are stored in UTC; a page shows them in the reader's
//! language and time zone. The zone of a request is the `dealflow_tz` cookie (set from the
//! user's saved zone at sign-in and whenever they change it, like the language's cookie),
//! else UTC. Forms and lists of activities take the zone from the user record itself (see
//! `crate::server::time_zone`); this is for the times a page merely shows.

use crate::i18n::current;

/// The cookie that carries the reader's time zone (an IANA name).
pub const COOKIE: &str = "dealflow_tz";

/// A stored time to the minute, on the reader's clock: `12/31/2026 18:30`, `31/12/2026 18:30`.
/// Text that is not a stored time comes back as it is.
pub fn when(stored: &str) -> String {
    #[cfg(feature = "ssr")]
    {
        crate::server::time_zone::date_time(stored, current(), zone())
    }
    #[cfg(not(feature = "ssr"))]
    {
        // Islands show no stored times; in the browser a time reads in UTC.
        match (stored.get(..10), stored.get(11..16)) {
            (Some(day), Some(time)) => {
                format!("{} {time}", crate::i18n::format::date(day, current()))
            }
            _ => stored.to_string(),
        }
    }
}

/// The reader's zone: the request's `dealflow_tz` cookie, else UTC.
#[cfg(feature = "ssr")]
pub fn zone() -> chrono_tz::Tz {
    leptos::prelude::with_context::<axum::http::request::Parts, _>(|parts| {
        crate::i18n::cookie_value(&parts.headers, COOKIE).map(|v| v.replace("%2F", "/"))
    })
    .flatten()
    .and_then(|name| crate::server::time_zone::parse(&name))
    .unwrap_or(chrono_tz::Tz::UTC)
}

/// Sets the time-zone cookie on this response (`None`: back to UTC).
#[cfg(feature = "ssr")]
pub fn remember(zone: Option<&str>) {
    super::server_ctx::set_cookie(&crate::i18n::choice_cookie(COOKIE, zone.unwrap_or("UTC")));
}
