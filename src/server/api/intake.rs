//! `POST /integrations/external/deals` — lead intake: reads the document's body into a
//! [`LeadIntake`] (a wrong type is a 422 naming the field) and answers `{id, code, title}`.
//! Needs scope `deals:write`; a key with an allowed domain only accepts calls whose `Origin` or
//! `Referer` is that domain.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth;
use super::body::{self, Body};
use super::doc::{AuthErrors, BodyErrors, INTAKE};
use super::error::{ApiError, Surface};
use crate::server::services::deals::intake::{self, CustomFieldIntake, LeadIntake, PersonIntake};
use crate::server::services::Actor;
use crate::server::{AppState, ServiceError};

const S: Surface = Surface::Standard;

/// The routes of this surface.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create))
}

/// The created deal.
#[derive(Debug, Serialize, ToSchema)]
pub struct IntakeCreated {
    /// The deal's UUID.
    #[schema(example = "0b1d6f0e-9c8a-4d1f-a2b3-c4d5e6f70812")]
    pub id: String,
    /// Sequential per account.
    #[schema(example = 1042)]
    pub code: i64,
    #[schema(example = "Website lead — Ana Costa")]
    pub title: String,
}

/// The body of the lead intake.
#[derive(Debug, ToSchema)]
#[allow(dead_code)] // documentation only: `lead` reads the body field by field
#[schema(example = json!({
    "title": "Website lead — Ana Costa",
    "value": 1200.5,
    "quality_rating": 4,
    "person": {"name": "Ana Costa", "contacts": [{"type": 1, "value": "ana@acme.test"}], "avoid_duplicate": true},
    "organization": {"name": "Acme"},
    "lead_source": {"name": "Website"},
    "marketing": {"utm_source": "google", "utm_campaign": "spring", "url_conversion": "https://acme.test/?gclid=abc"},
    "note": {"content": "Asked for a demo", "is_pinned": true}
}))]
pub struct IntakeBody {
    /// Required, at most 150 characters.
    title: String,
    /// Stage UUID (default: the first stage of the primary pipeline).
    stage_id: Option<String>,
    /// User UUID (default: the key's owner).
    responsible_id: Option<String>,
    /// 1–5.
    quality_rating: Option<i64>,
    /// Required when the pipeline demands a reason for the rating.
    quality_reason: Option<String>,
    /// At most 2 decimals.
    value: Option<f64>,
    /// `YYYY-MM-DD`.
    expected_close_date: Option<String>,
    /// 0 (everyone), 1 (team), 2 (responsible and followers).
    visibility: Option<i64>,
    /// 1 (cold), 2 (warm), 3 (hot).
    temperature: Option<i64>,
    /// Tag UUIDs (or `{"id"}`); unknown ones answer 422.
    tags: Option<Vec<String>>,
    /// Person UUIDs (or `{"id"}` / `{"person_id"}`) to link.
    persons_id: Option<Vec<String>>,
    /// A person to create, or to find when `avoid_duplicate` is set.
    person: Option<IntakePerson>,
    /// Which linked person is primary.
    primary_person_id: Option<String>,
    /// An organization UUID; not together with `organization`.
    organization_id: Option<String>,
    /// An organization found or created by name; not together with `organization_id`.
    organization: Option<NamedRef>,
    /// A lead source UUID; not together with `lead_source`.
    crm_lead_source_id: Option<String>,
    /// A lead source found or created by name; not together with `crm_lead_source_id`.
    lead_source: Option<NamedRef>,
    /// `[{"id" | "key", "value"}]`, or an object of key → value.
    #[schema(value_type = Option<Vec<Object>>)]
    custom_fields: Option<Value>,
    /// Tracking values: trimmed, empty ones dropped; `utm_*` mirrored to `wegly_*` when those
    /// are absent, `utm_term` to `utm_search_term`; `wegly_*`, `utm_*`, `gclid`, `fbclid` and
    /// `conversion_tool_name` read from `url_conversion`; a `wegly_code` naming one of the
    /// account's trackers sets the lead source from it.
    #[schema(value_type = Option<Object>)]
    marketing: Option<Value>,
    /// Users following the deal (duplicates ignored).
    followers: Option<Vec<IntakeFollower>>,
    /// A note on the deal.
    note: Option<IntakeNote>,
}

/// A person of the intake.
#[derive(Debug, ToSchema)]
#[allow(dead_code)] // documentation only
pub struct IntakePerson {
    name: Option<String>,
    /// Contact values by type: 0 phone, 1 e-mail, 2 WhatsApp.
    contacts: Option<Vec<IntakeContact>>,
    /// Reuse a person of the account with a matching contact instead of creating one.
    avoid_duplicate: Option<bool>,
    /// Contact types compared when deduplicating (default: all).
    duplicate_check_types: Option<Vec<i64>>,
}

/// A contact value of a person.
#[derive(Debug, ToSchema)]
#[allow(dead_code)] // documentation only
pub struct IntakeContact {
    #[serde(rename = "type")]
    #[schema(rename = "type")]
    kind: i64,
    value: String,
}

/// A record given by name.
#[derive(Debug, ToSchema)]
#[allow(dead_code)] // documentation only
pub struct NamedRef {
    name: String,
}

/// A follower of the deal.
#[derive(Debug, ToSchema)]
#[allow(dead_code)] // documentation only
pub struct IntakeFollower {
    user_id: String,
    role_id: Option<String>,
}

/// A note of the intake.
#[derive(Debug, ToSchema)]
#[allow(dead_code)] // documentation only
pub struct IntakeNote {
    content: String,
    /// Pinned notes show first on the deal.
    is_pinned: Option<bool>,
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

/// Creates a deal from a lead: person, organization, lead source, marketing values,
/// followers and a note in one call.
#[utoipa::path(post, path = "/integrations/external/deals", tag = INTAKE,
    operation_id = "intakeDeal",
    request_body = IntakeBody,
    responses(
        (status = 201, description = "The new deal", body = IntakeCreated),
        BodyErrors, AuthErrors,
    ))]
pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<IntakeCreated>), ApiError> {
    let key = auth::require(&state.db, &headers, S, "deals:write").await?;
    let b = body.object()?;
    let svc = |e| ApiError::from_service(S, e);
    let lead = lead(&b).map_err(svc)?;
    let deal = intake::intake(&state.db, Actor::from(&key), &lead)
        .await
        .map_err(svc)?;
    Ok((
        StatusCode::CREATED,
        Json(IntakeCreated {
            id: deal.uuid,
            code: deal.code,
            title: deal.title,
        }),
    ))
}
