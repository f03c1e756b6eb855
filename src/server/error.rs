//! The service layer's error type. Every surface maps it onto its own answer shape.

use axum::http::StatusCode;
use thiserror::Error;

use crate::domain::Problem;
use crate::i18n::Locale;

/// Why a service call did not succeed.
#[derive(Debug, Error)]
pub enum ServiceError {
    /// The resource does not exist in the caller's account (resources of other accounts included).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// Input that breaks a rule; `field` names the offending field (its machine name), and
    /// `message` says why (its `Display` is the English sentence every API answers with).
    #[error("{field}: {message}")]
    Validation { field: String, message: Problem },
    /// No valid credentials.
    #[error("authentication required")]
    Unauthorized,
    /// Valid credentials without the needed permission.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// Too many attempts in a short time (sign-ins); the message says when to try again.
    #[error("{0}")]
    TooManyAttempts(String),
    /// The account's plan does not include the feature.
    #[error("{0}")]
    PlanRequired(String),
    /// The change conflicts with existing data (duplicates and the like).
    #[error("{0}")]
    Conflict(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("internal error: {0}")]
    Internal(String),
}

impl ServiceError {
    /// The same error, a validation of field `from` named `to` (a surface's own name for it).
    pub fn renamed(self, from: &str, to: &str) -> Self {
        match self {
            ServiceError::Validation { field, message } if field == from => {
                ServiceError::Validation {
                    field: to.to_string(),
                    message,
                }
            }
            e => e,
        }
    }

    /// A validation error on one field.
    pub fn invalid(field: impl Into<String>, message: impl Into<Problem>) -> Self {
        ServiceError::Validation {
            field: field.into(),
            message: message.into(),
        }
    }

    /// True when a write broke a unique index (a concurrent writer took the same key).
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, ServiceError::Database(sqlx::Error::Database(e)) if e.is_unique_violation())
    }

    /// The HTTP status every surface answers with (the JSON API and server functions alike).
    /// Only [`ServiceError::Database`] and [`ServiceError::Internal`] are 5xx: they are the
    /// server's fault, the rest the request's.
    pub fn status(&self) -> StatusCode {
        match self {
            ServiceError::NotFound(_) => StatusCode::NOT_FOUND,
            ServiceError::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ServiceError::Unauthorized => StatusCode::UNAUTHORIZED,
            ServiceError::Forbidden(_) => StatusCode::FORBIDDEN,
            ServiceError::PlanRequired(_) => StatusCode::PAYMENT_REQUIRED,
            ServiceError::TooManyAttempts(_) => StatusCode::TOO_MANY_REQUESTS,
            ServiceError::Conflict(_) => StatusCode::CONFLICT,
            ServiceError::Database(_) | ServiceError::Internal(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    /// The machine-readable code every surface answers with; one code per variant.
    pub fn code(&self) -> &'static str {
        match self {
            ServiceError::NotFound(_) => "NOT_FOUND",
            ServiceError::Validation { .. } => "VALIDATION_ERROR",
            ServiceError::Unauthorized => "UNAUTHORIZED",
            ServiceError::Forbidden(_) => "FORBIDDEN",
            ServiceError::PlanRequired(_) => "PLAN_REQUIRED",
            ServiceError::TooManyAttempts(_) => "TOO_MANY_ATTEMPTS",
            ServiceError::Conflict(_) => "CONFLICT",
            ServiceError::Database(_) | ServiceError::Internal(_) => "INTERNAL_ERROR",
        }
    }

    /// The input field at fault: present exactly for [`ServiceError::Validation`].
    pub fn field(&self) -> Option<&str> {
        match self {
            ServiceError::Validation { field, .. } => Some(field),
            _ => None,
        }
    }

    /// True when the error is the server's fault (a 5xx): its details are logged, never shown.
    pub fn is_server_fault(&self) -> bool {
        self.status().is_server_error()
    }

    /// The message shown to users (a validation error names its field: `field: message`).
    /// A server fault says only that the request failed: its details are for the log, which
    /// the surface that answers writes once (see [`ServiceError::is_server_fault`]).
    pub fn public_message(&self) -> String {
        if self.is_server_fault() {
            SERVER_FAULT_MESSAGE.into()
        } else {
            self.to_string()
        }
    }

    /// [`ServiceError::public_message`] without the field's name, which travels beside it.
    pub fn message_without_field(&self) -> String {
        match self {
            ServiceError::Validation { message, .. } => message.to_string(),
            other => other.public_message(),
        }
    }

    /// [`ServiceError::message_without_field`] in `locale`: a validation error's complaint in
    /// that language (one written as text stays as it is); any other error as in English.
    pub fn message_in(&self, locale: Locale) -> String {
        match self {
            ServiceError::Validation { message, .. } => message.in_locale(locale),
            other => other.message_without_field(),
        }
    }
}

impl From<crate::domain::Invalid> for ServiceError {
    fn from(e: crate::domain::Invalid) -> Self {
        ServiceError::Validation {
            field: e.field,
            message: e.message,
        }
    }
}

/// What users read when the server is at fault.
pub const SERVER_FAULT_MESSAGE: &str =
    "the server could not complete the request; please try again";

/// Result of a service call.
pub type ServiceResult<T> = Result<T, ServiceError>;

#[cfg(test)]
mod tests {
    use super::*;

    /// The one table of statuses and codes both the JSON API and server functions answer with.
    #[test]
    fn every_error_has_its_status_code_and_field() {
        let cases: Vec<(ServiceError, u16, &str, Option<&str>)> = vec![
            (ServiceError::NotFound("deal"), 404, "NOT_FOUND", None),
            (
                ServiceError::invalid("value", "more than 2 decimals"),
                422,
                "VALIDATION_ERROR",
                Some("value"),
            ),
            (ServiceError::Unauthorized, 401, "UNAUTHORIZED", None),
            (
                ServiceError::Forbidden("owners only".into()),
                403,
                "FORBIDDEN",
                None,
            ),
            (
                ServiceError::PlanRequired("PRO".into()),
                402,
                "PLAN_REQUIRED",
                None,
            ),
            (
                ServiceError::TooManyAttempts("wait".into()),
                429,
                "TOO_MANY_ATTEMPTS",
                None,
            ),
            (
                ServiceError::Conflict("taken".into()),
                409,
                "CONFLICT",
                None,
            ),
            (
                ServiceError::Database(sqlx::Error::RowNotFound),
                500,
                "INTERNAL_ERROR",
                None,
            ),
            (
                ServiceError::Internal("boom".into()),
                500,
                "INTERNAL_ERROR",
                None,
            ),
        ];
        for (e, status, code, field) in cases {
            assert_eq!(e.status().as_u16(), status, "{e:?}");
            assert_eq!(e.code(), code, "{e:?}");
            assert_eq!(e.field(), field, "{e:?}");
            assert_eq!(e.is_server_fault(), status >= 500, "{e:?}");
        }
    }

    #[test]
    fn validation_errors_speak_the_language_asked_for() {
        let e = ServiceError::invalid("value", Problem::NotNegative);
        assert_eq!(e.to_string(), "value: must not be negative");
        assert_eq!(e.message_without_field(), "must not be negative");
        assert_eq!(e.message_in(Locale::En), "must not be negative");
        assert_eq!(e.message_in(Locale::PtBr), "não pode ser negativo");
        assert_eq!(e.message_in(Locale::Es), "no puede ser negativo");
        let e = ServiceError::invalid("value", "more than 2 decimals");
        assert_eq!(e.message_in(Locale::PtBr), "more than 2 decimals");
        assert_eq!(
            ServiceError::NotFound("deal").message_in(Locale::PtBr),
            "deal not found"
        );
    }

    #[test]
    fn messages_hide_server_faults_and_name_fields() {
        let e = ServiceError::invalid("value", "more than 2 decimals");
        assert_eq!(e.public_message(), "value: more than 2 decimals");
        assert_eq!(e.message_without_field(), "more than 2 decimals");
        assert_eq!(
            ServiceError::NotFound("deal").public_message(),
            "deal not found"
        );
        let e = ServiceError::Internal("the disk is full".into());
        assert_eq!(e.public_message(), SERVER_FAULT_MESSAGE);
        assert_eq!(e.message_without_field(), SERVER_FAULT_MESSAGE);
    }
}
