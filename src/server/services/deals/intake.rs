//! Lead intake (`POST /integrations/external/deals`): one call that creates a deal with its
//! people, organization, lead source, tags, followers, custom fields, marketing tracking and a
//! first note. Everything sent is checked (and every id resolved in the account) before
//! anything is written.

use crate::domain::{ContactId, OrganizationId, Problem, StageId, UserId};
use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::domain::deal_rules;
use crate::domain::marketing::{self, TRACKING_CODE};
use crate::server::db::{Db, Tx};
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::services::contacts::{self, ContactLookup, NewContact};
use crate::server::services::{catalog, organizations, pipelines, Actor};

use super::create::{self, placement, NewDeal};
use super::links::{self, Link};
use super::{id_by_uuid, notes, Deal};

/// Contact types a person's `contacts` may carry.
pub const CONTACT_PHONE: i64 = 0;
pub const CONTACT_EMAIL: i64 = 1;
pub const CONTACT_WHATSAPP: i64 = 2;

/// A new person sent with the lead.
#[derive(Debug, Clone, Default)]
pub struct PersonIntake {
    pub name: String,
    /// `(type, value)`: 0 phone, 1 e-mail, 2 WhatsApp (a phone).
    pub contacts: Vec<(i64, String)>,
    /// Reuse an existing contact that matches instead of creating one.
    pub avoid_duplicate: bool,
    /// Which contact types decide a match; all of them when `None`.
    pub duplicate_check_types: Option<Vec<i64>>,
}

/// A custom field value: the field's id (UUID) or key, and its value.
#[derive(Debug, Clone)]
pub struct CustomFieldIntake {
    pub id: Option<String>,
    pub key: Option<String>,
    pub value: Value,
}

/// Everything the intake accepts, as sent (ids are UUIDs of the account's records).
#[derive(Debug, Clone, Default)]
pub struct LeadIntake {
    pub title: String,
    pub stage_id: Option<String>,
    pub responsible_id: Option<String>,
    pub quality_rating: Option<i64>,
    pub quality_reason: Option<String>,
    pub value_cents: Option<i64>,
    pub expected_close_date: Option<String>,
    pub visibility: Option<i64>,
    pub temperature: Option<i64>,
    /// Tag ids (or names) that must exist.
    pub tags: Vec<String>,
    /// Ids of existing people to link.
    pub persons_id: Vec<String>,
    pub person: Option<PersonIntake>,
    pub primary_person_id: Option<String>,
    pub organization_id: Option<String>,
    /// The name of an organization to find or create.
    pub organization: Option<String>,
    pub crm_lead_source_id: Option<String>,
    /// The name of a lead source to find or create.
    pub lead_source: Option<String>,
    pub custom_fields: Vec<CustomFieldIntake>,
    pub marketing: Map<String, Value>,
    /// `(user id, role id)`; repeated users are ignored.
    pub followers: Vec<(String, Option<String>)>,
    /// `(content, is_pinned)`.
    pub note: Option<(String, bool)>,
}

/// Longest note accepted.
pub const MAX_NOTE_LEN: usize = 10_000;

/// Everything resolved and checked, ready to write.
struct Plan {
    stage: pipelines::Stage,
    responsible: Option<UserId>,
    tags: Vec<i64>,
    persons: Vec<ContactId>,
    person: Option<ContactLookup>,
    /// The primary person among `persons`, when named.
    primary: Option<ContactId>,
    organization: Option<OrganizationId>,
    lead_source: Option<i64>,
    custom: Map<String, Value>,
    marketing: BTreeMap<String, String>,
    followers: Vec<(UserId, Option<String>)>,
    note: Option<(String, bool)>,
}

fn invalid(field: impl Into<String>, message: impl Into<Problem>) -> ServiceError {
    ServiceError::invalid(field, message)
}

async fn uuid_id(
    tx: &mut Tx,
    actor: Actor,
    table: &'static str,
    uuid: &str,
    field: &str,
) -> ServiceResult<i64> {
    id_by_uuid(&mut **tx, table, actor.account_id, uuid.trim(), field)
        .await
        .map_err(|_| {
            invalid(
                field,
                format!("\"{uuid}\" is not one of this account's ids"),
            )
        })
}

fn person_lookup(p: &PersonIntake) -> ServiceResult<ContactLookup> {
    let mut email = None;
    let mut phone = None;
    for (i, (kind, value)) in p.contacts.iter().enumerate() {
        let slot = match *kind {
            CONTACT_PHONE | CONTACT_WHATSAPP => &mut phone,
            CONTACT_EMAIL => &mut email,
            other => {
                return Err(invalid(
                    format!("person.contacts[{i}].type"),
                    format!("{other} is not a contact type (0 phone, 1 e-mail, 2 WhatsApp)"),
                ))
            }
        };
        if slot.is_none() && !value.trim().is_empty() {
            *slot = Some(value.trim().to_string());
        }
    }
    if let Some(types) = &p.duplicate_check_types {
        if let Some(t) = types
            .iter()
            .find(|t| ![CONTACT_PHONE, CONTACT_EMAIL, CONTACT_WHATSAPP].contains(t))
        {
            return Err(invalid(
                "person.duplicate_check_types",
                format!("{t} is not a contact type (0 phone, 1 e-mail, 2 WhatsApp)"),
            ));
        }
    }
    let checks = |kinds: &[i64]| {
        p.avoid_duplicate
            && p.duplicate_check_types
                .as_ref()
                .is_none_or(|t| t.iter().any(|k| kinds.contains(k)))
    };
    Ok(ContactLookup {
        id: None,
        new: NewContact {
            full_name: p.name.clone(),
            email,
            phone,
            organization_id: None,
        },
        match_email: checks(&[CONTACT_EMAIL]),
        match_phone: checks(&[CONTACT_PHONE, CONTACT_WHATSAPP]),
        keep_duplicate: true,
    })
}

/// Resolves and checks everything before the first write.
async fn plan(tx: &mut Tx, actor: Actor, lead: &LeadIntake) -> ServiceResult<Plan> {
    deal_rules::title(&lead.title)?;
    let stage = match &lead.stage_id {
        Some(uuid) => {
            let id = StageId(uuid_id(tx, actor, "stages", uuid, "stage_id").await?);
            placement(tx, actor, Some(id), None).await?
        }
        None => placement(tx, actor, None, None)
            .await
            .map_err(|_| invalid("stage_id", Problem::PrimaryPipelineWithoutStages))?,
    };
    let reason = lead.quality_reason.as_deref().unwrap_or("").trim();
    deal_rules::scales(
        lead.quality_rating,
        reason,
        lead.visibility.unwrap_or(deal_rules::DEFAULT_VISIBILITY),
        lead.temperature,
    )?;
    if reason.is_empty()
        && pipelines::requires_quality_reason(&mut **tx, actor, stage.pipeline_id).await?
    {
        return Err(invalid("quality_reason", Problem::RequiredByPipeline));
    }
    let responsible = match &lead.responsible_id {
        Some(uuid) => Some(UserId(
            uuid_id(tx, actor, "users", uuid, "responsible_id").await?,
        )),
        None => actor.user_id,
    };
    let mut tags = Vec::new();
    for tag in &lead.tags {
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT id FROM tags WHERE account_id = $1 AND (uuid = $2 OR LOWER(name) = $3) ORDER BY id LIMIT 1",
        )
        .bind(actor.account_id)
        .bind(tag.trim())
        .bind(tag.trim().to_lowercase())
        .fetch_optional(&mut **tx)
        .await?;
        let (id,) =
            row.ok_or_else(|| invalid("tags", format!("no tag \"{tag}\" in this account")))?;
        if !tags.contains(&id) {
            tags.push(id);
        }
    }
    let mut persons = Vec::new();
    let mut primary = None;
    for uuid in &lead.persons_id {
        let id = ContactId(uuid_id(tx, actor, "contacts", uuid, "persons_id").await?);
        if !persons.contains(&id) {
            persons.push(id);
        }
        if lead.primary_person_id.as_deref().map(str::trim) == Some(uuid.trim()) {
            primary = Some(id);
        }
    }
    if let Some(p) = &lead.primary_person_id {
        if primary.is_none() {
            return Err(invalid(
                "primary_person_id",
                format!("\"{p}\" is not among persons_id"),
            ));
        }
    }
    let person = lead.person.as_ref().map(person_lookup).transpose()?;
    if let Some(p) = &person {
        contacts::check_new(tx, actor, &p.new)
            .await
            .map_err(|e| prefixed(e, "person"))?;
    }
    let organization = match (&lead.organization_id, &lead.organization) {
        (Some(_), Some(_)) => {
            return Err(invalid(
                "organization",
                "send organization_id or organization, not both",
            ))
        }
        (Some(uuid), None) => Some(OrganizationId(
            uuid_id(tx, actor, "organizations", uuid, "organization_id").await?,
        )),
        (None, Some(name)) => {
            organizations::check_name(name).map_err(|e| prefixed(e, "organization"))?;
            None
        }
        (None, None) => None,
    };
    let lead_source = match (&lead.crm_lead_source_id, &lead.lead_source) {
        (Some(_), Some(_)) => {
            return Err(invalid(
                "lead_source",
                "send crm_lead_source_id or lead_source, not both",
            ))
        }
        (Some(uuid), None) => {
            Some(uuid_id(tx, actor, "lead_sources", uuid, "crm_lead_source_id").await?)
        }
        (None, Some(name)) if name.trim().is_empty() => {
            return Err(invalid("lead_source.name", Problem::Required))
        }
        _ => None,
    };
    let mut custom = Map::new();
    for (i, f) in lead.custom_fields.iter().enumerate() {
        let key = match (&f.id, &f.key) {
            (Some(uuid), _) => {
                let row: Option<(String,)> = sqlx::query_as(
                    "SELECT key FROM custom_fields WHERE account_id = $1 AND uuid = $2 AND entity = 'deal'",
                )
                .bind(actor.account_id)
                .bind(uuid.trim())
                .fetch_optional(&mut **tx)
                .await?;
                row.map(|(k,)| k).ok_or_else(|| {
                    invalid(
                        format!("custom_fields[{i}].id"),
                        format!("no deal custom field \"{uuid}\" in this account"),
                    )
                })?
            }
            (None, Some(key)) => deal_rules::attribute_key(key)
                .map_err(|e| e.nested(&format!("custom_fields[{i}]")))?,
            (None, None) => {
                return Err(invalid(
                    format!("custom_fields[{i}]"),
                    "needs the field's id or key",
                ))
            }
        };
        custom.insert(key, f.value.clone());
    }
    deal_rules::attributes(&custom).map_err(|e| e.nested("custom_fields"))?;
    let marketing = marketing::normalize(&lead.marketing).map_err(|e| {
        invalid(
            format!("marketing.{}", e.key),
            "must be text, a number or a boolean",
        )
    })?;
    let mut followers: Vec<(UserId, Option<String>)> = Vec::new();
    for (uuid, role) in &lead.followers {
        let id = UserId(uuid_id(tx, actor, "users", uuid, "followers").await?);
        let (active,): (i64,) = sqlx::query_as("SELECT active FROM users WHERE id = $1")
            .bind(id)
            .fetch_one(&mut **tx)
            .await?;
        if active == 0 {
            return Err(invalid("followers", format!("\"{uuid}\" is deactivated")));
        }
        if !followers.iter().any(|(f, _)| *f == id) {
            followers.push((id, role.clone().filter(|r| !r.trim().is_empty())));
        }
    }
    let note = match &lead.note {
        Some((content, _)) if content.trim().is_empty() => {
            return Err(invalid("note.content", Problem::Required))
        }
        Some((content, _)) if content.chars().count() > MAX_NOTE_LEN => {
            return Err(invalid(
                "note.content",
                Problem::TooLong { max: MAX_NOTE_LEN },
            ))
        }
        other => other.clone(),
    };
    Ok(Plan {
        stage,
        responsible,
        tags,
        persons,
        person,
        primary,
        organization,
        lead_source,
        custom,
        marketing,
        followers,
        note,
    })
}

/// Names a nested field: `email` of `person` becomes `person.email`.
fn prefixed(e: ServiceError, prefix: &str) -> ServiceError {
    match e {
        ServiceError::Validation { field, message } => {
            ServiceError::invalid(format!("{prefix}.{field}"), message)
        }
        e => e,
    }
}

/// The lead source a tracking code names: the tracker's, when the account has that tracker.
async fn tracker_source(
    tx: &mut Tx,
    actor: Actor,
    marketing: &BTreeMap<String, String>,
) -> ServiceResult<Option<i64>> {
    let Some(code) = marketing.get(TRACKING_CODE) else {
        return Ok(None);
    };
    let row: Option<(Option<i64>,)> = sqlx::query_as(
        "SELECT lead_source_id FROM marketing_trackers WHERE account_id = $1 AND code = $2",
    )
    .bind(actor.account_id)
    .bind(code)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.and_then(|(id,)| id))
}

/// Creates the lead's deal with everything sent, in one transaction; returns the deal.
pub async fn intake(db: &Db, actor: Actor, lead: &LeadIntake) -> ServiceResult<Deal> {
    let mut tx = db.begin().await?;
    let deal = intake_step(&mut tx, actor, lead).await?;
    tx.commit().await?;
    Ok(deal)
}

/// Step: [`intake`]. Organization, lead source and person are found or created first; the
/// deal's creation takes the account's and its stage's locks, so what follows it is kept short.
async fn intake_step(tx: &mut Tx, actor: Actor, lead: &LeadIntake) -> ServiceResult<Deal> {
    let plan = plan(tx, actor, lead).await?;
    let organization = match (&plan.organization, &lead.organization) {
        (Some(id), _) => Some(*id),
        (None, Some(name)) => Some(
            organizations::find_or_create(tx, actor, name)
                .await
                .map_err(|e| prefixed(e, "organization"))?,
        ),
        (None, None) => None,
    };
    let lead_source = match (&plan.lead_source, &lead.lead_source) {
        (Some(id), _) => Some(*id),
        (None, Some(name)) => Some(
            catalog::lead_source_named(tx, actor.account_id, name)
                .await
                .map_err(|e| prefixed(e, "lead_source"))?,
        ),
        (None, None) => tracker_source(tx, actor, &plan.marketing).await?,
    };
    let new_person = match &plan.person {
        Some(lookup) => Some(
            contacts::find_or_create_step(tx, actor, lookup)
                .await
                .map_err(|e| prefixed(e, "person"))?
                .0
                .id,
        ),
        None => None,
    };
    let primary = plan
        .primary
        .or(new_person)
        .or_else(|| plan.persons.first().copied());
    let new = NewDeal {
        title: lead.title.clone(),
        value_cents: lead.value_cents.unwrap_or(0),
        stage_id: Some(plan.stage.id),
        contact_id: primary,
        organization_id: organization,
        responsible_user_id: plan.responsible,
        expected_close_date: lead.expected_close_date.clone(),
        temperature: lead.temperature,
        quality_rating: lead.quality_rating,
        quality_reason: lead.quality_reason.clone(),
        visibility: lead.visibility,
        lead_source_id: lead_source,
        marketing: Some(plan.marketing.clone()),
        custom_attributes: (!plan.custom.is_empty()).then(|| plan.custom.clone()),
        ..Default::default()
    };
    let deal = create::insert_in(tx, actor, &new, plan.stage.clone()).await?;
    // The primary person is linked with the deal; the others after it.
    for person in plan.persons.iter().copied().chain(new_person) {
        if Some(person) != primary {
            links::add(tx, actor, deal.id, Link::Person(person)).await?;
        }
    }
    for tag in &plan.tags {
        links::add(tx, actor, deal.id, Link::Tag(*tag)).await?;
    }
    for (user, role) in &plan.followers {
        links::add(tx, actor, deal.id, Link::Follower(*user)).await?;
        if role.is_some() {
            links::set_follower_role(tx, actor, deal.id, *user, role.as_deref()).await?;
        }
    }
    if let Some((content, pinned)) = &plan.note {
        notes::add(tx, actor, deal.id, content, *pinned).await?;
    }
    super::find(&mut **tx, actor, deal.id).await
}
