//! The account's base currency and the exchange rates admins keep for the others (see
//! `domain::currency`). Everyone reads them; owners and admins (or a `config:manage` key)
//! change them. Rates are kept per base currency: changing the base keeps the old rates
//! aside, and they apply again if it changes back.

use chrono::NaiveDate;

use crate::domain::audit::AuditAction;
pub use crate::domain::currency::RateRow;
use crate::domain::currency::{Rate, Rates};
use crate::domain::deal_rules::DEFAULT_CURRENCY;
use crate::domain::money::normalize_currency;
use crate::domain::{AccountId, Problem};
use crate::server::db::{self, Db};
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::services::audit;
use crate::server::services::MayConfigure;

/// Most rates an account keeps (per base currency).
pub const MAX_RATES: i64 = 5000;

/// The currency the account's totals and reports are read in (ISO 4217).
pub async fn base_currency(db: &Db, account_id: AccountId) -> ServiceResult<String> {
    let row: Option<(String,)> = sqlx::query_as("SELECT base_currency FROM accounts WHERE id = $1")
        .bind(account_id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.map_or_else(|| DEFAULT_CURRENCY.to_string(), |(c,)| c))
}

/// The account's rates to its base currency, by currency and day.
pub async fn list(db: &Db, account_id: AccountId) -> ServiceResult<(String, Vec<RateRow>)> {
    list_of(db, account_id, None).await
}

/// [`list`], of one currency's rates only when `only` names it.
async fn list_of(
    db: &Db,
    account_id: AccountId,
    only: Option<&str>,
) -> ServiceResult<(String, Vec<RateRow>)> {
    let base = base_currency(db, account_id).await?;
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT currency, day, rate_e8 FROM exchange_rates WHERE account_id = $1 AND base = $2 \
         AND ($3 = '' OR currency = $3) ORDER BY currency, day",
    )
    .bind(account_id)
    .bind(&base)
    .bind(only.unwrap_or(""))
    .fetch_all(&db.pool)
    .await?;
    Ok((
        base,
        rows.into_iter()
            .map(|(currency, day, rate)| RateRow {
                currency,
                day,
                rate: Rate(rate),
            })
            .collect(),
    ))
}

/// The account's rates, ready to convert amounts to its base currency.
pub async fn rates(db: &Db, account_id: AccountId) -> ServiceResult<Rates> {
    rates_of(db, account_id, None).await
}

/// [`rates`], of one currency only when `only` names it (enough for one amount).
pub async fn rates_of(db: &Db, account_id: AccountId, only: Option<&str>) -> ServiceResult<Rates> {
    let (base, rows) = list_of(db, account_id, only).await?;
    Ok(Rates::new(
        &base,
        rows.into_iter().map(|r| (r.currency, r.day, r.rate)),
    ))
}

/// A currency as typed, refused naming `field` unless it is ISO 4217.
fn code(field: &str, text: &str) -> ServiceResult<String> {
    normalize_currency(text).map_err(|p| ServiceError::invalid(field, p))
}

/// A day as typed (`YYYY-MM-DD`), refused naming `day` otherwise.
fn day(text: &str) -> ServiceResult<String> {
    let t = text.trim();
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .map(|d| d.format("%Y-%m-%d").to_string())
        .map_err(|_| {
            ServiceError::invalid(
                "day",
                Problem::NotADate {
                    value: t.chars().take(40).collect(),
                },
            )
        })
}

/// Sets the base currency.
pub async fn set_base_currency(
    db: &Db,
    by: impl MayConfigure,
    currency: &str,
) -> ServiceResult<String> {
    let by = by.configurer()?;
    let currency = code("base_currency", currency)?;
    let mut tx = db.begin().await?;
    let res = sqlx::query("UPDATE accounts SET base_currency = $1, updated_at = $2 WHERE id = $3 AND base_currency <> $1")
        .bind(&currency)
        .bind(db::now())
        .bind(by.account_id())
        .execute(&mut *tx)
        .await?;
    if res.rows_affected() > 0 {
        let detail = format!("base currency {currency}");
        audit::record(
            &mut *tx,
            by.actor(),
            AuditAction::CurrenciesChanged,
            &currency,
            Some(&detail),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(currency)
}

/// Sets the rate of `currency` from `day` on (replacing one given for that day).
pub async fn set_rate(
    db: &Db,
    by: impl MayConfigure,
    currency: &str,
    on: &str,
    rate: &str,
) -> ServiceResult<RateRow> {
    let by = by.configurer()?;
    let currency = code("currency", currency)?;
    let on = day(on)?;
    let rate = Rate::parse(rate).map_err(|p| ServiceError::invalid("rate", p))?;
    let mut tx = db.begin().await?;
    let (base,): (String,) = sqlx::query_as("SELECT base_currency FROM accounts WHERE id = $1")
        .bind(by.account_id())
        .fetch_one(&mut *tx)
        .await?;
    if currency == base {
        return Err(ServiceError::invalid(
            "currency",
            Problem::Text(format!("{base} is the base currency; it needs no rate")),
        ));
    }
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM exchange_rates WHERE account_id = $1 AND base = $2")
            .bind(by.account_id())
            .bind(&base)
            .fetch_one(&mut *tx)
            .await?;
    let now = db::now();
    let updated = sqlx::query(
        "UPDATE exchange_rates SET rate_e8 = $1, updated_at = $2 \
         WHERE account_id = $3 AND base = $4 AND currency = $5 AND day = $6",
    )
    .bind(rate.0)
    .bind(&now)
    .bind(by.account_id())
    .bind(&base)
    .bind(&currency)
    .bind(&on)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() == 0 {
        if count >= MAX_RATES {
            return Err(ServiceError::invalid(
                "day",
                Problem::Text(format!(
                    "an account keeps at most {MAX_RATES} rates; delete old ones first"
                )),
            ));
        }
        sqlx::query(
            "INSERT INTO exchange_rates (account_id, base, currency, day, rate_e8, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6)",
        )
        .bind(by.account_id())
        .bind(&base)
        .bind(&currency)
        .bind(&on)
        .bind(rate.0)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    }
    let detail = format!("1 {currency} = {} {base} from {on}", rate.decimal());
    audit::record(
        &mut *tx,
        by.actor(),
        AuditAction::CurrenciesChanged,
        &currency,
        Some(&detail),
    )
    .await?;
    tx.commit().await?;
    Ok(RateRow {
        currency,
        day: on,
        rate,
    })
}

/// Deletes the rate of `currency` given for `day`.
pub async fn delete_rate(
    db: &Db,
    by: impl MayConfigure,
    currency: &str,
    on: &str,
) -> ServiceResult<()> {
    let by = by.configurer()?;
    // A code or day that cannot be read names no rate.
    let (Ok(currency), Ok(on)) = (code("currency", currency), day(on)) else {
        return Err(ServiceError::NotFound("exchange rate"));
    };
    let mut tx = db.begin().await?;
    let res = sqlx::query(
        "DELETE FROM exchange_rates WHERE account_id = $1 AND currency = $2 AND day = $3 \
         AND base = (SELECT base_currency FROM accounts WHERE id = $1)",
    )
    .bind(by.account_id())
    .bind(&currency)
    .bind(&on)
    .execute(&mut *tx)
    .await?;
    db::touched(res, "exchange rate")?;
    let detail = format!("{currency} rate of {on} deleted");
    audit::record(
        &mut *tx,
        by.actor(),
        AuditAction::CurrenciesChanged,
        &currency,
        Some(&detail),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
