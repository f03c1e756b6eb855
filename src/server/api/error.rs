//! The JSON API's error type and the shape each surface answers with.
//!
//! * `/external/v1` (stage update): `{"success": false, "error": {"code", "message"}}`.
//! * `/api/v1/accounts/…` (document 001, Woofed CRM's deals API): Woofed's own `errors` —
//!   `"Unauthorized"`, `"Not found"`, or a list of sentences (`["Contact must exist"]`) — so
//!   clients written for Woofed read it, beside the standard `error` object with its code and
//!   field.
//! * every other API path: `{"error": {"code", "message", "field"?}}`.

use std::marker::PhantomData;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

use crate::server::ServiceError;

/// Which API surface answers, which decides the error body's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// `/external/v1`: bodies carry `success`.
    External,
    /// `/api/v1/accounts/…`: bodies carry Woofed's `errors` too.
    Accounts,
    /// `/v1`, `/api/v1`, `/integrations`.
    Standard,
}

impl Surface {
    /// The surface that answers requests to `path`.
    pub fn of_path(path: &str) -> Surface {
        if path.starts_with("/external/") {
            Surface::External
        } else if path.starts_with("/api/v1/accounts/") {
            Surface::Accounts
        } else {
            Surface::Standard
        }
    }
}

/// A surface as a type, so that a handler's error type says which shape it answers in.
pub trait Shape: Send + Sync + 'static {
    const SURFACE: Surface;
}

/// The shape of `/v1`, `/api/v1` and `/integrations`.
#[derive(Debug, Clone, Copy)]
pub struct Standard;

/// The shape of `/external/v1`.
#[derive(Debug, Clone, Copy)]
pub struct External;

/// The shape of `/api/v1/accounts/…`.
#[derive(Debug, Clone, Copy)]
pub struct Accounts;

impl Shape for Accounts {
    const SURFACE: Surface = Surface::Accounts;
}

impl Shape for Standard {
    const SURFACE: Surface = Surface::Standard;
}

impl Shape for External {
    const SURFACE: Surface = Surface::External;
}

/// An API failure: status, machine-readable code, message and the offending field, answered
/// in the shape of surface `S`. A [`ServiceError`] becomes one with `?`.
#[derive(Debug)]
pub struct ApiError<S = Standard> {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
    /// What went wrong on the server, logged once when the answer is made; never sent.
    cause: Option<String>,
    shape: PhantomData<fn() -> S>,
}

impl<S> ApiError<S> {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            field: None,
            cause: None,
            shape: PhantomData,
        }
    }

    /// A validation error (422 `VALIDATION_ERROR`) on one field.
    pub fn invalid(field: &str, message: impl Into<crate::domain::Problem>) -> Self {
        ServiceError::invalid(field, message).into()
    }

    /// No such record in the caller's account (404 `NOT_FOUND`).
    pub fn not_found(what: &'static str) -> Self {
        ServiceError::NotFound(what).into()
    }

    /// A body that is not the JSON the endpoint expects.
    pub fn bad_json(detail: impl std::fmt::Display) -> Self {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "INVALID_JSON",
            format!("the request body is not valid JSON for this endpoint: {detail}"),
        )
    }

    /// An API path that does not take this method.
    pub fn method_not_allowed() -> Self {
        ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
            "this API endpoint does not take that method",
        )
    }

    /// Too many requests from one client address (429 `RATE_LIMITED`); the answer's
    /// `Retry-After` says when to try again.
    pub fn rate_limited() -> Self {
        ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "RATE_LIMITED",
            "too many requests from this address; try again after the time in Retry-After",
        )
    }

    /// No API route at this path.
    pub fn no_route() -> Self {
        ApiError::new(StatusCode::NOT_FOUND, "NOT_FOUND", "no such API endpoint")
    }
}

/// Maps a service error onto its status and code ([`ServiceError::status`],
/// [`ServiceError::code`]). A server fault keeps its details for the log, written when the
/// answer is made.
impl<S> From<ServiceError> for ApiError<S> {
    fn from(e: ServiceError) -> Self {
        ApiError {
            status: e.status(),
            code: e.code(),
            message: e.public_message(),
            field: e.field().map(str::to_string),
            cause: e.is_server_fault().then(|| e.to_string()),
            shape: PhantomData,
        }
    }
}

impl<S> From<crate::domain::Invalid> for ApiError<S> {
    fn from(e: crate::domain::Invalid) -> Self {
        ServiceError::from(e).into()
    }
}

/// The answer to a request for `path` that no route takes (`error` built by the caller), in
/// the shape of the surface the path belongs to.
pub fn fallback(path: &str, error: fn() -> ApiError<Standard>) -> Response {
    answer(path, error())
}

/// `e` answered in the shape of the surface `path` belongs to.
pub fn answer(path: &str, e: ApiError<Standard>) -> Response {
    match Surface::of_path(path) {
        Surface::Standard => e.into_response(),
        Surface::Accounts => e.reshape::<Accounts>().into_response(),
        Surface::External => e.reshape::<External>().into_response(),
    }
}

impl<S> ApiError<S> {
    /// The same failure, to be answered in the shape of surface `T`.
    fn reshape<T>(self) -> ApiError<T> {
        ApiError {
            status: self.status,
            code: self.code,
            message: self.message,
            field: self.field,
            cause: self.cause,
            shape: PhantomData,
        }
    }
}

/// What went wrong, in every surface's error body.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Machine-readable code: `UNAUTHORIZED`, `FORBIDDEN`, `NOT_FOUND`, `VALIDATION_ERROR`,
    /// `INVALID_JSON`, `INVALID_STATUS`, `CONFLICT`, `METHOD_NOT_ALLOWED`, `RATE_LIMITED`.
    #[schema(example = "VALIDATION_ERROR")]
    pub code: String,
    /// A sentence for people.
    #[schema(example = "is required")]
    pub message: String,
    /// The request field at fault, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "name")]
    pub field: Option<String>,
}

/// The error body of `/v1`, `/api/v1` and `/integrations`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// The error body of `/api/v1/accounts/…`: Woofed CRM's `errors` and the standard `error`.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountsErrorBody {
    /// As Woofed answers: `"Unauthorized"` (401), `"Not found"` (404), or the list of what is
    /// wrong (`["Stage must exist"]`) for 400 and 422.
    pub errors: WoofedErrors,
    pub error: ErrorDetail,
}

/// Woofed CRM's `errors`: a word, or the sentences of what is wrong.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum WoofedErrors {
    #[schema(example = "Not found")]
    Word(String),
    #[schema(example = json!(["Stage must exist"]))]
    Sentences(Vec<String>),
}

/// Woofed's `errors` for an answer: a word for who and what, sentences for the body.
fn woofed_errors(status: StatusCode, message: &str, field: Option<&str>) -> WoofedErrors {
    let word = |w: &str| WoofedErrors::Word(w.to_string());
    match status.as_u16() {
        401 => word("Unauthorized"),
        403 => word("Forbidden"),
        404 => word("Not found"),
        400 | 422 => WoofedErrors::Sentences(vec![match field {
            Some(field) => format!("{} {message}", humanize(field)),
            None => message.to_string(),
        }]),
        _ => word(message),
    }
}

/// A field as Rails names it in a sentence: `contact_id` → `Contact`, `contact_attributes.email`
/// → `Contact attributes email`.
fn humanize(field: &str) -> String {
    let words = field
        .strip_suffix("_id")
        .unwrap_or(field)
        .replace(['_', '.'], " ");
    let mut chars = words.trim().chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The error body of `/external/v1`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExternalErrorBody {
    /// Always `false`.
    pub success: bool,
    pub error: ErrorDetail,
}

impl<S: Shape> IntoResponse for ApiError<S> {
    fn into_response(self) -> Response {
        if let Some(cause) = &self.cause {
            tracing::error!(error = %cause, code = self.code, "API request failed");
        }
        let error = ErrorDetail {
            code: self.code.to_string(),
            message: self.message,
            field: self.field,
        };
        match S::SURFACE {
            Surface::External => (
                self.status,
                Json(ExternalErrorBody {
                    success: false,
                    error,
                }),
            )
                .into_response(),
            Surface::Accounts => (
                self.status,
                Json(AccountsErrorBody {
                    errors: woofed_errors(self.status, &error.message, error.field.as_deref()),
                    error,
                }),
            )
                .into_response(),
            Surface::Standard => (self.status, Json(ErrorBody { error })).into_response(),
        }
    }
}
