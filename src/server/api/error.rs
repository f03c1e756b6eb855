//! The JSON API's error type and the shape each surface answers with.
//!
//! * `/external/v1` (stage update): `{"success": false, "error": {"code", "message"}}`.
//! * every other API path: `{"error": {"code", "message", "field"?}}`.

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
    /// `/v1`, `/api/v1`, `/integrations`.
    Standard,
}

impl Surface {
    /// The surface that answers requests to `path`.
    pub fn of_path(path: &str) -> Surface {
        if path.starts_with("/external/") {
            Surface::External
        } else {
            Surface::Standard
        }
    }
}

/// An API failure: status, machine-readable code, message and the offending field.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub surface: Surface,
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
    /// What went wrong on the server, logged once when the answer is made; never sent.
    cause: Option<String>,
}

impl ApiError {
    pub fn new(
        surface: Surface,
        status: StatusCode,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        ApiError {
            surface,
            status,
            code,
            message: message.into(),
            field: None,
            cause: None,
        }
    }

    /// Maps a service error onto its status and code ([`ServiceError::status`],
    /// [`ServiceError::code`]), in the surface's shape. A server fault keeps its details for
    /// the log, written when the answer is made.
    pub fn from_service(surface: Surface, e: ServiceError) -> Self {
        ApiError {
            surface,
            status: e.status(),
            code: e.code(),
            message: e.public_message(),
            field: e.field().map(str::to_string),
            cause: e.is_server_fault().then(|| e.to_string()),
        }
    }

    /// A body that is not the JSON the endpoint expects.
    pub fn bad_json(surface: Surface, detail: impl std::fmt::Display) -> Self {
        ApiError::new(
            surface,
            StatusCode::BAD_REQUEST,
            "INVALID_JSON",
            format!("the request body is not valid JSON for this endpoint: {detail}"),
        )
    }

    /// An API path that does not take this method.
    pub fn method_not_allowed(surface: Surface) -> Self {
        ApiError::new(
            surface,
            StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
            "this API endpoint does not take that method",
        )
    }

    /// No API route at this path.
    pub fn no_route(surface: Surface) -> Self {
        ApiError::new(
            surface,
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "no such API endpoint",
        )
    }
}

/// What went wrong, in every surface's error body.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Machine-readable code: `UNAUTHORIZED`, `FORBIDDEN`, `NOT_FOUND`, `VALIDATION_ERROR`,
    /// `INVALID_JSON`, `INVALID_STATUS`, `CONFLICT`, `METHOD_NOT_ALLOWED`.
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

/// The error body of `/external/v1`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExternalErrorBody {
    /// Always `false`.
    pub success: bool,
    pub error: ErrorDetail,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Some(cause) = &self.cause {
            tracing::error!(error = %cause, code = self.code, "API request failed");
        }
        let error = ErrorDetail {
            code: self.code.to_string(),
            message: self.message,
            field: self.field,
        };
        match self.surface {
            Surface::External => (
                self.status,
                Json(ExternalErrorBody {
                    success: false,
                    error,
                }),
            )
                .into_response(),
            Surface::Standard => (self.status, Json(ErrorBody { error })).into_response(),
        }
    }
}
