//! The HTTP application: Leptos pages and server functions, sessions, static files and the
//! login guard in front of every page.

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, Request, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tower_http::LatencyUnit;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, Session, SessionManagerLayer};

use super::auth::session_store::DbSessionStore;
use super::auth::SESSION_USER_KEY;
use super::state::AppState;
use super::ServiceError;
use crate::app::error::AppError;
use crate::app::{shell, App};

/// Largest request body accepted (1 MiB).
pub const BODY_LIMIT: usize = 1024 * 1024;

/// Server functions callable without a session: signing in and out, choosing the language,
/// accepting an invitation and resetting a password (authorized by their links' tokens),
/// the second step of a sign-in (authorized by the password step, kept in the session),
/// and the client's quote portal (authorized by its token). Every other `/rpc/` call needs a
/// session.
pub const PUBLIC_RPC: &[&str] = &[
    "login",
    "logout",
    "set_language",
    "portal_quote",
    "portal_accept_quote",
    "portal_reject_quote",
    "open_invitation",
    "accept_invitation",
    "forgot_password",
    "reset_link_works",
    "reset_password",
    "second_step",
    "finish_sign_in",
];

/// Paths reachable without a session.
fn is_public(path: &str) -> bool {
    path == "/login"
        || path == "/login/code"
        || path == "/forgot-password"
        || path.starts_with("/invitations/")
        || path.starts_with("/reset-password/")
        || path == "/healthz"
        || path == "/readyz"
        || path == "/favicon.ico"
        || path == "/favicon.svg"
        || path.starts_with("/pkg/")
        || PUBLIC_RPC
            .iter()
            .any(|e| path.strip_prefix("/rpc/") == Some(*e))
        || path.starts_with("/assets/")
        || path.starts_with("/q/")
        || super::api::is_api_path(path)
}

/// Sends anonymous visitors of app pages to the login page, and refuses their server-function
/// calls (but [`PUBLIC_RPC`]).
///
/// The decision is made on the path as a browser resolves it: a path with dot segments
/// (`/pkg/../settings`) is first sent, with a permanent redirect, to the path it names.
async fn require_login(session: Session, req: Request<Body>, next: Next) -> Response {
    let path = req.uri().path().to_string();
    match super::paths::normalized(&path) {
        Some(resolved) if resolved == path => {}
        Some(resolved) => {
            let target = match req.uri().query() {
                Some(q) => format!("{resolved}?{q}"),
                None => resolved,
            };
            return Redirect::permanent(&target).into_response();
        }
        None => return (StatusCode::BAD_REQUEST, "malformed path").into_response(),
    }
    if is_public(&path) {
        return next.run(req).await;
    }
    let signed_in = matches!(session.get::<i64>(SESSION_USER_KEY).await, Ok(Some(_)));
    if signed_in {
        next.run(req).await
    } else if path.starts_with("/rpc/") {
        // The answer a server function gives without a session, before its arguments are read.
        let e = ServiceError::Unauthorized;
        (
            e.status(),
            [(header::CONTENT_TYPE, "application/json")],
            AppError::describe(&e).to_json(),
        )
            .into_response()
    } else {
        let target = if path == "/" {
            "/login".to_string()
        } else {
            format!(
                "/login?next={}",
                crate::domain::url_encode(
                    req.uri()
                        .path_and_query()
                        .map(|p| p.as_str())
                        .unwrap_or("/")
                )
            )
        };
        Redirect::to(&target).into_response()
    }
}

/// Longest a page may take to render before the visitor gets a "try again" answer.
pub const PAGE_DEADLINE: std::time::Duration = std::time::Duration::from_secs(15);

/// Pages rendered at once. Rendering is CPU work: beyond a couple per core, more in flight
/// only holds more half-built pages in memory, so the rest wait their turn.
fn render_slots() -> &'static tokio::sync::Semaphore {
    static SLOTS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    SLOTS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        tokio::sync::Semaphore::new(2 * cores)
    })
}

/// Whether a request asks for a page (rendered HTML): a GET that is not a server function,
/// a static file, an event stream or the JSON API.
pub fn is_page(req: &Request<Body>) -> bool {
    let path = req.uri().path();
    req.method() == axum::http::Method::GET
        && !path.starts_with("/rpc/")
        && !path.starts_with("/pkg/")
        && !path.starts_with("/events/")
        && !super::api::is_api_path(path)
}

/// Renders a page in one of the [`render_slots`], and answers 503 with `Retry-After` when it
/// does not finish in time (waiting for a slot included). Rendering a page with several
/// `<Suspense>` sections can, rarely, stall in the renderer; a reload renders it normally, so
/// the visitor is told to reload instead of waiting on a page that never ends.
async fn page_deadline(req: Request<Body>, next: Next) -> Response {
    if !is_page(&req) {
        return next.run(req).await;
    }
    let path = req.uri().path().to_string();
    let render = async {
        // The semaphore is never closed, so a permit always comes.
        let _slot = render_slots().acquire().await.ok();
        next.run(req).await
    };
    match tokio::time::timeout(PAGE_DEADLINE, render).await {
        Ok(res) => res,
        Err(_) => {
            tracing::warn!(%path, "page rendering exceeded its deadline");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [
                    (header::RETRY_AFTER, "1"),
                    (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                ],
                "<!DOCTYPE html><title>Dealflow</title><p>This page took too long to prepare. \
                 <a href=\"\">Reload it</a>.</p>",
            )
                .into_response()
        }
    }
}

/// A browser posting a form without JavaScript shows a failed answer's body as the page, so
/// there a server function's error is its message as text rather than the JSON scripts read
/// (status and headers stay as they are).
async fn rpc_errors_as_text(req: Request<Body>, next: Next) -> Response {
    let plain_form_post = req.uri().path().starts_with("/rpc/")
        && req
            .headers()
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html"));
    let res = next.run(req).await;
    let failed = res.status().is_client_error() || res.status().is_server_error();
    let json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !plain_form_post || !failed || !json {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, BODY_LIMIT).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "response too large").into_response();
    };
    let error = AppError::from_answer(Some(parts.status.as_u16()), &bytes);
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    Response::from_parts(parts, Body::from(error.to_string()))
}

/// Liveness: the process answers.
async fn healthz() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/plain")], "ok")
}

/// Readiness: the database answers, carries every migration this build knows, and commits a
/// write (a read-only database answers reads while every change fails).
async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let text = [(header::CONTENT_TYPE, "text/plain")];
    match state.db.pending_migrations().await {
        Ok(0) => match state.db.probe_write().await {
            Ok(()) => (StatusCode::OK, text, "ready".to_string()),
            Err(e) => (
                StatusCode::SERVICE_UNAVAILABLE,
                text,
                format!("database cannot take writes: {e}"),
            ),
        },
        Ok(n) => (
            StatusCode::SERVICE_UNAVAILABLE,
            text,
            format!(
                "{} not applied",
                crate::domain::count_of(n as i64, "migration", "migrations")
            ),
        ),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            text,
            "database unavailable".to_string(),
        ),
    }
}

/// Refuses state-changing requests a browser sends from another site (cross-site request
/// forgery): an `Origin` naming another host, or `Sec-Fetch-Site: cross-site`. The JSON API
/// authenticates with keys, not cookies, and is left to its own checks.
async fn same_origin_only(req: Request<Body>, next: Next) -> Response {
    let unsafe_method = !matches!(
        *req.method(),
        axum::http::Method::GET | axum::http::Method::HEAD | axum::http::Method::OPTIONS
    );
    if unsafe_method && !super::api::is_api_path(req.uri().path()) {
        let headers = req.headers();
        let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
        let origin_host = headers
            .get(header::ORIGIN)
            .and_then(|o| o.to_str().ok())
            .filter(|o| *o != "null")
            .map(|o| o.split("://").nth(1).unwrap_or(o).trim_end_matches('/'));
        let cross_site = headers
            .get("sec-fetch-site")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v == "cross-site");
        // Behind a reverse proxy the browser's host may only be in X-Forwarded-Host or in
        // DEALFLOW_PUBLIC_URL.
        let forwarded = headers
            .get("x-forwarded-host")
            .and_then(|h| h.to_str().ok());
        let public = std::env::var("DEALFLOW_PUBLIC_URL").ok();
        let public_host = public
            .as_deref()
            .map(|u| u.split("://").nth(1).unwrap_or(u).trim_end_matches('/'));
        let foreign_origin = origin_host.is_some_and(|o| {
            ![host, forwarded, public_host]
                .into_iter()
                .flatten()
                .any(|h| o.eq_ignore_ascii_case(h))
        });
        if cross_site || foreign_origin {
            return (
                StatusCode::FORBIDDEN,
                [(header::CONTENT_TYPE, "text/plain")],
                "cross-site request refused",
            )
                .into_response();
        }
    }
    next.run(req).await
}

/// Whether session cookies carry `Secure`: `DEALFLOW_SECURE_COOKIES=1`, or a public URL on
/// https (`DEALFLOW_PUBLIC_URL`).
fn secure_cookies() -> bool {
    matches!(
        std::env::var("DEALFLOW_SECURE_COOKIES").as_deref(),
        Ok("1" | "true" | "yes")
    ) || std::env::var("DEALFLOW_PUBLIC_URL").is_ok_and(|u| u.starts_with("https://"))
}

/// The span of one request: method, path, request id (`x-request-id`, made when absent) and
/// the account, recorded once the session or API key is known.
fn request_span(req: &Request<Body>) -> tracing::Span {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    tracing::info_span!(
        "request",
        method = %req.method(),
        path = %req.uri().path(),
        request_id = %id,
        account_id = tracing::field::Empty,
    )
}

/// `GET /events/board`: the signed-in user's account's board changes as server-sent events
/// (`event: board`, `data: <pipeline id>`; `*` when some were missed).
async fn board_events(State(state): State<AppState>, session: Session) -> Response {
    use axum::response::sse::{Event, KeepAlive, Sse};
    use tokio::sync::broadcast::error::RecvError;
    let user = match super::auth::current_user(&state.db, &session).await {
        Ok(u) => u,
        Err(_) => return StatusCode::UNAUTHORIZED.into_response(),
    };
    let account_id = user.account_id;
    let watch = state.live.subscribe(account_id);
    let stream = futures_util::stream::unfold(watch, move |mut w| async move {
        loop {
            let data = match w.changes.recv().await {
                Ok(c) if c.account_id == account_id => c.pipeline_id.to_string(),
                Ok(_) => continue,
                Err(RecvError::Lagged(_)) => "*".to_string(),
                Err(RecvError::Closed) => return None,
            };
            let event = Event::default().event("board").data(data);
            return Some((Ok::<_, std::convert::Infallible>(event), w));
        }
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}

/// What every page's render reads from its request, provided once: the nonce of its inline
/// scripts and its locale.
fn page_context() {
    super::headers::provide_page_nonce();
    crate::i18n::provide_locale();
}

/// Builds the whole application router.
pub fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let session_layer = SessionManagerLayer::new(DbSessionStore::new(state.db.clone()))
        .with_name("dealflow_session")
        .with_secure(secure_cookies())
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_expiry(Expiry::OnInactivity(
            tower_sessions::cookie::time::Duration::days(7),
        ));
    let leptos_options = state.leptos_options.clone();
    let island_chunks = super::preload::IslandChunks::load(&leptos_options);
    let context_state = state.clone();
    // The file upload has its own body limit and no whole-body NUL check; the rest is as for
    // every request.
    let upload = super::imports::upload_routes()
        .layer(middleware::from_fn(require_login))
        .layer(middleware::from_fn(same_origin_only))
        .layer(session_layer.clone())
        .layer(middleware::from_fn_with_state(
            state.guard.clone(),
            super::guard::limit,
        ))
        .layer(middleware::from_fn(super::headers::security_headers))
        .with_state(state.clone());
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/events/board", get(board_events))
        .merge(super::downloads::routes())
        .merge(super::deal_batch::routes())
        .merge(super::imports::routes())
        .merge(super::api::routes())
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(context_state.clone());
                page_context();
            },
            move || shell(leptos_options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(page_context, shell))
        .layer(middleware::from_fn_with_state(
            island_chunks,
            super::preload::preload_chunks,
        ))
        .layer(middleware::from_fn(require_login))
        .layer(middleware::from_fn(rpc_errors_as_text))
        .layer(middleware::from_fn(page_deadline))
        .layer(middleware::from_fn(same_origin_only))
        .layer(session_layer)
        .layer(middleware::from_fn(super::input::refuse_nul))
        .layer(middleware::from_fn_with_state(
            state.guard.clone(),
            super::guard::limit,
        ))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(middleware::from_fn(super::headers::security_headers))
        .layer(CompressionLayer::new())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_response(
                    DefaultOnResponse::new()
                        .level(tracing::Level::INFO)
                        .latency_unit(LatencyUnit::Millis),
                ),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
        .merge(upload)
}
