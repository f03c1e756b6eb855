//! `POST /integrations/external/deals` — lead intake: reads the document's body into a
//! [`LeadIntake`] (a wrong type is a 422 naming the field) and answers `{id, code, title}`.
//! Needs scope `deals:write`; a key with an allowed domain only accepts calls whose `Origin` or
//! `Referer` is that domain.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Map, Value};

use super::auth;
use super::body::{self, Body};
use super::error::{ApiError, Surface};
use crate::server::services::intake::{self, CustomFieldIntake, LeadIntake, PersonIntake};
use crate::server::services::Actor;
use crate::server::{AppState, ServiceError};

const S: Surface = Surface::Standard;

/// The routes of this surface.
pub fn routes() -> Router<AppState> {
    Router::new().route("/integrations/external/deals", post(create))
}

fn invalid(field: impl Into<String>, message: impl Into<String>) -> ServiceError {
    ServiceError::invalid(field, message)
}

/// An array field (absent or null → empty).
fn array<'a>(b: &'a Map<String, Value>, field: &str) -> Result<&'a [Value], ServiceError> {
    match b.get(field) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(a)) => Ok(a),
        Some(_) => Err(invalid(field, "must be an array")),
    }
}

/// An id given as a string, or as an object holding it under one of `keys`.
fn id_in(v: &Value, keys: &[&str], field: &str) -> Result<String, ServiceError> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Ok(s.trim().to_string()),
        Value::Object(m) => keys
            .iter()
            .find_map(|k| m.get(*k).and_then(Value::as_str))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .ok_or_else(|| invalid(field, format!("needs {}", keys.join(" or ")))),
        _ => Err(invalid(field, "must be an id (a string)")),
    }
}

/// A name given as `{"name": …}` or as a plain string.
fn name_of(b: &Map<String, Value>, field: &str) -> Result<Option<String>, ServiceError> {
    match b.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(Value::Object(m)) => match m.get("name") {
            Some(Value::String(s)) => Ok(Some(s.clone())),
            _ => Err(invalid(format!("{field}.name"), "is required")),
        },
        Some(_) => Err(invalid(field, "must be an object with a name")),
    }
}

fn person(p: &Map<String, Value>) -> Result<PersonIntake, ServiceError> {
    let named = |f: &str| format!("person.{f}");
    let mut contacts = Vec::new();
    for (i, c) in array(p, "contacts")
        .map_err(|e| invalid(named("contacts"), e.to_string()))?
        .iter()
        .enumerate()
    {
        let field = format!("person.contacts[{i}]");
        let c = c
            .as_object()
            .ok_or_else(|| invalid(&field, "must be an object with type and value"))?;
        let kind = body::int(c, "type")
            .map_err(|_| invalid(format!("{field}.type"), "must be a whole number"))?
            .ok_or_else(|| invalid(format!("{field}.type"), "is required"))?;
        let value = body::text(c, "value")
            .map_err(|_| invalid(format!("{field}.value"), "must be a string"))?
            .unwrap_or_default();
        contacts.push((kind, value));
    }
    let duplicate_check_types = match p.get("duplicate_check_types") {
        None | Some(Value::Null) => None,
        Some(Value::Array(a)) => Some(
            a.iter()
                .map(|t| {
                    t.as_i64().ok_or_else(|| {
                        invalid(named("duplicate_check_types"), "must be whole numbers")
                    })
                })
                .collect::<Result<_, _>>()?,
        ),
        Some(_) => return Err(invalid(named("duplicate_check_types"), "must be an array")),
    };
    Ok(PersonIntake {
        name: body::text(p, "name")
            .map_err(|_| invalid(named("name"), "must be a string"))?
            .unwrap_or_default(),
        contacts,
        avoid_duplicate: body::flag(p, "avoid_duplicate")
            .map_err(|_| invalid(named("avoid_duplicate"), "must be true or false"))?
            .unwrap_or(false),
        duplicate_check_types,
    })
}

fn custom_fields(b: &Map<String, Value>) -> Result<Vec<CustomFieldIntake>, ServiceError> {
    if let Some(Value::Object(m)) = b.get("custom_fields") {
        // Also accepted: an object of key → value.
        return Ok(m
            .iter()
            .map(|(k, v)| CustomFieldIntake {
                id: None,
                key: Some(k.clone()),
                value: v.clone(),
            })
            .collect());
    }
    array(b, "custom_fields")?
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let f = f
                .as_object()
                .ok_or_else(|| invalid(format!("custom_fields[{i}]"), "must be an object"))?;
            let text = |k: &str| f.get(k).and_then(Value::as_str).map(str::to_string);
            Ok(CustomFieldIntake {
                id: text("id").or_else(|| text("custom_field_id")),
                key: text("key"),
                value: f.get("value").cloned().unwrap_or(Value::Null),
            })
        })
        .collect()
}

/// The document's body as a [`LeadIntake`].
fn lead(b: &Map<String, Value>) -> Result<LeadIntake, ServiceError> {
    let title = body::text(b, "title")?.ok_or_else(|| invalid("title", "is required"))?;
    let tags = array(b, "tags")?
        .iter()
        .map(|t| id_in(t, &["id"], "tags"))
        .collect::<Result<_, _>>()?;
    let persons_id = array(b, "persons_id")?
        .iter()
        .map(|p| id_in(p, &["id", "person_id"], "persons_id"))
        .collect::<Result<_, _>>()?;
    let followers = array(b, "followers")?
        .iter()
        .map(|f| {
            let user = id_in(f, &["user_id"], "followers")?;
            let role = f.get("role_id").and_then(Value::as_str).map(str::to_string);
            Ok((user, role))
        })
        .collect::<Result<_, ServiceError>>()?;
    let note = match body::object(b, "note")? {
        Some(n) => Some((
            body::text(n, "content")
                .map_err(|_| invalid("note.content", "must be a string"))?
                .unwrap_or_default(),
            body::flag(n, "is_pinned")
                .map_err(|_| invalid("note.is_pinned", "must be true or false"))?
                .unwrap_or(false),
        )),
        None => None,
    };
    Ok(LeadIntake {
        title,
        stage_id: body::text(b, "stage_id")?,
        responsible_id: body::text(b, "responsible_id")?,
        quality_rating: body::int(b, "quality_rating")?,
        quality_reason: body::text(b, "quality_reason")?,
        value_cents: body::money(b, "value")?,
        expected_close_date: body::text(b, "expected_close_date")?,
        visibility: body::int(b, "visibility")?,
        temperature: body::int(b, "temperature")?,
        tags,
        persons_id,
        person: body::object(b, "person")?.map(person).transpose()?,
        primary_person_id: body::text(b, "primary_person_id")?,
        organization_id: body::text(b, "organization_id")?,
        organization: name_of(b, "organization")?,
        crm_lead_source_id: body::text(b, "crm_lead_source_id")?,
        lead_source: name_of(b, "lead_source")?,
        custom_fields: custom_fields(b)?,
        marketing: body::object(b, "marketing")?.cloned().unwrap_or_default(),
        followers,
        note,
    })
}

/// `POST /integrations/external/deals` → 201 `{id, code, title}`.
pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let key = auth::require(&state.db, &headers, S, "deals:write").await?;
    let b = body.object()?;
    let svc = |e| ApiError::from_service(S, e);
    let lead = lead(&b).map_err(svc)?;
    let deal = intake::intake(&state.db, Actor::from(&key), &lead)
        .await
        .map_err(svc)?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "id": deal.uuid, "code": deal.code, "title": deal.title })),
    ))
}
