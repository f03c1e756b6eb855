//! Values as the database stores them and the API writes them: each decodes itself from its
//! column and serializes itself in API form, so a record read from the database is also the
//! answer's type.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Serialize, Serializer};
use serde_json::{Map, Value};
use sqlx::any::{AnyTypeInfo, AnyValueRef};
use sqlx::error::BoxDynError;
use sqlx::{Any, Decode, Type};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type as SchemaType};
use utoipa::openapi::{RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

use crate::domain::dates::parse_time;

/// A stored UTC timestamp (text in storage form); the API writes it as
/// `2026-01-02T03:04:05Z`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Timestamp(pub DateTime<Utc>);

impl Type<Any> for Timestamp {
    fn type_info() -> AnyTypeInfo {
        <String as Type<Any>>::type_info()
    }

    fn compatible(ty: &AnyTypeInfo) -> bool {
        <String as Type<Any>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Any> for Timestamp {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        let text = <String as Decode<'r, Any>>::decode(value)?;
        parse_time(&text)
            .map(Timestamp)
            .ok_or_else(|| format!("\"{text}\" is not a stored timestamp").into())
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.to_rfc3339_opts(SecondsFormat::Secs, true))
    }
}

impl PartialSchema for Timestamp {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(SchemaType::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
            .description(Some("ISO 8601, UTC"))
            .into()
    }
}

impl ToSchema for Timestamp {}

/// A stored JSON object (text); the API writes it as the object itself. Text that is not a
/// JSON object reads as an empty object.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct JsonText(pub Map<String, Value>);

impl Type<Any> for JsonText {
    fn type_info() -> AnyTypeInfo {
        <String as Type<Any>>::type_info()
    }

    fn compatible(ty: &AnyTypeInfo) -> bool {
        <String as Type<Any>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Any> for JsonText {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        let text = <String as Decode<'r, Any>>::decode(value)?;
        Ok(JsonText(serde_json::from_str(&text).unwrap_or_default()))
    }
}

impl Serialize for JsonText {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

impl PartialSchema for JsonText {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(SchemaType::Object)
            .description(Some("Stored and returned exactly as sent"))
            .into()
    }
}

impl ToSchema for JsonText {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_serialize_in_api_form() {
        let t = Timestamp(parse_time("2026-01-02T03:04:05.123456Z").unwrap());
        assert_eq!(
            serde_json::to_value(t).unwrap(),
            Value::from("2026-01-02T03:04:05Z")
        );
    }

    #[test]
    fn json_text_serializes_as_the_object() {
        let mut m = Map::new();
        m.insert("plan".into(), Value::from("gold"));
        assert_eq!(
            serde_json::to_string(&JsonText(m)).unwrap(),
            r#"{"plan":"gold"}"#
        );
    }
}
