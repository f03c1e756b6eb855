//! Checks every request's input gets before any handler reads it: no NUL character in the
//! path, the query string or the body (form or JSON). PostgreSQL cannot store one and
//! SQLite's full-text index stops at it, so it is refused at the door with 422 naming the
//! field (`email`, `contact_attributes.name`, `products[1].name`), in the answer shape of the
//! route: the API surface's error body, a server function's error, or text.

use axum::body::{Body, Bytes};
use axum::http::{header, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::api::error::{answer, ApiError, Surface};
use super::http::BODY_LIMIT;
use super::ServiceError;
use crate::app::error::AppError;

/// What a refused request is told.
const NO_NUL: &str = "must not contain NUL characters";

/// Middleware: refuses a request carrying a NUL character anywhere in its input.
pub async fn refuse_nul(req: Request<Body>, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if contains_encoded_nul(path.as_bytes()) {
        return refuse(&path, "path");
    }
    if let Some(field) = req.uri().query().and_then(|q| nul_in_form(q.as_bytes())) {
        return refuse(&path, &field);
    }
    let has_body = !matches!(
        *req.method(),
        axum::http::Method::GET | axum::http::Method::HEAD | axum::http::Method::OPTIONS
    );
    if !has_body {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let bytes: Bytes = match axum::body::to_bytes(body, BODY_LIMIT).await {
        Ok(b) => b,
        Err(_) => {
            return (
                StatusCode::PAYLOAD_TOO_LARGE,
                "the request body is too large",
            )
                .into_response()
        }
    };
    if let Some(field) = nul_in_body(&bytes, parts.headers.get(header::CONTENT_TYPE)) {
        return refuse(&path, &field);
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// The 422 answer naming `field`, shaped for the route at `path`. The stage-update surface
/// (document 004) answers bad input with 400 `INVALID_STATUS` and an unknown opportunity with
/// 404, so there it is one of those.
fn refuse(path: &str, field: &str) -> Response {
    if Surface::of_path(path) == Surface::External {
        let mut e = if field == "path" {
            ApiError::not_found("opportunity")
        } else {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "INVALID_STATUS",
                format!("{field}: {NO_NUL}"),
            )
        };
        e.field = (field != "path").then(|| field.to_string());
        return answer(path, e);
    }
    if super::api::is_api_path(path) {
        return answer(path, ApiError::invalid(field, NO_NUL));
    }
    let e = ServiceError::invalid(field, NO_NUL);
    if path.starts_with("/rpc/") {
        return (
            e.status(),
            [(header::CONTENT_TYPE, "application/json")],
            AppError::describe(&e).to_json(),
        )
            .into_response();
    }
    (
        e.status(),
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("{field}: {NO_NUL}"),
    )
        .into_response()
}

/// A raw NUL byte or its percent-encoded form `%00`.
fn contains_encoded_nul(bytes: &[u8]) -> bool {
    bytes.contains(&0) || bytes.windows(3).any(|w| w == b"%00")
}

/// The first field of a form (or query string) whose name or value holds a NUL.
fn nul_in_form(form: &[u8]) -> Option<String> {
    if !contains_encoded_nul(form) {
        return None;
    }
    form_urlencoded::parse(form)
        .find(|(k, v)| k.contains('\0') || v.contains('\0'))
        .map(|(k, _)| {
            let k = k.replace('\0', "");
            if k.is_empty() {
                "query".to_string()
            } else {
                k
            }
        })
}

/// The field of a body that holds a NUL: a form's field, or a JSON value's path. A body that
/// cannot be read as either is left to the handler (which refuses it in its own words).
fn nul_in_body(bytes: &[u8], content_type: Option<&header::HeaderValue>) -> Option<String> {
    let json_escape = |w: &[u8]| w.eq_ignore_ascii_case(b"\\u0000");
    if !bytes.contains(&0)
        && !bytes.windows(6).any(json_escape)
        && !bytes.windows(3).any(|w| w == b"%00")
    {
        return None;
    }
    let form = content_type
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if form {
        return nul_in_form(bytes);
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(v) => nul_in_json(&v, String::new()),
        Err(_) if bytes.contains(&0) => Some("body".into()),
        Err(_) => nul_in_form(bytes),
    }
}

/// The path (`a.b`, `a[1]`) of the first string or key in `v` that holds a NUL.
fn nul_in_json(v: &Value, at: String) -> Option<String> {
    let named = |at: &str| {
        if at.is_empty() {
            "body".to_string()
        } else {
            at.to_string()
        }
    };
    match v {
        Value::String(s) if s.contains('\0') => Some(named(&at)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| nul_in_json(item, format!("{at}[{i}]"))),
        Value::Object(map) => map.iter().find_map(|(k, item)| {
            let here = if at.is_empty() {
                k.replace('\0', "")
            } else {
                format!("{at}.{}", k.replace('\0', ""))
            };
            if k.contains('\0') {
                Some(named(&here))
            } else {
                nul_in_json(item, here)
            }
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_field_holding_a_nul() {
        assert_eq!(
            nul_in_form(b"email=a%00b&password=x").as_deref(),
            Some("email")
        );
        assert_eq!(nul_in_form(b"email=ab&password=x"), None);
        let json = |s: &str| nul_in_body(s.as_bytes(), None);
        assert_eq!(json(r#"{"title": "ok"}"#), None);
        assert_eq!(json(r#"{"title": "a\u0000"}"#).as_deref(), Some("title"));
        assert_eq!(
            json(r#"{"contact_attributes": {"name": "x\u0000"}}"#).as_deref(),
            Some("contact_attributes.name")
        );
        assert_eq!(
            json(r#"{"products": [{"name": "a"}, {"name": "\U0000"}]}"#).as_deref(),
            None,
            "\\U is no JSON escape"
        );
        assert_eq!(
            json(r#"{"products": [{"name": "a"}, {"name": "\u0000"}]}"#).as_deref(),
            Some("products[1].name")
        );
        assert_eq!(json(r#"{"a\u0000": 1}"#).as_deref(), Some("a"));
        assert!(contains_encoded_nul(b"/v1/opportunities/%00"));
    }
}
