//! Security headers on every answer.
//!
//! - `Content-Security-Policy`: a page allows scripts from this site and the inline scripts
//!   that carry the response's nonce (the wasm loader, Leptos' own), wasm compilation, and
//!   nothing from elsewhere ([`page_policy`]); any other answer gets [`DEFAULT_POLICY`], which
//!   runs no script at all. No page may be framed by another site (`frame-ancestors 'none'`,
//!   the quote portal included). The nonce is made here, per request ([`PageNonce`]), and the
//!   renderer is handed it ([`provide_page_nonce`]): the header never depends on what the
//!   render left in its response options.
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

/// The nonce of a page's inline scripts: made per request by [`security_headers`], carried in
/// the request's extensions to the renderer.
#[derive(Clone, Debug)]
pub struct PageNonce(pub String);

impl PageNonce {
    fn new() -> Self {
        use rand::RngCore;
        let mut bytes = [0u8; 16];
        rand::thread_rng().fill_bytes(&mut bytes);
        Self(hex::encode(bytes))
    }
}

/// Gives the page being rendered its request's nonce (Leptos puts it on its inline scripts).
/// Part of the render context of every page, the not-found page included.
pub fn provide_page_nonce() {
    use leptos::prelude::{provide_context, with_context};
    let nonce = with_context::<axum::http::request::Parts, _>(|parts| {
        parts.extensions.get::<PageNonce>().cloned()
    })
    .flatten();
    if let Some(PageNonce(nonce)) = nonce {
        provide_context(leptos::nonce::Nonce::from_value(nonce));
    }
}

/// Middleware: adds the security headers. A page (an HTML answer to a page request, see
/// `http::is_page`) gets the policy with the nonce made for it; any other answer, none.
pub async fn security_headers(mut req: Request<Body>, next: Next) -> Response {
    let page = super::http::is_page(&req).then(PageNonce::new);
    if let Some(nonce) = &page {
        req.extensions_mut().insert(nonce.clone());
    }
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let html = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let policy = page
        .filter(|_| html)
        .and_then(|PageNonce(n)| HeaderValue::from_str(&page_policy(&n)).ok())
        .unwrap_or(HeaderValue::from_static(DEFAULT_POLICY));
    h.insert(header::CONTENT_SECURITY_POLICY, policy);
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
