//! Security headers on every answer.
//!
//! - `Content-Security-Policy`: a page allows scripts from this site and the inline scripts
//!   that carry the response's nonce (the wasm loader, Leptos' own), wasm compilation, and
//!   nothing from elsewhere ([`page_policy`]); any other answer gets [`DEFAULT_POLICY`], which
//!   runs no script at all. No page may be framed by another site (`frame-ancestors 'none'`,
//!   the quote portal included).
//! - `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY` (for browsers without CSP),
//!   `Referrer-Policy: same-origin` (quote portal links carry their token in the path).

use axum::body::Body;
use axum::http::{header, HeaderValue, Request};
use axum::middleware::Next;
use axum::response::Response;

/// The policy of an answer that is not a page: nothing runs, nothing is framed.
pub const DEFAULT_POLICY: &str =
    "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
     frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// The policy of a page whose inline scripts carry `nonce`.
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
         font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

/// Middleware: adds the security headers; a page's own policy (set while it renders, with
/// its nonce) is kept.
pub async fn security_headers(req: Request<Body>, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(DEFAULT_POLICY));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    res
}
