//! The service layer's error type. Every surface maps it onto its own answer shape.

use thiserror::Error;

/// Why a service call did not succeed.
#[derive(Debug, Error)]
pub enum ServiceError {
    /// The resource does not exist in the caller's account (resources of other accounts included).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// Input that breaks a rule; `field` names the offending field.
    #[error("{field}: {message}")]
    Validation { field: String, message: String },
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
    /// A validation error on one field.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        ServiceError::Validation {
            field: field.into(),
            message: message.into(),
        }
    }

    /// True when a write broke a unique index (a concurrent writer took the same key).
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, ServiceError::Database(sqlx::Error::Database(e)) if e.is_unique_violation())
    }

    /// The message shown to users; internal details stay in the logs.
    pub fn public_message(&self) -> String {
        match self {
            ServiceError::Database(e) => {
                tracing::error!(error = %e, "database error");
                "the server could not complete the request; please try again".into()
            }
            ServiceError::Internal(e) => {
                tracing::error!(error = %e, "internal error");
                "the server could not complete the request; please try again".into()
            }
            other => other.to_string(),
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

/// Result of a service call.
pub type ServiceResult<T> = Result<T, ServiceError>;
