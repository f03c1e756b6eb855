//! Request bodies of the JSON API: a JSON object (whatever the `Content-Type`) read into the
//! same struct the OpenAPI document shows. A body that is not a JSON object is 400
//! `INVALID_JSON`; a field of the wrong type is 422 `VALIDATION_ERROR` naming the field by its
//! path (`contact_attributes.email`, `products[1]`).

use std::marker::PhantomData;

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use serde_json::Value;

use super::error::{ApiError, Shape, Standard};

/// A request body read into `T`. It is read eagerly but judged only when the handler asks
/// ([`Body::value`]), after authentication and the path's own checks, so a request without a
/// key gets its 401, and one for a missing record its 404, whatever its body.
pub struct Body<T, S = Standard>(Result<T, ApiError<S>>, PhantomData<fn() -> S>);

impl<T, S> Body<T, S> {
    /// The body, or the answer that says what is wrong with it.
    pub fn value(self) -> Result<T, ApiError<S>> {
        self.0
    }
}

impl<T, S, St> FromRequest<St> for Body<T, S>
where
    T: DeserializeOwned,
    S: Shape,
    St: Send + Sync,
{
    type Rejection = ApiError<S>;

    async fn from_request(req: Request, state: &St) -> Result<Self, Self::Rejection> {
        let read = match Bytes::from_request(req, state).await {
            Ok(bytes) => parse(&bytes),
            Err(e) => Err(ApiError::bad_json(e)),
        };
        Ok(Body(read, PhantomData))
    }
}

/// Reads `bytes` as a JSON object into `T`. A number whose value a 64-bit float does not
/// hold (more digits than it keeps, beyond its range) is given to `T` as its text, so nothing
/// reads a rounded number: an amount is judged on the digits sent, a whole number too large
/// for 64 bits is refused.
pub fn parse<T: DeserializeOwned, S>(bytes: &[u8]) -> Result<T, ApiError<S>> {
    let mut value = match serde_json::from_slice::<Value>(bytes) {
        Ok(v @ Value::Object(_)) => v,
        Ok(_) => return Err(ApiError::bad_json("expected a JSON object")),
        Err(e) if bytes.iter().all(u8::is_ascii_whitespace) => {
            return Err(ApiError::bad_json(format!("the body is empty ({e})")))
        }
        Err(e) => return Err(ApiError::bad_json(e)),
    };
    if let Ok(raw) = serde_json::from_slice::<&RawValue>(bytes) {
        let mut inexact = Vec::new();
        inexact_numbers(raw, &mut String::new(), &mut inexact);
        for (pointer, text) in inexact {
            if let Some(v) = value.pointer_mut(&pointer) {
                *v = Value::String(text);
            }
        }
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let field = e.path().to_string();
        ApiError::invalid(&field, readable(&e.into_inner().to_string()))
    })
}

/// Collects, by JSON pointer under `pointer`, the numbers of `raw` whose value the float
/// `serde_json` reads them into differs from their text, with that text.
fn inexact_numbers(raw: &RawValue, pointer: &mut String, out: &mut Vec<(String, String)>) {
    use crate::domain::money::ExactDecimal;
    let text = raw.get().trim();
    let here = pointer.len();
    match text.as_bytes().first() {
        Some(b'{') => {
            if let Ok(members) =
                serde_json::from_str::<std::collections::HashMap<String, &RawValue>>(text)
            {
                for (key, member) in members {
                    pointer.push('/');
                    pointer.push_str(&key.replace('~', "~0").replace('/', "~1"));
                    inexact_numbers(member, pointer, out);
                    pointer.truncate(here);
                }
            }
        }
        Some(b'[') => {
            if let Ok(items) = serde_json::from_str::<Vec<&RawValue>>(text) {
                for (i, item) in items.into_iter().enumerate() {
                    pointer.push_str(&format!("/{i}"));
                    inexact_numbers(item, pointer, out);
                    pointer.truncate(here);
                }
            }
        }
        Some(b'-' | b'0'..=b'9') => {
            let read = serde_json::from_str::<Value>(text).ok().and_then(|v| {
                v.as_number()
                    .and_then(|n| ExactDecimal::parse(&n.to_string()))
            });
            if read.is_none() || read != ExactDecimal::parse(text) {
                out.push((pointer.clone(), text.to_string()));
            }
        }
        _ => {}
    }
}

/// A deserializer's complaint as people read it: `invalid type: integer `5`, expected a
/// string` says "must be a string".
fn readable(message: &str) -> String {
    match message.split_once(", expected ") {
        Some((found, expected)) if found.starts_with("invalid type") => {
            format!("must be {expected}")
        }
        _ if message.starts_with("data did not match any variant") => {
            "is not one of the forms this field takes (see the API document)".into()
        }
        _ => message.to_string(),
    }
}

/// Lenient readers for fields that other systems send in more than one JSON type.
pub mod de {
    use serde::de::{Deserializer, Error};
    use serde::Deserialize;
    use serde_json::Value;

    use crate::domain::money::{parse_amount, ExactDecimal};
    use crate::domain::Problem;

    /// A whole number sent as a JSON integer or a string of digits (empty is none), as a
    /// plain number or an id type.
    pub fn int<'de, D: Deserializer<'de>, T: serde::de::DeserializeOwned>(
        d: D,
    ) -> Result<Option<T>, D::Error> {
        let n: Option<i64> = match Option::<Value>::deserialize(d)? {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => n
                .as_i64()
                .map(Some)
                .ok_or_else(|| D::Error::custom(format!("{n} is not a whole number"))),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => s
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| D::Error::custom(format!("\"{s}\" is not a whole number"))),
            Some(_) => Err(D::Error::custom("must be a whole number")),
        }?;
        n.map(|n| serde_json::from_value(Value::from(n)).map_err(D::Error::custom))
            .transpose()
    }

    /// Like [`int`], for a field that may be left out (it stays as it is) but may not be
    /// sent empty: `null` or `""` is refused.
    pub fn int_not_null<'de, D: Deserializer<'de>, T: serde::de::DeserializeOwned>(
        d: D,
    ) -> Result<Option<T>, D::Error> {
        match int::<D, T>(d)? {
            Some(v) => Ok(Some(v)),
            None => Err(D::Error::custom(
                "must not be null (leave it out to keep it as it is)",
            )),
        }
    }

    /// An amount sent as a number or a numeric string, in cents: at most two decimals, not
    /// negative. A number is read from its text (see [`super::parse`]), so `123456.789` is
    /// refused whatever its size.
    pub fn money<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        let exact = |text: &str| -> Result<i64, Problem> {
            ExactDecimal::parse(text)
                .ok_or_else(|| Problem::NotANumber {
                    value: text.chars().take(40).collect(),
                })?
                .cents()
        };
        let cents = match Option::<Value>::deserialize(d)? {
            None | Some(Value::Null) => return Ok(None),
            Some(Value::Number(n)) => exact(&n.to_string()).map_err(D::Error::custom)?,
            // A typed amount ("1,200.50"), or a number too precise for a float, kept as its
            // text by `parse` ("1.0000000000000000001").
            Some(Value::String(s)) => match parse_amount(&s) {
                Err(Problem::NotANumber { .. }) if ExactDecimal::parse(&s).is_some() => {
                    exact(&s).map_err(D::Error::custom)?
                }
                other => other.map_err(D::Error::custom)?,
            },
            Some(_) => return Err(D::Error::custom("must be a number")),
        };
        if cents < 0 {
            return Err(D::Error::custom("must not be negative"));
        }
        Ok(Some(cents))
    }

    /// An amount sent as a JSON number or a string, kept as text for the service to check
    /// (`null` is empty, as if left out).
    pub fn amount_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        match Option::<Value>::deserialize(d)? {
            None | Some(Value::Null) => Ok(String::new()),
            Some(Value::Number(n)) => Ok(n.to_string()),
            Some(Value::String(s)) => Ok(s),
            Some(_) => Err(D::Error::custom("must be an amount")),
        }
    }

    /// A field whose explicit `null` means something (clear it) apart from its absence
    /// (leave it): `None` absent, `Some(None)` null. Use with `#[serde(default)]`.
    pub fn nullable<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de>,
    {
        Option::<T>::deserialize(d).map(Some)
    }

    /// [`nullable`] for a whole number read as [`int`] does: `None` absent, `Some(None)` null
    /// (or `""`), `Some(Some(n))` a number or a string of digits.
    pub fn nullable_int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<i64>>, D::Error> {
        int::<D, i64>(d).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Sample {
        name: Option<String>,
        #[serde(default, deserialize_with = "de::int")]
        n: Option<i64>,
        #[serde(default, deserialize_with = "de::money")]
        value: Option<i64>,
        #[serde(default, deserialize_with = "de::nullable")]
        lead: Option<Option<String>>,
        nested: Option<Nested>,
    }

    #[derive(Debug, Deserialize)]
    struct Nested {
        email: Option<String>,
    }

    fn field(body: &str) -> Option<String> {
        parse::<Sample, Standard>(body.as_bytes())
            .err()
            .and_then(|e| e.field)
    }

    #[test]
    fn fields_are_typed_and_named_in_errors() {
        let s: Sample =
            parse::<_, Standard>(br#"{"name": "x", "n": "42", "value": 1.5, "lead": null}"#)
                .unwrap();
        assert_eq!(s.name.as_deref(), Some("x"));
        assert_eq!(s.n, Some(42));
        assert_eq!(s.value, Some(150));
        assert_eq!(s.lead, Some(None));
        let s: Sample = parse::<_, Standard>(b"{}").unwrap();
        assert_eq!((s.n, s.lead), (None, None));
        let s: Sample = parse::<_, Standard>(br#"{"nested": {"email": "a@b.test"}}"#).unwrap();
        assert_eq!(s.nested.and_then(|n| n.email).as_deref(), Some("a@b.test"));
        assert_eq!(field(r#"{"name": 5}"#).as_deref(), Some("name"));
        assert_eq!(field(r#"{"n": 1.5}"#).as_deref(), Some("n"));
        assert_eq!(field(r#"{"value": "12.345"}"#).as_deref(), Some("value"));
        assert_eq!(field(r#"{"value": -1}"#).as_deref(), Some("value"));
        assert_eq!(
            field(r#"{"nested": {"email": 3}}"#).as_deref(),
            Some("nested.email")
        );
    }

    #[test]
    fn only_json_objects_are_bodies() {
        for body in ["", "  ", "{oops", "[1]", "\"text\""] {
            let e = parse::<Sample, Standard>(body.as_bytes()).unwrap_err();
            assert_eq!((e.status.as_u16(), e.code), (400, "INVALID_JSON"), "{body}");
        }
    }

    #[test]
    fn type_errors_read_as_sentences() {
        let e = parse::<Sample, Standard>(br#"{"name": 5}"#).unwrap_err();
        assert!(e.message.ends_with("must be a string"), "{}", e.message);
    }
}
