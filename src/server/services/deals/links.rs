//! What a deal is linked to besides its own fields: assignees, followers, persons (one of them
//! primary, mirrored in `deals.contact_id`), tags, and custom attributes. Every change is one
//! `field_changed` entry in the deal's timeline.

use crate::domain::{AccountId, ContactId, DealId, Problem, UserId};
use serde_json::{Map, Value};

use crate::domain::deal_rules::{self, MAX_ATTRIBUTES};
use crate::server::db::{self, Db, Tx};
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::services::Actor;

use super::{check_in_account, lock, record_event, EventKind};

/// A link between a deal and a user, contact or tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    Assignee(UserId),
    Follower(UserId),
    Person(ContactId),
    Tag(i64),
}

impl Link {
    /// (link table, linked table, linked column, field name in messages and events)
    fn parts(self) -> (&'static str, &'static str, &'static str, &'static str, i64) {
        match self {
            Link::Assignee(id) => ("deal_assignees", "users", "user_id", "assignees", id.0),
            Link::Follower(id) => ("deal_followers", "users", "user_id", "followers", id.0),
            Link::Person(id) => ("deal_persons", "contacts", "contact_id", "persons", id.0),
            Link::Tag(id) => ("deal_tags", "tags", "tag_id", "tags", id),
        }
    }
}

async fn is_linked(tx: &mut Tx, deal_id: DealId, link: Link) -> ServiceResult<bool> {
    let (table, _, column, _, id) = link.parts();
    let row: Option<(i64,)> = sqlx::query_as(&format!(
        "SELECT deal_id FROM {table} WHERE deal_id = $1 AND {column} = $2"
    ))
    .bind(deal_id)
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.is_some())
}

async fn insert_link(
    tx: &mut Tx,
    account_id: AccountId,
    deal_id: DealId,
    link: Link,
) -> ServiceResult<()> {
    let now = db::now();
    match link {
        Link::Tag(tag_id) => {
            sqlx::query("INSERT INTO deal_tags (deal_id, tag_id) VALUES ($1, $2)")
                .bind(deal_id)
                .bind(tag_id)
                .execute(&mut **tx)
                .await?;
        }
        Link::Assignee(user_id) => {
            sqlx::query(
                "INSERT INTO deal_assignees (account_id, deal_id, user_id, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $4)",
            )
            .bind(account_id)
            .bind(deal_id)
            .bind(user_id)
            .bind(&now)
            .execute(&mut **tx)
            .await?;
        }
        Link::Follower(user_id) => {
            sqlx::query(
                "INSERT INTO deal_followers (account_id, deal_id, user_id, created_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(account_id)
            .bind(deal_id)
            .bind(user_id)
            .bind(&now)
            .execute(&mut **tx)
            .await?;
        }
        Link::Person(contact_id) => {
            sqlx::query(
                "INSERT INTO deal_persons (account_id, deal_id, contact_id, is_primary, created_at) \
                 VALUES ($1, $2, $3, 0, $4)",
            )
            .bind(account_id)
            .bind(deal_id)
            .bind(contact_id)
            .bind(&now)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

/// Links a user, contact or tag of the account to the deal. Linking twice is a no-op; the
/// first person becomes the primary one.
pub async fn add_link(db: &Db, actor: Actor, deal_id: DealId, link: Link) -> ServiceResult<()> {
    let mut tx = db.begin().await?;
    add(&mut tx, actor, deal_id, link).await?;
    tx.commit().await?;
    Ok(())
}

/// Step: [`add_link`].
pub(crate) async fn add(
    tx: &mut Tx,
    actor: Actor,
    deal_id: DealId,
    link: Link,
) -> ServiceResult<()> {
    let (_, linked_table, _, field, id) = link.parts();
    let deal = lock(tx, actor, deal_id).await?;
    check_in_account(&mut **tx, linked_table, id, actor.account_id, field).await?;
    if let Link::Assignee(user) | Link::Follower(user) = link {
        let (active,): (i64,) = sqlx::query_as("SELECT active FROM users WHERE id = $1")
            .bind(user)
            .fetch_one(&mut **tx)
            .await?;
        if active == 0 {
            return Err(ServiceError::invalid(field, Problem::UserDeactivated));
        }
    }
    if is_linked(tx, deal_id, link).await? {
        return Ok(());
    }
    insert_link(tx, actor.account_id, deal_id, link).await?;
    if let Link::Person(contact_id) = link {
        if deal.contact_id.is_none() {
            make_primary(tx, actor.account_id, deal_id, contact_id).await?;
        }
    }
    changed(tx, actor, deal_id, link, "added").await
}

/// Step: sets the role a follower of the deal has (free text the caller's system defines).
pub(crate) async fn set_follower_role(
    tx: &mut Tx,
    actor: Actor,
    deal_id: DealId,
    user_id: UserId,
    role_id: Option<&str>,
) -> ServiceResult<()> {
    let res = sqlx::query(
        "UPDATE deal_followers SET role_id = $1 WHERE deal_id = $2 AND user_id = $3 AND account_id = $4",
    )
    .bind(role_id)
    .bind(deal_id)
    .bind(user_id)
    .bind(actor.account_id)
    .execute(&mut **tx)
    .await?;
    db::touched(res, "follower")
}

/// Unlinks; removing the primary person promotes the longest-linked other person (or none).
pub async fn remove_link(db: &Db, actor: Actor, deal_id: DealId, link: Link) -> ServiceResult<()> {
    let (table, _, column, _, id) = link.parts();
    let mut tx = db.begin().await?;
    let deal = lock(&mut tx, actor, deal_id).await?;
    let res = sqlx::query(&format!(
        "DELETE FROM {table} WHERE deal_id = $1 AND {column} = $2"
    ))
    .bind(deal_id)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    db::touched(res, "link")?;
    if let Link::Person(contact_id) = link {
        if deal.contact_id == Some(contact_id) {
            let next: Option<(ContactId,)> = sqlx::query_as(
                "SELECT contact_id FROM deal_persons WHERE deal_id = $1 ORDER BY created_at, id LIMIT 1",
            )
            .bind(deal_id)
            .fetch_optional(&mut *tx)
            .await?;
            match next {
                Some((next,)) => make_primary(&mut tx, actor.account_id, deal_id, next).await?,
                None => clear_primary(&mut tx, deal_id).await?,
            }
        }
    }
    changed(&mut tx, actor, deal_id, link, "removed").await?;
    tx.commit().await?;
    Ok(())
}

/// Makes a contact of the account the deal's primary person (linking it when needed).
pub async fn set_primary_person(
    db: &Db,
    actor: Actor,
    deal_id: DealId,
    contact_id: ContactId,
) -> ServiceResult<()> {
    let mut tx = db.begin().await?;
    lock(&mut tx, actor, deal_id).await?;
    check_in_account(
        &mut *tx,
        "contacts",
        contact_id,
        actor.account_id,
        "persons",
    )
    .await?;
    make_primary(&mut tx, actor.account_id, deal_id, contact_id).await?;
    changed(
        &mut tx,
        actor,
        deal_id,
        Link::Person(contact_id),
        "made primary",
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Keeps the one-primary rule: links the contact if needed, flags it alone as primary, and
/// mirrors it in `deals.contact_id`. Callers have checked the contact's account.
pub(crate) async fn make_primary(
    tx: &mut Tx,
    account_id: AccountId,
    deal_id: DealId,
    contact_id: ContactId,
) -> ServiceResult<()> {
    if !is_linked(tx, deal_id, Link::Person(contact_id)).await? {
        insert_link(tx, account_id, deal_id, Link::Person(contact_id)).await?;
    }
    sqlx::query(
        "UPDATE deal_persons SET is_primary = CASE WHEN contact_id = $1 THEN 1 ELSE 0 END WHERE deal_id = $2",
    )
    .bind(contact_id)
    .bind(deal_id)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE deals SET contact_id = $1 WHERE id = $2 AND account_id = $3")
        .bind(contact_id)
        .bind(deal_id)
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Step: links new deals' first persons as their primary ones (the deal rows name them
/// already): `(deal, contact)` pairs.
pub(crate) async fn first_persons(
    tx: &mut Tx,
    account_id: AccountId,
    people: &[(DealId, ContactId)],
) -> ServiceResult<()> {
    let now = db::now();
    for chunk in people.chunks(200) {
        let mut q = db::SqlBuilder::new(
            "INSERT INTO deal_persons (account_id, deal_id, contact_id, is_primary, created_at) VALUES ",
        );
        q.values(chunk.iter().map(|(deal_id, contact_id)| {
            vec![
                db::Arg::Int(Some(account_id.into())),
                db::Arg::Int(Some((*deal_id).into())),
                db::Arg::Int(Some((*contact_id).into())),
                db::Arg::Int(Some(1)),
                db::Arg::Text(Some(now.clone())),
            ]
        }));
        q.query().execute(&mut **tx).await?;
    }
    Ok(())
}

/// Leaves the deal without a primary person (its persons stay linked).
pub(crate) async fn clear_primary(tx: &mut Tx, deal_id: DealId) -> ServiceResult<()> {
    sqlx::query("UPDATE deal_persons SET is_primary = 0 WHERE deal_id = $1")
        .bind(deal_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("UPDATE deals SET contact_id = NULL WHERE id = $1")
        .bind(deal_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Records the change in the timeline with the linked record's name as it is now.
async fn changed(
    tx: &mut Tx,
    actor: Actor,
    deal_id: DealId,
    link: Link,
    op: &str,
) -> ServiceResult<()> {
    let (_, linked_table, _, field, id) = link.parts();
    let name_column = if linked_table == "contacts" {
        "full_name"
    } else {
        "name"
    };
    let name: Option<(String,)> = sqlx::query_as(&format!(
        "SELECT {name_column} FROM {linked_table} WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    let name = name.map(|(n,)| n).unwrap_or_else(|| format!("#{id}"));
    record_event(
        tx,
        actor,
        deal_id,
        EventKind::FieldChanged,
        (None, None),
        serde_json::json!({ "changes": [{ "field": field, op: name }] }),
    )
    .await
}

async fn attributes(tx: &mut Tx, deal_id: DealId) -> ServiceResult<Map<String, Value>> {
    let (raw,): (String,) = sqlx::query_as("SELECT custom_attributes FROM deals WHERE id = $1")
        .bind(deal_id)
        .fetch_one(&mut **tx)
        .await?;
    Ok(serde_json::from_str(&raw).unwrap_or_default())
}

async fn store_attributes(
    tx: &mut Tx,
    deal_id: DealId,
    attrs: &Map<String, Value>,
) -> ServiceResult<()> {
    sqlx::query("UPDATE deals SET custom_attributes = $1 WHERE id = $2")
        .bind(Value::Object(attrs.clone()).to_string())
        .bind(deal_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Sets (adds or replaces) a custom attribute.
pub async fn set_attribute(
    db: &Db,
    actor: Actor,
    deal_id: DealId,
    key: &str,
    value: &str,
) -> ServiceResult<()> {
    let key = deal_rules::attribute_key(key)?;
    let value = deal_rules::attribute_value(value)?;
    let mut tx = db.begin().await?;
    lock(&mut tx, actor, deal_id).await?;
    let mut attrs = attributes(&mut tx, deal_id).await?;
    if !attrs.contains_key(&key) && attrs.len() >= MAX_ATTRIBUTES {
        return Err(ServiceError::invalid(
            "key",
            Problem::TooManyAttributes {
                max: MAX_ATTRIBUTES,
            },
        ));
    }
    let old = attrs.insert(key.clone(), value.into());
    if old.as_ref().and_then(|v| v.as_str()) != Some(value) {
        store_attributes(&mut tx, deal_id, &attrs).await?;
        attributes_changed(
            &mut tx,
            actor,
            deal_id,
            &format!("custom_attributes.{key}"),
            old.into(),
            value.into(),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Step: replaces all of a deal's custom attributes (API updates send the whole object).
pub(crate) async fn replace_attributes(
    tx: &mut Tx,
    actor: Actor,
    deal_id: DealId,
    attrs: &Map<String, Value>,
) -> ServiceResult<()> {
    deal_rules::attributes(attrs)?;
    lock(tx, actor, deal_id).await?;
    let old = attributes(tx, deal_id).await?;
    if old != *attrs {
        store_attributes(tx, deal_id, attrs).await?;
        attributes_changed(
            tx,
            actor,
            deal_id,
            "custom_attributes",
            Value::Object(old),
            Value::Object(attrs.clone()),
        )
        .await?;
    }
    Ok(())
}

/// Removes a custom attribute.
pub async fn remove_attribute(
    db: &Db,
    actor: Actor,
    deal_id: DealId,
    key: &str,
) -> ServiceResult<()> {
    let mut tx = db.begin().await?;
    lock(&mut tx, actor, deal_id).await?;
    let mut attrs = attributes(&mut tx, deal_id).await?;
    let Some(old) = attrs.remove(key.trim()) else {
        return Err(ServiceError::NotFound("custom attribute"));
    };
    store_attributes(&mut tx, deal_id, &attrs).await?;
    attributes_changed(
        &mut tx,
        actor,
        deal_id,
        &format!("custom_attributes.{}", key.trim()),
        old,
        Value::Null,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Records a change of the custom attributes in the timeline.
async fn attributes_changed(
    tx: &mut Tx,
    actor: Actor,
    deal_id: DealId,
    field: &str,
    from: Value,
    to: Value,
) -> ServiceResult<()> {
    record_event(
        tx,
        actor,
        deal_id,
        EventKind::FieldChanged,
        (None, None),
        serde_json::json!({ "changes": [{ "field": field, "from": from, "to": to }] }),
    )
    .await
}
