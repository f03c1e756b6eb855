//! Paths as a browser resolves them. Decisions about a path (is it public, where to send a
//! browser after sign-in) are made on what the browser will actually request, never on the
//! raw text: `/pkg/../settings` is `/settings`, and `/\evil.test/x` is another site.

use reqwest::Url;

/// The address the app is reached at, for links sent out of it (a quote's portal link):
/// `DEALFLOW_PUBLIC_URL` when set, otherwise the scheme and host this request came to
/// (`X-Forwarded-Proto` / `X-Forwarded-Host` first, as a proxy sets them).
pub fn public_base_url(headers: &axum::http::HeaderMap) -> String {
    if let Ok(url) = std::env::var("DEALFLOW_PUBLIC_URL") {
        if !url.trim().is_empty() {
            return url.trim().trim_end_matches('/').to_string();
        }
    }
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(',').next().unwrap_or_default().trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let host = header("x-forwarded-host")
        .or_else(|| header("host"))
        .unwrap_or_else(|| "localhost".into());
    let proto = header("x-forwarded-proto").unwrap_or_else(|| "http".into());
    format!("{proto}://{host}")
}

/// The origin every path is resolved against; only its being one fixed origin matters.
const BASE: &str = "http://dealflow.invalid/";

fn base() -> Url {
    Url::parse(BASE).unwrap_or_else(|_| unreachable!("the base URL is valid"))
}

/// `path?query` of a URL.
fn path_and_query(url: &Url) -> String {
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    }
}

/// `next` as a path on this site to send a signed-in browser to: it must start with `/` and
/// still name this origin once resolved the way a browser resolves it (backslashes, tabs and
/// new lines, dot segments, percent-encoded dots); `None` for anything else and for
/// server-function endpoints. A plain path is kept as it was written; one with backslashes
/// or control characters is answered resolved, so the browser goes exactly where it was
/// checked to go.
pub fn same_origin_path(next: &str) -> Option<String> {
    if !next.starts_with('/') {
        return None;
    }
    let base = base();
    let resolved = base.join(next).ok()?;
    if resolved.origin() != base.origin() || resolved.path().starts_with("/rpc/") {
        return None;
    }
    let plain = !next.contains('\\') && !next.chars().any(|c| c.is_control());
    Some(if plain {
        next.to_string()
    } else {
        path_and_query(&resolved)
    })
}

/// The path a browser would request for `raw` (dot segments and percent-encoded dots
/// resolved); `None` when it cannot be read as a path.
pub fn normalized(raw: &str) -> Option<String> {
    if !raw.starts_with('/') || raw.starts_with("//") {
        return None;
    }
    let url = base().join(raw).ok()?;
    (url.origin() == base().origin()).then(|| url.path().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_this_site() {
        for ok in ["/", "/deals/4", "/activities?when=today", "/a/../b"] {
            assert!(same_origin_path(ok).is_some(), "{ok}");
        }
        assert_eq!(
            same_origin_path("/a/../b?x=1").as_deref(),
            Some("/a/../b?x=1")
        );
        assert_eq!(
            same_origin_path("/a\\b").as_deref(),
            Some("/a/b"),
            "resolved when not plain"
        );
        for bad in [
            "//evil.test/x",
            "/\\evil.test/x",
            "\\\\evil.test",
            "/\t/evil.test",
            "/\n/evil.test",
            "/\r\n/evil.test/x",
            "https://evil.test/",
            "http://dealflow.invalid/x",
            "javascript:alert(1)",
            "evil.test",
            "",
            "/rpc/logout",
            "/x/../rpc/logout",
        ] {
            assert_eq!(same_origin_path(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn paths_are_resolved_as_a_browser_would() {
        assert_eq!(normalized("/pkg/../settings").as_deref(), Some("/settings"));
        assert_eq!(
            normalized("/pkg/%2e%2e/settings").as_deref(),
            Some("/settings")
        );
        assert_eq!(normalized("/pkg/./app.js").as_deref(), Some("/pkg/app.js"));
        assert_eq!(normalized("/deals/1").as_deref(), Some("/deals/1"));
        assert_eq!(normalized("//evil.test/x"), None);
    }
}
