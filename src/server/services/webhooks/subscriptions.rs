//! Webhook subscriptions: create, list, read, change and delete, for an owner or admin on the
//! settings page and for an API key with `config:manage` alike ([`MayConfigure`]). Input is
//! checked here: an `http`/`https` URL of at most [`MAX_URL_LEN`] characters, at least one
//! event, at most [`MAX_PER_ACCOUNT`] subscriptions per account.

use crate::domain::public_id::public_id;
use crate::domain::webhook::{WebhookEvent, WebhookView};
use crate::domain::{AccountId, Problem};
use crate::server::db::{self, Db, Tx};
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::services::MayConfigure;

/// Subscriptions one account may have.
pub const MAX_PER_ACCOUNT: i64 = 20;
/// Longest URL accepted.
pub const MAX_URL_LEN: usize = 2000;

/// A subscription to create.
#[derive(Debug, Clone)]
pub struct NewWebhook {
    pub url: String,
    pub events: Vec<WebhookEvent>,
    /// Whether it delivers from the start (on by default).
    pub active: bool,
}

/// A change of a subscription; `None` keeps what it has.
#[derive(Debug, Clone, Default)]
pub struct WebhookChange {
    pub url: Option<String>,
    pub events: Option<Vec<WebhookEvent>>,
    /// Turning a subscription on again starts its count of failures afresh.
    pub active: Option<bool>,
}

/// The URL as stored: trimmed, an absolute `http` or `https` URL with a host.
pub fn check_url(url: &str) -> ServiceResult<String> {
    let url = url.trim();
    let invalid = |m: Problem| Err(ServiceError::invalid("url", m));
    if url.is_empty() {
        return invalid(Problem::Required);
    }
    if url.chars().count() > MAX_URL_LEN {
        return invalid(Problem::TooLong { max: MAX_URL_LEN });
    }
    if url.chars().any(char::is_control) {
        return invalid(Problem::ControlCharacters);
    }
    let parsed = match reqwest::Url::parse(url) {
        Ok(u) => u,
        Err(e) => {
            return invalid(Problem::NotAUrl {
                reason: e.to_string(),
            })
        }
    };
    if !matches!(parsed.scheme(), "http" | "https") {
        return invalid(Problem::HttpUrl);
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return invalid(Problem::UrlHost);
    }
    Ok(url.to_string())
}

/// The events as stored: at least one, each once, in the catalogue's order.
pub fn check_events(events: &[WebhookEvent]) -> ServiceResult<Vec<WebhookEvent>> {
    let chosen: Vec<WebhookEvent> = WebhookEvent::ALL
        .iter()
        .copied()
        .filter(|e| events.contains(e))
        .collect();
    if chosen.is_empty() {
        return Err(ServiceError::invalid("events", Problem::ChooseAnEvent));
    }
    Ok(chosen)
}

fn events_json(events: &[WebhookEvent]) -> String {
    serde_json::to_string(events).unwrap_or_else(|_| "[]".into())
}

/// The columns of a [`WebhookView`], in [`Row`]'s order.
const COLUMNS: &str = "id, uuid, url, events, active, secret, consecutive_failures, \
     disabled_reason, disabled_at, created_at, updated_at";

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    uuid: String,
    url: String,
    events: String,
    active: i64,
    secret: String,
    consecutive_failures: i64,
    disabled_reason: Option<String>,
    disabled_at: Option<String>,
    created_at: String,
    updated_at: String,
}

impl From<Row> for WebhookView {
    fn from(r: Row) -> Self {
        let names: Vec<String> = serde_json::from_str(&r.events).unwrap_or_default();
        WebhookView {
            id: r.id,
            public_id: public_id("whk", &r.uuid),
            url: r.url,
            events: names
                .iter()
                .filter_map(|n| WebhookEvent::from_name(n))
                .collect(),
            active: r.active != 0,
            secret: r.secret,
            consecutive_failures: r.consecutive_failures,
            disabled_reason: r.disabled_reason,
            disabled_at: r.disabled_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// The account's subscriptions, oldest first.
pub async fn list(db: &Db, by: impl MayConfigure) -> ServiceResult<Vec<WebhookView>> {
    let account_id = by.configurer()?.account_id();
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM webhook_subscriptions WHERE account_id = $1 ORDER BY id"
    ))
    .bind(account_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// One subscription of the account; "not found" for another account's.
pub async fn get(db: &Db, by: impl MayConfigure, id: i64) -> ServiceResult<WebhookView> {
    let account_id = by.configurer()?.account_id();
    find(&db.pool, account_id, id).await
}

async fn find<'e, E>(ex: E, account_id: AccountId, id: i64) -> ServiceResult<WebhookView>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let row: Option<Row> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM webhook_subscriptions WHERE id = $1 AND account_id = $2"
    ))
    .bind(id)
    .bind(account_id)
    .fetch_optional(ex)
    .await?;
    row.map(Into::into).ok_or(ServiceError::NotFound("webhook"))
}

/// Serializes the account's subscription changes (the account row is the first lock of the
/// lock order), so two creations never both take the last free place.
async fn lock_account(tx: &mut Tx, account_id: AccountId) -> ServiceResult<()> {
    let locked = sqlx::query("UPDATE accounts SET updated_at = $1 WHERE id = $2")
        .bind(db::now())
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    db::touched(locked, "account")
}

/// Subscribes a URL to events, with a new signing secret.
pub async fn create(
    db: &Db,
    by: impl MayConfigure,
    new: &NewWebhook,
) -> ServiceResult<WebhookView> {
    let account_id = by.configurer()?.account_id();
    let url = check_url(&new.url)?;
    let events = check_events(&new.events)?;
    let mut tx = db.begin().await?;
    lock_account(&mut tx, account_id).await?;
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM webhook_subscriptions WHERE account_id = $1")
            .bind(account_id)
            .fetch_one(&mut *tx)
            .await?;
    if count >= MAX_PER_ACCOUNT {
        return Err(ServiceError::invalid(
            "url",
            Problem::WebhookLimit { count },
        ));
    }
    let now = db::now();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO webhook_subscriptions (account_id, uuid, url, events, secret, active, \
         consecutive_failures, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $7) \
         RETURNING id",
    )
    .bind(account_id)
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(&url)
    .bind(events_json(&events))
    .bind(format!("whsec_{}", crate::server::auth::random_hex(32)))
    .bind(i64::from(new.active))
    .bind(&now)
    .fetch_one(&mut *tx)
    .await?;
    let created = find(&mut *tx, account_id, id).await?;
    tx.commit().await?;
    Ok(created)
}

/// Changes a subscription's URL, events or state. Turning it on clears why it was turned off
/// and its count of failures.
pub async fn update(
    db: &Db,
    by: impl MayConfigure,
    id: i64,
    change: &WebhookChange,
) -> ServiceResult<WebhookView> {
    let account_id = by.configurer()?.account_id();
    let url = change.url.as_deref().map(check_url).transpose()?;
    let events = change.events.as_deref().map(check_events).transpose()?;
    let mut tx = db.begin().await?;
    let current = find(&mut *tx, account_id, id).await?;
    let active = change.active.unwrap_or(current.active);
    let turned_on = active && !current.active;
    let res = sqlx::query(
        "UPDATE webhook_subscriptions SET url = $1, events = $2, active = $3, \
         consecutive_failures = CASE WHEN $4 = 1 THEN 0 ELSE consecutive_failures END, \
         disabled_at = CASE WHEN $4 = 1 THEN NULL ELSE disabled_at END, \
         disabled_reason = CASE WHEN $4 = 1 THEN NULL ELSE disabled_reason END, \
         updated_at = $5 WHERE id = $6 AND account_id = $7",
    )
    .bind(url.unwrap_or(current.url))
    .bind(events_json(&events.unwrap_or(current.events)))
    .bind(i64::from(active))
    .bind(i64::from(turned_on))
    .bind(db::now())
    .bind(id)
    .bind(account_id)
    .execute(&mut *tx)
    .await?;
    db::touched(res, "webhook")?;
    let changed = find(&mut *tx, account_id, id).await?;
    tx.commit().await?;
    Ok(changed)
}

/// Deletes a subscription with its delivery log; deliveries still waiting are not sent.
pub async fn delete(db: &Db, by: impl MayConfigure, id: i64) -> ServiceResult<()> {
    let account_id = by.configurer()?.account_id();
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM webhook_deliveries WHERE subscription_id = $1 AND account_id = $2")
        .bind(id)
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
    let res = sqlx::query("DELETE FROM webhook_subscriptions WHERE id = $1 AND account_id = $2")
        .bind(id)
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
    db::touched(res, "webhook")?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_checked() {
        assert_eq!(
            check_url("  https://hooks.example.com/in?x=1 ").unwrap(),
            "https://hooks.example.com/in?x=1"
        );
        assert!(check_url("http://127.0.0.1:9000/x").is_ok());
        for bad in [
            "",
            "   ",
            "ftp://example.com/",
            "javascript:alert(1)",
            "example.com/hook",
            "http://",
            "https://exa mple.com/",
            "http://example.com/\u{0}",
            "file:///etc/passwd",
        ] {
            let e = check_url(bad).unwrap_err();
            assert_eq!(e.field(), Some("url"), "{bad:?}");
        }
        let long = format!("https://example.com/{}", "a".repeat(MAX_URL_LEN));
        assert_eq!(check_url(&long).unwrap_err().field(), Some("url"));
    }

    #[test]
    fn events_are_deduplicated_in_catalogue_order() {
        let events = check_events(&[
            WebhookEvent::QuoteWon,
            WebhookEvent::DealCreated,
            WebhookEvent::QuoteWon,
        ])
        .unwrap();
        assert_eq!(
            events,
            vec![WebhookEvent::DealCreated, WebhookEvent::QuoteWon]
        );
        assert_eq!(events_json(&events), r#"["deal.created","quote.won"]"#);
        assert_eq!(check_events(&[]).unwrap_err().field(), Some("events"));
    }
}
