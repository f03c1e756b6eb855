//! The error every server function answers with: a machine-readable code, the input field at
//! fault and a message for people. On the wire it is JSON,
//! `{"code":"VALIDATION_ERROR","field":"value","message":"more than 2 decimals"}`, so the
//! browser reads its fields whichever way it called (an island through server_fn, a page's
//! form through [`super::enhance`]).
//!
//! On the server a [`crate::server::ServiceError`] becomes an `AppError` with `?`: the
//! conversion sets the answer's HTTP status and logs a server fault, once.

use std::convert::Infallible;
use std::fmt;

use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use leptos::server_fn::{Bytes, ContentType, Decodes, Encodes, Format, FormatType};
use serde::{Deserialize, Serialize};

use crate::i18n::{tr, tr_args};

/// Why a server function did not succeed.
///
/// Its [`Display`](fmt::Display) is what people read: `field: message` when a field is at
/// fault, else the message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppError {
    /// Machine-readable: a `ServiceError` code (`VALIDATION_ERROR`, `NOT_FOUND`, …) or one of
    /// this module's (`INVALID_ARGUMENTS`, `UNREACHABLE`, `HTTP_ERROR`).
    pub code: String,
    /// The input field at fault, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// A sentence for people, without the field's name.
    pub message: String,
}

/// The request's arguments could not be read (or, in the browser, written): the caller's
/// mistake, answered with 400.
pub const INVALID_ARGUMENTS: &str = "INVALID_ARGUMENTS";
/// The server could not be reached (the browser's side of a failed request).
pub const UNREACHABLE: &str = "UNREACHABLE";
/// A failed answer that is not this type's JSON (a proxy's page, a guard's text…).
pub const HTTP_ERROR: &str = "HTTP_ERROR";
/// Something broke on the server; the same code as a `ServiceError` server fault.
pub const INTERNAL_ERROR: &str = "INTERNAL_ERROR";

impl AppError {
    /// An error with a code and a message, no field.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        AppError {
            code: code.into(),
            field: None,
            message: message.into(),
        }
    }

    /// The error a failed answer carries: this type's JSON when the body is that, else the
    /// body's text, else a sentence chosen by the HTTP status (when it is known).
    pub fn from_answer(status: Option<u16>, body: &[u8]) -> Self {
        if let Ok(e) = serde_json::from_slice::<AppError>(body) {
            return e;
        }
        let text = String::from_utf8_lossy(body);
        let text = text.trim();
        if !text.is_empty() {
            return AppError::new(HTTP_ERROR, text);
        }
        let message = match status {
            Some(401) => tr("common-error-session-ended"),
            Some(403) => tr("common-error-forbidden"),
            Some(404) => tr("common-error-gone"),
            Some(s) => tr_args("common-error-status", &[("status", s.to_string().into())]),
            None => tr("common-error-no-answer"),
        };
        AppError::new(HTTP_ERROR, message)
    }

    /// The answer's JSON body.
    pub fn to_json(&self) -> String {
        // A struct of strings always serializes.
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl AppError {
    /// What people read: the field's name in their language, then the message (`Valor: o
    /// valor tem mais de 2 casas decimais`); [`Display`](fmt::Display) keeps the field's
    /// machine name, which plain-text answers carry.
    pub fn for_people(&self) -> String {
        match &self.field {
            Some(field) => format!(
                "{}: {}",
                crate::domain::problem::field_label(crate::i18n::current(), field),
                self.message
            ),
            None => self.message.clone(),
        }
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{field}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for AppError {}

/// The wire format of [`AppError`]: JSON, and decoding never fails (see
/// [`AppError::from_answer`]), so a browser always gets a sentence to show.
pub struct AppErrorEncoding;

impl ContentType for AppErrorEncoding {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl FormatType for AppErrorEncoding {
    const FORMAT_TYPE: Format = Format::Text;
}

impl Encodes<AppError> for AppErrorEncoding {
    type Error = serde_json::Error;

    fn encode(output: &AppError) -> Result<Bytes, Self::Error> {
        serde_json::to_vec(output).map(Bytes::from)
    }
}

impl Decodes<AppError> for AppErrorEncoding {
    type Error = Infallible;

    fn decode(bytes: Bytes) -> Result<AppError, Self::Error> {
        Ok(AppError::from_answer(None, &bytes))
    }
}

impl FromServerFnError for AppError {
    type Encoder = AppErrorEncoding;

    /// The framework's own failures. Unreadable arguments are the caller's mistake (400 on
    /// the server); a request that never arrived is the network's; the rest is a server
    /// fault (500, logged on the server, its details not sent).
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        // The same variant means the request on the server and the answer in the browser.
        let on_server = cfg!(feature = "ssr");
        match value {
            ServerFnErrorErr::Args(m) | ServerFnErrorErr::MissingArg(m) => bad_arguments(tr_args(
                "common-error-unreadable-form",
                &[("reason", m.into())],
            )),
            ServerFnErrorErr::Deserialization(m) if on_server => bad_arguments(tr_args(
                "common-error-unreadable-form",
                &[("reason", m.into())],
            )),
            ServerFnErrorErr::Serialization(m) if !on_server => AppError::new(
                INVALID_ARGUMENTS,
                tr_args("common-error-unsendable-form", &[("reason", m.into())]),
            ),
            ServerFnErrorErr::Request(m) => AppError::new(
                UNREACHABLE,
                tr_args("common-error-unreachable", &[("reason", m.into())]),
            ),
            other => server_fault(other),
        }
    }
}

/// Unreadable arguments: on the server the answer becomes a 400.
fn bad_arguments(message: String) -> AppError {
    #[cfg(feature = "ssr")]
    set_status(axum::http::StatusCode::BAD_REQUEST);
    AppError::new(INVALID_ARGUMENTS, message)
}

/// A failure of the framework itself: logged on the server (where the answer is made), shown
/// as it is in the browser.
fn server_fault(e: ServerFnErrorErr) -> AppError {
    #[cfg(feature = "ssr")]
    {
        tracing::error!(error = %e, "server function failed");
        AppError::new(INTERNAL_ERROR, crate::server::error::SERVER_FAULT_MESSAGE)
    }
    #[cfg(not(feature = "ssr"))]
    AppError::new(INTERNAL_ERROR, e.to_string())
}

/// Sets the status of the server function's answer (when it is answering a request).
#[cfg(feature = "ssr")]
fn set_status(status: axum::http::StatusCode) {
    if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(status);
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// The error a service error shows, without side effects (for answers made outside a
    /// server function, e.g. the login guard).
    pub fn describe(e: &crate::server::ServiceError) -> Self {
        AppError {
            code: e.code().to_string(),
            field: e.field().map(str::to_string),
            message: e.message_without_field(),
        }
    }
}

/// The server function's answer to a service error: its status ([`ServiceError::status`])
/// is set on the response, and a server fault is logged here, the one place it becomes an
/// answer. A validation error's message is written in the request's language
/// ([`ServiceError::message_in`]); its code and field stay the machine's.
///
/// [`ServiceError::status`]: crate::server::ServiceError::status
/// [`ServiceError::message_in`]: crate::server::ServiceError::message_in
#[cfg(feature = "ssr")]
impl From<crate::server::ServiceError> for AppError {
    fn from(e: crate::server::ServiceError) -> Self {
        set_status(e.status());
        if e.is_server_fault() {
            tracing::error!(error = %e, code = e.code(), "server function failed");
        }
        AppError {
            message: e.message_in(crate::i18n::current()),
            ..AppError::describe(&e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(e: &AppError) -> AppError {
        let bytes = <AppErrorEncoding as Encodes<AppError>>::encode(e).expect("encodes");
        AppError::de(bytes)
    }

    #[test]
    fn people_read_the_fields_name_and_plain_text_its_machine_name() {
        let e = AppError {
            code: "VALIDATION_ERROR".into(),
            field: Some("items[2].due_at".into()),
            message: "not a date".into(),
        };
        assert_eq!(e.for_people(), "Due: not a date");
        assert_eq!(e.to_string(), "items[2].due_at: not a date");
        let odd = AppError {
            field: Some("no_such_field".into()),
            ..e.clone()
        };
        assert_eq!(odd.for_people(), "no_such_field: not a date");
        assert_eq!(AppError::new("X", "plain").for_people(), "plain");
    }

    #[test]
    fn the_browser_reads_what_the_server_sent() {
        let e = AppError {
            code: "VALIDATION_ERROR".into(),
            field: Some("value".into()),
            message: "more than 2 decimals".into(),
        };
        assert_eq!(round_trip(&e), e);
        assert_eq!(
            String::from_utf8(e.ser().to_vec()).expect("utf-8"),
            r#"{"code":"VALIDATION_ERROR","field":"value","message":"more than 2 decimals"}"#
        );
        assert_eq!(e.to_string(), "value: more than 2 decimals");
        // A message that holds a bar or quotes keeps them.
        let e = AppError::new("CONFLICT", r#"a|b "c""#);
        assert_eq!(round_trip(&e), e);
        assert_eq!(e.to_json(), r#"{"code":"CONFLICT","message":"a|b \"c\""}"#);
        assert_eq!(e.to_string(), r#"a|b "c""#);
    }

    #[test]
    fn other_answers_read_as_their_text_or_status() {
        assert_eq!(
            AppError::from_answer(Some(403), b"cross-site request refused"),
            AppError::new(HTTP_ERROR, "cross-site request refused")
        );
        assert_eq!(
            AppError::from_answer(Some(401), b"").to_string(),
            "your session has ended; sign in again"
        );
        assert_eq!(
            AppError::from_answer(Some(502), b" ").to_string(),
            "the server answered 502"
        );
        assert_eq!(
            AppError::de(Bytes::from_static(b"")).to_string(),
            "the server answered without saying why"
        );
        // JSON of another shape is shown as it came.
        assert_eq!(AppError::from_answer(Some(500), b"{}").message, "{}");
    }

    #[test]
    fn framework_failures_have_codes() {
        let e = AppError::from_server_fn_error(ServerFnErrorErr::Args("missing field `id`".into()));
        assert_eq!(e.code, INVALID_ARGUMENTS);
        assert_eq!(
            e.to_string(),
            "the form could not be read: missing field `id`"
        );
        let e = AppError::from_server_fn_error(ServerFnErrorErr::Request("offline".into()));
        assert_eq!(e.code, UNREACHABLE);
        let e = AppError::from_server_fn_error(ServerFnErrorErr::Response("no".into()));
        assert_eq!(e.code, INTERNAL_ERROR);
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn service_errors_keep_their_code_and_field() {
        use crate::server::ServiceError;
        let e = AppError::from(ServiceError::invalid("value", "more than 2 decimals"));
        assert_eq!(
            round_trip(&e),
            AppError {
                code: "VALIDATION_ERROR".into(),
                field: Some("value".into()),
                message: "more than 2 decimals".into(),
            }
        );
        let e = AppError::from(ServiceError::NotFound("deal"));
        assert_eq!((e.code.as_str(), e.field), ("NOT_FOUND", None));
        assert_eq!(e.message, "deal not found");
        // A server fault says only that; its details stay in the log.
        let e = AppError::from(ServiceError::Internal("the disk is full".into()));
        assert_eq!(e.code, INTERNAL_ERROR);
        assert_eq!(e.message, crate::server::error::SERVER_FAULT_MESSAGE);
    }
}
