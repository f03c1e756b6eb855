//! E-mail. Every message is first written to the account's outbox (`outgoing_emails`), which
//! admins read in the app; with an SMTP server configured it is then sent with lettre and
//! marked `sent` or `failed` (with the reason). Without one it stays `kept`.

use crate::domain::AccountId;
use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::server::db::{self, Db, Tx};
use crate::server::error::ServiceResult;

/// An SMTP connection pool and the sender address.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer").field("from", &self.from).finish()
    }
}

impl Mailer {
    /// A mailer for `smtp://host:port` (plain), `smtp://…?tls=required` (STARTTLS) or
    /// `smtps://host:port` (TLS), sending as `from`.
    pub fn new(url: &str, from: &str) -> Result<Mailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("SMTP_URL: {e}"))?
            .timeout(Some(std::time::Duration::from_secs(10)))
            .build();
        let from = from
            .parse::<Mailbox>()
            .map_err(|e| format!("SMTP_FROM: {e}"))?;
        Ok(Mailer { transport, from })
    }

    /// Sends one plain-text message.
    pub async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), String> {
        let to: Mailbox = to
            .parse()
            .map_err(|e| format!("bad recipient {to:?}: {e}"))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body.to_string())
            .map_err(|e| format!("cannot build the message: {e}"))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| format!("SMTP: {e}"))
    }
}

/// Writes a message to the outbox inside the caller's transaction (status `queued`); returns
/// its id. [`deliver`] sends it.
pub async fn record(
    tx: &mut Tx,
    account_id: AccountId,
    to: &str,
    subject: &str,
    body: &str,
) -> ServiceResult<i64> {
    insert(tx, account_id, (to, subject, body), false).await
}

/// Writes a message to the outbox; a `secret` one (it holds a personal link) is listed there
/// without its text.
async fn insert(
    tx: &mut Tx,
    account_id: AccountId,
    (to, subject, body): (&str, &str, &str),
    secret: bool,
) -> ServiceResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO outgoing_emails (account_id, to_address, subject, body, status, created_at, secret) \
         VALUES ($1, $2, $3, $4, 'queued', $5, $6) RETURNING id",
    )
    .bind(account_id)
    .bind(to)
    .bind(subject)
    .bind(body)
    .bind(db::now())
    .bind(i64::from(secret))
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// Sends an outbox message (if a mailer is configured) and records the outcome. `Err` carries
/// the reason a message could not be sent.
pub async fn deliver(db: &Db, mailer: Option<&Mailer>, email_id: i64) -> Result<(), String> {
    let row: Option<(String, String, String, String)> = sqlx::query_as(
        "SELECT to_address, subject, body, status FROM outgoing_emails WHERE id = $1",
    )
    .bind(email_id)
    .fetch_optional(&db.pool)
    .await
    .map_err(|e| e.to_string())?;
    let Some((to, subject, body, status)) = row else {
        return Err("the message is no longer in the outbox".into());
    };
    if status == "sent" {
        return Ok(());
    }
    let (status, error, result) = match mailer {
        None => ("kept", None, Ok(())),
        Some(m) => match m.send(&to, &subject, &body).await {
            Ok(()) => ("sent", None, Ok(())),
            Err(e) => ("failed", Some(e.clone()), Err(e)),
        },
    };
    sqlx::query("UPDATE outgoing_emails SET status = $1, error = $2, sent_at = $3 WHERE id = $4")
        .bind(status)
        .bind(error)
        .bind((status == "sent").then(db::now))
        .bind(email_id)
        .execute(&db.pool)
        .await
        .map_err(|e| e.to_string())?;
    result
}

/// Job kind that delivers one outbox message (payload `{"email_id": n}`).
pub const MAIL_JOB: &str = "send_email";

/// Writes a message to the outbox and schedules its delivery by the worker, inside the caller's
/// transaction; returns the message's id.
pub async fn queue(
    tx: &mut Tx,
    account_id: AccountId,
    to: &str,
    subject: &str,
    body: &str,
) -> ServiceResult<i64> {
    queue_as(tx, account_id, (to, subject, body), false).await
}

/// [`queue`] for a message holding a personal link (an invitation, a password reset): the
/// outbox lists it without its text, so reading the outbox gives no one else the link.
pub async fn queue_secret(
    tx: &mut Tx,
    account_id: AccountId,
    to: &str,
    subject: &str,
    body: &str,
) -> ServiceResult<i64> {
    queue_as(tx, account_id, (to, subject, body), true).await
}

/// Writes a message to the outbox (see [`insert`]) and schedules its delivery by the worker.
async fn queue_as(
    tx: &mut Tx,
    account_id: AccountId,
    message: (&str, &str, &str),
    secret: bool,
) -> ServiceResult<i64> {
    let id = insert(tx, account_id, message, secret).await?;
    crate::server::services::jobs::enqueue(
        tx,
        Some(account_id),
        MAIL_JOB,
        &serde_json::json!({ "email_id": id }),
        chrono::Utc::now(),
    )
    .await?;
    Ok(id)
}
