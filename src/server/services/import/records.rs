//! What a read row does to the account's records. The row's organization, contact and deal
//! are looked up first — organizations by name, contacts by e-mail then phone (the lead
//! intake's rules), deals by the external id column, else by title and organization — and the
//! row's main record (its deal, else its contact, else its organization) decides the outcome
//! by the import's duplicate rule. Then, unless the row is skipped, the records are written
//! through the same steps as the pages and the API.
//!
//! A dry run makes the same decisions without writing: what earlier rows of the file would
//! have created is remembered ([`Pending`]), so a person met twice is new once, as in the run.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use crate::domain::import::{Duplicates, Field, Outcome};
use crate::domain::search::fold;
use crate::domain::{
    ContactId, DealId, DealStatus, OrganizationId, PipelineId, Problem, StageId, Thing, UserId,
};
use crate::server::db::Tx;
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::services::contacts::{self, Contact, ContactLookup, NewContact};
use crate::server::services::deals::create::{self, NewDeal};
use crate::server::services::deals::edit::FieldChanges;
use crate::server::services::deals::status::API_LOST_REASON;
use crate::server::services::deals::update::{self, DealChange, Place, StatusChange};
use crate::server::services::deals::{self, Deal};
use crate::server::services::{organizations, pipelines, Actor};

use super::known::Known;
use super::rows::{DealValues, Refusal, RowValues};

/// What every row of one run shares: who imports, where deals go, the duplicate rule, the
/// stages and users rows may name, and a dry run's memory.
pub(crate) struct Context {
    pub actor: Actor,
    pub pipeline_id: PipelineId,
    pub default_stage: StageId,
    pub duplicates: Duplicates,
    /// The pipeline's stages: id, folded name, key.
    stages: Vec<(StageId, String, String)>,
    /// The account's active users: id, e-mail, folded name.
    users: Vec<(UserId, String, String)>,
    /// `Some` in a dry run.
    pending: Option<Pending>,
    /// New deals of the run's rows, created together ([`flush`]) before the batch commits
    /// or before a row looks one of them up.
    deferred: Vec<NewDeal>,
    deferred_keys: HashSet<String>,
    /// What the batch's rows look up ([`Context::prepare`]).
    known: Known,
}

/// What earlier rows of a dry run would have created: organizations (folded names), and
/// contacts and deals with the row that brought them.
#[derive(Default)]
struct Pending {
    organizations: HashSet<String>,
    /// Contacts by e-mail and by phone, with the row that brought them.
    emails: HashMap<String, RowValues>,
    phones: HashMap<String, RowValues>,
    /// Deals by [`deal_key`], with the row that brought them.
    deals: HashMap<String, RowValues>,
}

/// A deal's key in a dry run's memory: its external id, else its title and organization.
fn deal_key(d: &DealValues, org_name: Option<&str>) -> String {
    match &d.external_id {
        Some(ext) => format!("x:{ext}"),
        None => format!(
            "t:{}\u{1f}{}",
            fold(&d.title),
            org_name.map(fold).unwrap_or_default()
        ),
    }
}

impl Context {
    /// The context of a run into `default_stage`'s pipeline.
    pub async fn load(
        tx: &mut Tx,
        actor: Actor,
        default_stage: StageId,
        duplicates: Duplicates,
        dry_run: bool,
    ) -> ServiceResult<Context> {
        let stage = pipelines::get_stage(&mut **tx, actor.account_id, default_stage)
            .await
            .map_err(|_| ServiceError::invalid("stage_id", Problem::NoSuch(Thing::Stage)))?;
        let stages = pipelines::stages_of(&mut **tx, actor.account_id, stage.pipeline_id)
            .await?
            .into_iter()
            .map(|s| (s.id, fold(&s.name), s.key))
            .collect();
        let users: Vec<(UserId, String, String)> = sqlx::query_as(
            "SELECT id, email, name FROM users WHERE account_id = $1 AND active = 1 ORDER BY id",
        )
        .bind(actor.account_id)
        .fetch_all(&mut **tx)
        .await?;
        Ok(Context {
            actor,
            pipeline_id: stage.pipeline_id,
            default_stage,
            duplicates,
            stages,
            users: users
                .into_iter()
                .map(|(id, email, name)| (id, email.to_lowercase(), fold(&name)))
                .collect(),
            pending: dry_run.then(Pending::default),
            deferred: Vec::new(),
            deferred_keys: HashSet::new(),
            known: Known::default(),
        })
    }

    /// Reads at once what a batch's rows will look up.
    pub async fn prepare<'a>(
        &mut self,
        tx: &mut Tx,
        rows: impl IntoIterator<Item = &'a RowValues>,
    ) -> ServiceResult<()> {
        self.known = Known::read(tx, self.actor, rows).await?;
        Ok(())
    }

    fn stage(&self, name: &str) -> Option<StageId> {
        let folded = fold(name.trim());
        self.stages
            .iter()
            .find(|(_, n, key)| *n == folded || key.eq_ignore_ascii_case(name.trim()))
            .map(|(id, _, _)| *id)
    }

    fn user(&self, name: &str) -> Option<UserId> {
        let lower = name.trim().to_lowercase();
        let folded = fold(name.trim());
        self.users
            .iter()
            .find(|(_, email, n)| *email == lower || *n == folded)
            .map(|(id, _, _)| *id)
    }
}

/// A row's result: its outcome and a short account of its records.
pub(crate) struct Done {
    pub outcome: Outcome,
    pub summary: String,
}

/// Why a row is refused once it is read: a field and the complaint, or an error of a step.
pub(crate) enum Refused {
    Value(Refusal),
    Step(ServiceError),
}

impl From<Refusal> for Refused {
    fn from(r: Refusal) -> Self {
        Refused::Value(r)
    }
}

impl From<ServiceError> for Refused {
    fn from(e: ServiceError) -> Self {
        Refused::Step(e)
    }
}

/// A found record: an id, or (in a dry run) one an earlier row would have created.
#[derive(Clone, Copy, PartialEq)]
enum Found<T> {
    None,
    Stored(T),
    Earlier,
}

impl<T> Found<T> {
    fn exists(&self) -> bool {
        !matches!(self, Found::None)
    }
}

/// The deal's values resolved against the account: its stage and owner.
struct Resolved {
    stage: Option<StageId>,
    owner: Option<UserId>,
}

fn resolve(ctx: &Context, deal: &DealValues) -> Result<Resolved, Refusal> {
    let stage = match &deal.stage {
        Some(name) => Some(ctx.stage(name).ok_or(Refusal {
            field: Field::DealStage,
            message: Problem::NoSuch(Thing::Stage),
        })?),
        None => None,
    };
    let owner = match &deal.owner {
        Some(name) => Some(ctx.user(name).ok_or(Refusal {
            field: Field::DealOwner,
            message: Problem::NoSuch(Thing::User),
        })?),
        None => None,
    };
    Ok(Resolved { stage, owner })
}

/// Does what `values` asks inside `tx` (nothing in a dry run); the caller wraps each row in a
/// savepoint, so a refused row leaves nothing behind.
pub(crate) async fn apply(
    tx: &mut Tx,
    ctx: &mut Context,
    values: &RowValues,
) -> Result<Done, Refused> {
    let actor = ctx.actor;
    let resolved = match &values.deal {
        Some(deal) => Some(resolve(ctx, deal)?),
        None => None,
    };

    // Look everything up first.
    let org_name = values.organization.as_deref();
    let org = match org_name {
        Some(name) => match ctx.known.organization(tx, actor, name).await? {
            Some(id) => Found::Stored(id),
            None if ctx
                .pending
                .as_ref()
                .is_some_and(|p| p.organizations.contains(&fold(name))) =>
            {
                Found::Earlier
            }
            None => Found::None,
        },
        None => Found::None,
    };
    let person = match &values.contact {
        Some(c) => {
            match ctx
                .known
                .contact(tx, actor, c.email.as_deref(), c.phone.as_deref())
                .await?
            {
                Some(found) => Found::Stored(found),
                None if ctx.pending.as_ref().is_some_and(|p| {
                    c.email.as_ref().is_some_and(|e| p.emails.contains_key(e))
                        || c.phone.as_ref().is_some_and(|n| p.phones.contains_key(n))
                }) =>
                {
                    Found::Earlier
                }
                None => Found::None,
            }
        }
        None => Found::None,
    };
    let deal = match &values.deal {
        Some(d) => find_deal(tx, ctx, d, org_name, &org).await?,
        None => Found::None,
    };

    // The main record decides.
    let main_exists = if values.deal.is_some() {
        deal.exists()
    } else if values.contact.is_some() {
        person.exists()
    } else {
        org.exists()
    };
    let summary = summary(values);
    if main_exists && ctx.duplicates == Duplicates::Skip {
        return Ok(Done {
            outcome: Outcome::Skipped,
            summary,
        });
    }

    if ctx.pending.is_some() {
        let outcome = dry_outcome(
            tx,
            ctx,
            values,
            (&org, &person, &deal),
            main_exists,
            resolved.as_ref(),
        )
        .await?;
        if let Some(pending) = ctx.pending.as_mut() {
            // Remembered for the rows after.
            if let Some(name) = org_name {
                pending.organizations.insert(fold(name));
            }
            if let Some(c) = &values.contact {
                if !matches!(person, Found::Stored(_)) || ctx.duplicates == Duplicates::Create {
                    if let Some(e) = &c.email {
                        pending.emails.insert(e.clone(), values.clone());
                    }
                    if let Some(n) = &c.phone {
                        pending.phones.insert(n.clone(), values.clone());
                    }
                }
            }
            if let Some(d) = &values.deal {
                if !matches!(deal, Found::Stored(_)) || ctx.duplicates == Duplicates::Create {
                    pending.deals.insert(deal_key(d, org_name), values.clone());
                }
            }
        }
        return Ok(Done { outcome, summary });
    }

    // The run: write, in a savepoint when the row writes at once (a new deal only waits for
    // its batch), so that a refusal half-way leaves nothing behind.
    let writes_now = (org_name.is_some() && !matches!(org, Found::Stored(_)))
        || (values.contact.is_some()
            && (!matches!(person, Found::Stored(_)) || ctx.duplicates != Duplicates::Skip))
        || (values.deal.is_some() && matches!(deal, Found::Stored(_)));
    if writes_now {
        savepoint(tx, "SAVEPOINT import_row").await?;
    }
    let written = write(
        tx,
        ctx,
        values,
        org,
        &person,
        &deal,
        resolved.as_ref(),
        main_exists,
    )
    .await;
    if writes_now {
        if written.is_err() {
            savepoint(tx, "ROLLBACK TO SAVEPOINT import_row").await?;
            // What the row created is gone again.
            ctx.known.forget_row(values);
        }
        savepoint(tx, "RELEASE SAVEPOINT import_row").await?;
    }
    let outcome = written?;
    if let (Some(d), Outcome::Created) = (&values.deal, outcome) {
        ctx.deferred_keys.insert(deal_key(d, org_name));
    }
    Ok(Done { outcome, summary })
}

async fn savepoint(tx: &mut Tx, sql: &str) -> ServiceResult<()> {
    sqlx::query(sql).execute(&mut **tx).await?;
    Ok(())
}

/// The run's writes for a row whose records were looked up; its outcome.
#[allow(clippy::too_many_arguments)]
async fn write(
    tx: &mut Tx,
    ctx: &mut Context,
    values: &RowValues,
    org: Found<OrganizationId>,
    person: &Found<Contact>,
    deal: &Found<DealId>,
    resolved: Option<&Resolved>,
    main_exists: bool,
) -> Result<Outcome, Refused> {
    let actor = ctx.actor;
    let org_id = match (org, values.organization.as_deref()) {
        (Found::Stored(id), _) => Some(id),
        (_, Some(name)) => {
            let id = organizations::find_or_create(tx, actor, name).await?;
            ctx.known.organization_created(name, id);
            Some(id)
        }
        (_, None) => None,
    };
    let mut outcome = match (values.deal.is_some(), values.contact.is_some()) {
        (false, false) if main_exists => Outcome::Unchanged,
        (false, false) => Outcome::Created,
        _ => Outcome::Unchanged,
    };
    let contact_id = match &values.contact {
        Some(c) => {
            let (id, contact_outcome) = write_contact(tx, ctx, c, org_id, person).await?;
            if values.deal.is_none() {
                outcome = contact_outcome;
            }
            Some(id)
        }
        None => None,
    };
    if let (Some(d), Some(resolved)) = (&values.deal, resolved) {
        outcome = write_deal(tx, ctx, d, resolved, org_id, contact_id, deal).await?;
    }
    Ok(outcome)
}

/// What a row would do in the run, worked out without writing.
async fn dry_outcome(
    tx: &mut Tx,
    ctx: &Context,
    values: &RowValues,
    (org, person, deal): (&Found<OrganizationId>, &Found<Contact>, &Found<DealId>),
    main_exists: bool,
    resolved: Option<&Resolved>,
) -> ServiceResult<Outcome> {
    let Some(pending) = ctx.pending.as_ref() else {
        return Ok(Outcome::Unchanged);
    };
    if !main_exists {
        return Ok(Outcome::Created);
    }
    let org_name = values.organization.as_deref();
    Ok(match (&values.deal, &values.contact) {
        // Organizations are unique by name: reused, whatever the rule.
        (None, None) => Outcome::Unchanged,
        _ if ctx.duplicates == Duplicates::Create => Outcome::Created,
        (Some(d), _) => match deal {
            Found::Stored(id) => {
                let current = deals::find(&mut **tx, ctx.actor, *id).await?;
                let org_id = match org {
                    Found::Stored(id) => Some(*id),
                    _ => current.organization_id,
                };
                let contact_id = match person {
                    Found::Stored(c) => Some(c.id),
                    _ => current.contact_id,
                };
                let new_people = matches!(person, Found::Earlier | Found::None)
                    && values.contact.is_some()
                    || matches!(org, Found::Earlier | Found::None) && org_name.is_some();
                if new_people || !is_empty(&deal_change(&current, d, resolved, org_id, contact_id))
                {
                    Outcome::Updated
                } else {
                    Outcome::Unchanged
                }
            }
            _ => match pending.deals.get(&deal_key(d, org_name)) {
                Some(earlier) if earlier == values => Outcome::Unchanged,
                _ => Outcome::Updated,
            },
        },
        (None, Some(c)) => match person {
            Found::Stored(found) => {
                let org_id = match org {
                    Found::Stored(id) => Some(*id),
                    _ => None,
                };
                if contact_edit(found, c, org_id).is_some()
                    || matches!(org, Found::Earlier | Found::None) && org_name.is_some()
                {
                    Outcome::Updated
                } else {
                    Outcome::Unchanged
                }
            }
            _ => {
                let earlier = c
                    .email
                    .as_ref()
                    .and_then(|e| pending.emails.get(e))
                    .or_else(|| c.phone.as_ref().and_then(|n| pending.phones.get(n)));
                match earlier {
                    Some(earlier) if earlier == values => Outcome::Unchanged,
                    _ => Outcome::Updated,
                }
            }
        },
    })
}

/// The row's records as one line: `deal · contact · organization`.
fn summary(values: &RowValues) -> String {
    [
        values.deal.as_ref().map(|d| d.title.clone()),
        values.contact.as_ref().map(|c| c.full_name.clone()),
        values.organization.clone(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ")
}

/// The deal a row names: by its external id when it has one, else by title and organization.
async fn find_deal(
    tx: &mut Tx,
    ctx: &mut Context,
    d: &DealValues,
    org_name: Option<&str>,
    org: &Found<OrganizationId>,
) -> ServiceResult<Found<DealId>> {
    let actor = ctx.actor;
    let stored = match (&d.external_id, org) {
        (Some(ext), _) => ctx.known.deal_by_external_id(tx, actor, ext).await?,
        (None, Found::Stored(org_id)) => {
            ctx.known
                .deal_by_title(tx, actor, &d.title, Some(*org_id))
                .await?
        }
        // An organization that does not exist yet has no deals.
        (None, Found::Earlier) => None,
        (None, Found::None) if org_name.is_some() => None,
        (None, Found::None) => ctx.known.deal_by_title(tx, actor, &d.title, None).await?,
    };
    if let Some(id) = stored {
        return Ok(Found::Stored(id));
    }
    let earlier = ctx
        .pending
        .as_ref()
        .is_some_and(|p| p.deals.contains_key(&deal_key(d, org_name)));
    Ok(if earlier { Found::Earlier } else { Found::None })
}

/// A stored contact's new values from a row, when they differ: the row's name, and its e-mail,
/// phone and organization where it has them.
fn contact_edit(
    found: &Contact,
    row: &NewContact,
    org_id: Option<OrganizationId>,
) -> Option<NewContact> {
    let edit = NewContact {
        full_name: row.full_name.clone(),
        email: row.email.clone().or_else(|| found.email.clone()),
        phone: row.phone.clone().or_else(|| found.phone.clone()),
        organization_id: org_id.or(found.organization_id),
    };
    let same = edit.full_name == found.full_name
        && edit.email == found.email
        && edit.phone == found.phone
        && edit.organization_id == found.organization_id;
    (!same).then_some(edit)
}

/// Writes a row's contact: reused (and updated when duplicates update), or created.
async fn write_contact(
    tx: &mut Tx,
    ctx: &mut Context,
    c: &NewContact,
    org_id: Option<OrganizationId>,
    person: &Found<Contact>,
) -> ServiceResult<(ContactId, Outcome)> {
    let actor = ctx.actor;
    if let (Found::Stored(found), false) = (person, ctx.duplicates == Duplicates::Create) {
        if ctx.duplicates == Duplicates::Update {
            if let Some(edit) = contact_edit(found, c, org_id) {
                contacts::update_step(tx, actor, found.id, &edit).await?;
                ctx.known
                    .contact_changed(found, edit.email.as_deref(), edit.phone.as_deref());
                return Ok((found.id, Outcome::Updated));
            }
        }
        return Ok((found.id, Outcome::Unchanged));
    }
    let create_anyway = person.exists() && ctx.duplicates == Duplicates::Create;
    let lookup = ContactLookup {
        id: None,
        new: NewContact {
            organization_id: org_id,
            ..c.clone()
        },
        match_email: !create_anyway,
        match_phone: !create_anyway,
        keep_duplicate: create_anyway,
    };
    let (contact, created) = contacts::find_or_create_step(tx, actor, &lookup).await?;
    if created {
        ctx.known.contact_created(&contact);
    }
    Ok((
        contact.id,
        if created {
            Outcome::Created
        } else {
            Outcome::Unchanged
        },
    ))
}

fn close_date(d: &DealValues) -> Option<String> {
    d.expected_close
        .map(|d: NaiveDate| d.format("%Y-%m-%d").to_string())
}

/// The change that brings `current` to a row's values (only what the row gives and differs).
fn deal_change(
    current: &Deal,
    d: &DealValues,
    resolved: Option<&Resolved>,
    org_id: Option<OrganizationId>,
    contact_id: Option<ContactId>,
) -> DealChange {
    let mut fields = FieldChanges::default();
    if d.title != current.title {
        fields.title = Some(d.title.clone());
    }
    if let Some(v) = d.value_cents.filter(|v| *v != current.value_cents) {
        fields.value_cents = Some(v);
    }
    if let Some(c) = d.currency.as_ref().filter(|c| **c != current.currency) {
        fields.currency = Some(c.clone());
    }
    if d.expected_close.is_some() && close_date(d) != current.expected_close_date {
        fields.expected_close_date = Some(d.expected_close);
    }
    if let Some(owner) = resolved.and_then(|r| r.owner) {
        if Some(owner) != current.responsible_user_id {
            fields.responsible_user_id = Some(Some(owner));
        }
    }
    if org_id.is_some() && org_id != current.organization_id {
        fields.organization_id = Some(org_id);
    }
    if contact_id.is_some() && contact_id != current.contact_id {
        fields.contact_id = Some(contact_id);
    }
    let mut place = Place::default();
    if let Some(stage) = resolved.and_then(|r| r.stage) {
        if stage != current.stage_id {
            place.stage_id = Some(stage);
        }
    }
    let mut status = StatusChange::default();
    if let Some(s) = d.status.filter(|s| *s != current.status) {
        status.status = Some(s);
        if s == DealStatus::Lost {
            status.lost_reason = Some(
                d.lost_reason
                    .clone()
                    .unwrap_or_else(|| API_LOST_REASON.to_string()),
            );
        }
    } else if current.status == DealStatus::Lost {
        if let Some(r) = d
            .lost_reason
            .as_ref()
            .filter(|r| **r != current.lost_reason)
        {
            status.status = Some(DealStatus::Lost);
            status.lost_reason = Some(r.clone());
        }
    }
    DealChange {
        fields,
        contact: None,
        place,
        status,
        custom_attributes: None,
    }
}

/// True when a change changes nothing.
fn is_empty(change: &DealChange) -> bool {
    change.fields.is_empty() && change.place == Place::default() && change.status.status.is_none()
}

/// Before a row (and outside its savepoint): creates the deals set aside when the row names
/// one of them, so that it finds it.
pub(crate) async fn before_row(
    tx: &mut Tx,
    ctx: &mut Context,
    values: &RowValues,
) -> ServiceResult<()> {
    if let Some(d) = &values.deal {
        if ctx
            .deferred_keys
            .contains(&deal_key(d, values.organization.as_deref()))
        {
            flush(tx, ctx).await?;
        }
    }
    Ok(())
}

/// Creates the deals rows asked for since the last time, together.
pub(crate) async fn flush(tx: &mut Tx, ctx: &mut Context) -> ServiceResult<()> {
    let news = std::mem::take(&mut ctx.deferred);
    ctx.deferred_keys.clear();
    let created = create::insert_many(tx, ctx.actor, &news).await?;
    ctx.known.deals_created(
        created
            .iter()
            .zip(news.iter().map(|n| n.external_id.as_ref())),
    );
    Ok(())
}

/// Writes a row's deal: updated (only what differs) or left as it is, or, checked, set aside
/// to be created with the others of its batch.
async fn write_deal(
    tx: &mut Tx,
    ctx: &mut Context,
    d: &DealValues,
    resolved: &Resolved,
    org_id: Option<OrganizationId>,
    contact_id: Option<ContactId>,
    found: &Found<DealId>,
) -> ServiceResult<Outcome> {
    let actor = ctx.actor;
    if let (Found::Stored(id), Duplicates::Update) = (found, ctx.duplicates) {
        let current = deals::find(&mut **tx, actor, *id).await?;
        let change = deal_change(&current, d, Some(resolved), org_id, contact_id);
        if is_empty(&change) {
            return Ok(Outcome::Unchanged);
        }
        update::check(&change)?;
        let applied = update::apply(tx, actor, *id, &change).await?;
        ctx.known.deal_changed(*id, &d.title);
        return match applied {
            Some(_) => Ok(Outcome::Updated),
            None => Err(update::moved_meanwhile()),
        };
    }
    let status = d.status.unwrap_or_default();
    let new = NewDeal {
        title: d.title.clone(),
        value_cents: d.value_cents.unwrap_or(0),
        currency: d.currency.clone(),
        stage_id: Some(resolved.stage.unwrap_or(ctx.default_stage)),
        pipeline_id: Some(ctx.pipeline_id),
        contact_id,
        organization_id: org_id,
        responsible_user_id: resolved.owner,
        expected_close_date: close_date(d),
        status,
        lost_reason: match status {
            DealStatus::Lost => d
                .lost_reason
                .clone()
                .unwrap_or_else(|| API_LOST_REASON.to_string()),
            _ => String::new(),
        },
        external_id: d.external_id.clone(),
        ..NewDeal::default()
    };
    create::check_new(&new)?;
    ctx.deferred.push(new);
    Ok(Outcome::Created)
}
