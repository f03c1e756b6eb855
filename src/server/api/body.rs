//! Request bodies of the JSON API: a JSON object (whatever the `Content-Type`), and readers for
//! its fields that turn a wrong type into a validation error naming the field.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde_json::{Map, Value};

use super::error::{ApiError, Surface};
use crate::domain::money::{cents_from_f64, parse_amount};
use crate::server::error::{ServiceError, ServiceResult};

/// A request body that should be a JSON object. It is read eagerly but judged only when the
/// handler asks ([`Body::object`]), after authentication, so a request without a key gets
/// its 401 whatever its body.
#[derive(Debug)]
pub struct Body(Result<Map<String, Value>, ApiError>);

impl Body {
    /// The JSON object, or a 400 in the path's error shape.
    pub fn object(self) -> Result<Map<String, Value>, ApiError> {
        self.0
    }
}

impl<S: Send + Sync> FromRequest<S> for Body {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let surface = Surface::of_path(req.uri().path());
        let bytes = match Bytes::from_request(req, state).await {
            Ok(b) => b,
            Err(e) => return Ok(Body(Err(ApiError::bad_json(surface, e)))),
        };
        Ok(Body(match serde_json::from_slice::<Value>(&bytes) {
            Ok(Value::Object(m)) => Ok(m),
            Ok(_) => Err(ApiError::bad_json(surface, "expected a JSON object")),
            Err(e) if bytes.iter().all(u8::is_ascii_whitespace) => Err(ApiError::bad_json(
                surface,
                format!("the body is empty ({e})"),
            )),
            Err(e) => Err(ApiError::bad_json(surface, e)),
        }))
    }
}

/// A text field: absent or null → `None`; anything but a string → an error on `field`.
pub fn text(body: &Map<String, Value>, field: &str) -> ServiceResult<Option<String>> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(ServiceError::invalid(field, "must be a string")),
    }
}

/// A whole-number field (a JSON integer or a string of digits).
pub fn int(body: &Map<String, Value>, field: &str) -> ServiceResult<Option<i64>> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| ServiceError::invalid(field, format!("{n} is not a whole number"))),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| ServiceError::invalid(field, format!("\"{s}\" is not a whole number"))),
        Some(_) => Err(ServiceError::invalid(field, "must be a whole number")),
    }
}

/// A boolean field.
pub fn flag(body: &Map<String, Value>, field: &str) -> ServiceResult<Option<bool>> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(ServiceError::invalid(field, "must be true or false")),
    }
}

/// An object field.
pub fn object<'a>(
    body: &'a Map<String, Value>,
    field: &str,
) -> ServiceResult<Option<&'a Map<String, Value>>> {
    match body.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => Ok(Some(m)),
        Some(_) => Err(ServiceError::invalid(field, "must be an object")),
    }
}

/// An amount field (number or numeric string) in cents, at most two decimals, not negative.
pub fn money(body: &Map<String, Value>, field: &str) -> ServiceResult<Option<i64>> {
    let cents = match body.get(field) {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Number(n)) => n
            .as_f64()
            .ok_or_else(|| ServiceError::invalid(field, "is not a number"))
            .and_then(|v| cents_from_f64(v).map_err(|m| ServiceError::invalid(field, m)))?,
        Some(Value::String(s)) => parse_amount(s).map_err(|m| ServiceError::invalid(field, m))?,
        Some(_) => return Err(ServiceError::invalid(field, "must be a number")),
    };
    if cents < 0 {
        return Err(ServiceError::invalid(field, "must not be negative"));
    }
    Ok(Some(cents))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fields_are_typed_and_named_in_errors() {
        let body =
            json!({"a": "x", "n": 3, "s": "42", "f": 1.5, "m": "12.345", "b": true, "o": {}});
        let body = body.as_object().unwrap();
        assert_eq!(text(body, "a").unwrap().as_deref(), Some("x"));
        assert_eq!(text(body, "missing").unwrap(), None);
        assert!(text(body, "n").unwrap_err().to_string().starts_with("n:"));
        assert_eq!(int(body, "n").unwrap(), Some(3));
        assert_eq!(int(body, "s").unwrap(), Some(42));
        assert!(int(body, "f").is_err());
        assert!(int(body, "a").is_err());
        assert_eq!(money(body, "f").unwrap(), Some(150));
        assert!(money(body, "m").unwrap_err().to_string().starts_with("m:"));
        assert_eq!(flag(body, "b").unwrap(), Some(true));
        assert!(flag(body, "a").is_err());
        assert!(object(body, "o").unwrap().is_some());
        assert!(object(body, "a").is_err());
    }
}
