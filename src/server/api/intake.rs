//! `POST /integrations/external/deals` — lead intake: reads the document's body into a
//! [`LeadIntake`] (a wrong type is a 422 naming the field) and answers `{id, code, title}`.
//! Needs scope `deals:write`; a key with an allowed domain only accepts calls whose `Origin` or
//! `Referer` is that domain.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{DealsWrite, Key};
use super::body::{de, Body};
use super::doc::{AuthErrors, BodyErrors, INTAKE};
use super::error::ApiError;
use crate::server::services::deals::intake::{self, CustomFieldIntake, LeadIntake, PersonIntake};
use crate::server::AppState;

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
#[derive(Debug, Deserialize, ToSchema)]
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
    #[schema(required = true)]
    title: Option<String>,
    /// Stage UUID (default: the first stage of the primary pipeline).
    stage_id: Option<String>,
    /// User UUID (default: the key's owner).
    responsible_id: Option<String>,
    /// 1–5.
    #[serde(default, deserialize_with = "de::int")]
    quality_rating: Option<i64>,
    /// Required when the pipeline demands a reason for the rating.
    quality_reason: Option<String>,
    /// At most 2 decimals.
    #[serde(default, deserialize_with = "de::money")]
    #[schema(value_type = Option<f64>)]
    value: Option<i64>,
    /// `YYYY-MM-DD`.
    expected_close_date: Option<String>,
    /// 0 private (the responsible user and supervisors), 1 team, 2 public.
    #[serde(default, deserialize_with = "de::int")]
    visibility: Option<i64>,
    /// 1 (cold), 2 (warm), 3 (hot).
    #[serde(default, deserialize_with = "de::int")]
    temperature: Option<i64>,
    /// Tag UUIDs or names (or `{"id"}`); unknown ones answer 422.
    tags: Option<Vec<IdRef>>,
    /// Person UUIDs (or `{"id"}` / `{"person_id"}`) to link.
    persons_id: Option<Vec<IdRef>>,
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
    custom_fields: Option<CustomFields>,
    /// Tracking values: trimmed, empty ones dropped; `utm_*` mirrored to `wegly_*` when those
    /// are absent, `utm_term` to `utm_search_term`; `wegly_*`, `utm_*`, `gclid`, `fbclid` and
    /// `conversion_tool_name` read from `url_conversion`; a `wegly_code` naming one of the
    /// account's trackers sets the lead source from it.
    #[schema(value_type = Option<Object>)]
    marketing: Option<Map<String, Value>>,
    /// Users following the deal (duplicates ignored).
    followers: Option<Vec<IntakeFollower>>,
    /// A note on the deal.
    note: Option<IntakeNote>,
}

/// A record named by its id: the id itself, or an object holding it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum IdRef {
    Id(String),
    Object {
        #[serde(alias = "person_id")]
        id: String,
    },
}

impl IdRef {
    fn id(self) -> String {
        match self {
            IdRef::Id(id) | IdRef::Object { id } => id.trim().to_string(),
        }
    }
}

/// A person of the intake.
#[derive(Debug, Deserialize, ToSchema)]
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
#[derive(Debug, Deserialize, ToSchema)]
pub struct IntakeContact {
    #[serde(rename = "type", default, deserialize_with = "de::int")]
    #[schema(value_type = i64, required = true)]
    kind: Option<i64>,
    value: Option<String>,
}

/// A record given by name: the name itself, or `{"name": …}`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum NamedRef {
    Name(String),
    Object { name: String },
}

/// Custom field values: a list, or an object of key → value.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum CustomFields {
    List(Vec<CustomField>),
    #[schema(value_type = Object)]
    ByKey(Map<String, Value>),
}

/// A custom field value: the field's id (UUID) or key, and its value.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CustomField {
    #[serde(alias = "custom_field_id")]
    id: Option<String>,
    key: Option<String>,
    #[schema(value_type = Object)]
    value: Option<Value>,
}

/// A follower of the deal: a user id, or `{"user_id", "role_id"}`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum IntakeFollower {
    Id(String),
    Object {
        user_id: String,
        role_id: Option<String>,
    },
}

/// A note of the intake.
#[derive(Debug, Deserialize, ToSchema)]
pub struct IntakeNote {
    content: Option<String>,
    /// Pinned notes show first on the deal.
    is_pinned: Option<bool>,
}

impl IntakeBody {
    /// The body as the intake service takes it.
    fn lead(self) -> Result<LeadIntake, ApiError> {
        let title = self
            .title
            .ok_or_else(|| ApiError::invalid("title", "is required"))?;
        let ids = |list: Option<Vec<IdRef>>| -> Vec<String> {
            list.into_iter().flatten().map(IdRef::id).collect()
        };
        let name = |named: Option<NamedRef>| {
            named.map(|n| match n {
                NamedRef::Name(name) | NamedRef::Object { name } => name,
            })
        };
        let custom_fields = match self.custom_fields {
            None => Vec::new(),
            Some(CustomFields::List(list)) => list
                .into_iter()
                .map(|f| CustomFieldIntake {
                    id: f.id,
                    key: f.key,
                    value: f.value.unwrap_or(Value::Null),
                })
                .collect(),
            Some(CustomFields::ByKey(map)) => map
                .into_iter()
                .map(|(key, value)| CustomFieldIntake {
                    id: None,
                    key: Some(key),
                    value,
                })
                .collect(),
        };
        let followers = self
            .followers
            .into_iter()
            .flatten()
            .map(|f| match f {
                IntakeFollower::Id(user) => (user.trim().to_string(), None),
                IntakeFollower::Object { user_id, role_id } => {
                    (user_id.trim().to_string(), role_id)
                }
            })
            .collect();
        let person = match self.person {
            Some(p) => Some(p.person()?),
            None => None,
        };
        Ok(LeadIntake {
            title,
            stage_id: self.stage_id,
            responsible_id: self.responsible_id,
            quality_rating: self.quality_rating,
            quality_reason: self.quality_reason,
            value_cents: self.value,
            expected_close_date: self.expected_close_date,
            visibility: self.visibility,
            temperature: self.temperature,
            tags: ids(self.tags),
            persons_id: ids(self.persons_id),
            person,
            primary_person_id: self.primary_person_id,
            organization_id: self.organization_id,
            organization: name(self.organization),
            crm_lead_source_id: self.crm_lead_source_id,
            lead_source: name(self.lead_source),
            custom_fields,
            marketing: self.marketing.unwrap_or_default(),
            followers,
            note: self
                .note
                .map(|n| (n.content.unwrap_or_default(), n.is_pinned.unwrap_or(false))),
        })
    }
}

impl IntakePerson {
    fn person(self) -> Result<PersonIntake, ApiError> {
        let mut contacts = Vec::new();
        for (i, c) in self.contacts.into_iter().flatten().enumerate() {
            let kind = c.kind.ok_or_else(|| {
                ApiError::invalid(&format!("person.contacts[{i}].type"), "is required")
            })?;
            contacts.push((kind, c.value.unwrap_or_default()));
        }
        Ok(PersonIntake {
            name: self.name.unwrap_or_default(),
            contacts,
            avoid_duplicate: self.avoid_duplicate.unwrap_or(false),
            duplicate_check_types: self.duplicate_check_types,
        })
    }
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
    key: Key<DealsWrite>,
    body: Body<IntakeBody>,
) -> Result<(StatusCode, Json<IntakeCreated>), ApiError> {
    let lead = body.value()?.lead()?;
    let deal = intake::intake(&state.db, key.actor(), &lead).await?;
    Ok((
        StatusCode::CREATED,
        Json(IntakeCreated {
            id: deal.uuid,
            code: deal.code,
            title: deal.title,
        }),
    ))
}
