//! API keys: random tokens shown once, stored as SHA-256 hashes, with scopes and an optional
//! allowed domain.

use sha2::{Digest, Sha256};

use crate::domain::{AccountId, UserId};
use crate::server::db::{self, Db};
use crate::server::error::{ServiceError, ServiceResult};

/// Scopes a key may carry. `all` grants every scope.
pub const SCOPES: &[&str] = &[
    "opportunities:read",
    "opportunities:write",
    "activities:read",
    "activities:write",
    "deals:read",
    "deals:write",
    "contacts:read",
    "contacts:write",
    "users:read",
    "users:write",
    "config:manage",
    "all",
];

/// An authenticated API caller.
#[derive(Debug, Clone)]
pub struct ApiPrincipal {
    pub key_id: i64,
    pub account_id: AccountId,
    /// The user the key acts for (its creator); defaults for "responsible" fields.
    pub user_id: Option<UserId>,
    pub scopes: Vec<String>,
    pub allowed_domain: Option<String>,
}

impl ApiPrincipal {
    /// True when the key carries `scope` or `all`.
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope || s == "all")
    }
}

/// A key just created: the token is only ever shown here.
#[derive(Debug, Clone)]
pub struct CreatedKey {
    pub id: i64,
    pub token: String,
}

/// SHA-256 of a token, hex encoded.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Normalizes an allowed domain: lower case host, without scheme, path or port.
pub fn normalize_domain(input: &str) -> ServiceResult<String> {
    let s = input.trim().to_ascii_lowercase();
    let s = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
        .unwrap_or(&s);
    let host = s.split(['/', ':']).next().unwrap_or_default();
    let valid = !host.is_empty()
        && host.len() <= 253
        && host
            .split('.')
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
    if valid {
        Ok(host.to_string())
    } else {
        Err(ServiceError::invalid(
            "allowed_domain",
            format!("\"{input}\" is not a domain name"),
        ))
    }
}

/// Creates a key for an account. Unknown scopes are refused; no scope means read-only access
/// to opportunities.
pub async fn create_key(
    db: &Db,
    account_id: AccountId,
    user_id: Option<UserId>,
    name: &str,
    scopes: &[String],
    allowed_domain: Option<&str>,
) -> ServiceResult<CreatedKey> {
    let mut tx = db.begin().await?;
    let key = insert_key(&mut tx, account_id, user_id, name, scopes, allowed_domain).await?;
    tx.commit().await?;
    Ok(key)
}

/// [`create_key`] in the caller's transaction.
pub async fn insert_key(
    tx: &mut crate::server::db::Tx,
    account_id: AccountId,
    user_id: Option<UserId>,
    name: &str,
    scopes: &[String],
    allowed_domain: Option<&str>,
) -> ServiceResult<CreatedKey> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ServiceError::invalid(
            "name",
            "must have 1 to 100 characters",
        ));
    }
    for s in scopes {
        if !SCOPES.contains(&s.as_str()) {
            return Err(ServiceError::invalid(
                "scope",
                format!("unknown scope \"{s}\" (known: {})", SCOPES.join(", ")),
            ));
        }
    }
    let scopes = if scopes.is_empty() {
        "opportunities:read".to_string()
    } else {
        scopes.join(" ")
    };
    let domain = allowed_domain
        .filter(|d| !d.trim().is_empty())
        .map(normalize_domain)
        .transpose()?;
    let exists: Option<(i64,)> = sqlx::query_as("SELECT id FROM accounts WHERE id = $1")
        .bind(account_id)
        .fetch_optional(&mut **tx)
        .await?;
    if exists.is_none() {
        return Err(ServiceError::NotFound("account"));
    }
    let token = format!("dfk_{}", super::random_hex(24));
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO api_keys (account_id, user_id, name, token_hash, token_prefix, scopes, allowed_domain, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(account_id)
    .bind(user_id)
    .bind(name)
    .bind(hash_token(&token))
    .bind(token[..12].to_string())
    .bind(scopes)
    .bind(domain)
    .bind(db::now())
    .fetch_one(&mut **tx)
    .await?;
    Ok(CreatedKey { id, token })
}

/// The account's keys, newest first.
pub async fn list_keys(
    db: &Db,
    account_id: AccountId,
) -> ServiceResult<Vec<crate::domain::ApiKeyInfo>> {
    let rows: Vec<ListedKey> = sqlx::query_as(
        "SELECT k.id, k.name, k.token_prefix, k.scopes, k.allowed_domain, k.last_used_at, k.revoked_at, \
         k.created_at, u.name AS made_by, u.active AS made_by_active \
         FROM api_keys k LEFT JOIN users u ON u.id = k.user_id WHERE k.account_id = $1 ORDER BY k.id DESC",
    )
    .bind(account_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(ListedKey::into_info).collect())
}

/// A key as the settings list reads it.
#[derive(sqlx::FromRow)]
struct ListedKey {
    id: i64,
    name: String,
    token_prefix: String,
    scopes: String,
    allowed_domain: Option<String>,
    last_used_at: Option<String>,
    revoked_at: Option<String>,
    created_at: String,
    made_by: Option<String>,
    made_by_active: Option<i64>,
}

impl ListedKey {
    fn into_info(self) -> crate::domain::ApiKeyInfo {
        crate::domain::ApiKeyInfo {
            id: self.id,
            name: self.name,
            prefix: self.token_prefix,
            scopes: self.scopes,
            allowed_domain: self.allowed_domain,
            last_used_at: self.last_used_at,
            revoked: self.revoked_at.is_some(),
            created_at: self.created_at,
            made_by: self.made_by,
            made_by_deactivated: self.made_by_active == Some(0),
        }
    }
}

/// A live key as a request is authenticated with it.
#[derive(sqlx::FromRow)]
struct KeyRow {
    id: i64,
    account_id: AccountId,
    user_id: Option<UserId>,
    scopes: String,
    allowed_domain: Option<String>,
    last_used_at: Option<String>,
}

/// How stale a key's "last used" time may get before a request writes it again (a key in
/// steady use costs one write a minute, not one per request).
const LAST_USED_RESOLUTION: chrono::Duration = chrono::Duration::seconds(60);

/// Finds the live key behind a token and records its use.
pub async fn authenticate(db: &Db, token: &str) -> ServiceResult<ApiPrincipal> {
    let token = token.trim();
    if token.is_empty() {
        return Err(ServiceError::Unauthorized);
    }
    let row: Option<KeyRow> = sqlx::query_as(
        "SELECT k.id, k.account_id, k.user_id, k.scopes, k.allowed_domain, k.last_used_at FROM api_keys k \
         WHERE k.token_hash = $1 AND k.revoked_at IS NULL",
    )
    .bind(hash_token(token))
    .fetch_optional(&db.pool)
    .await?;
    let Some(key) = row else {
        return Err(ServiceError::Unauthorized);
    };
    let now = chrono::Utc::now();
    let fresh = key
        .last_used_at
        .as_deref()
        .and_then(db::parse_ts)
        .is_some_and(|t| now - t < LAST_USED_RESOLUTION);
    if !fresh {
        sqlx::query("UPDATE api_keys SET last_used_at = $1 WHERE id = $2")
            .bind(db::ts(now))
            .bind(key.id)
            .execute(&db.pool)
            .await?;
    }
    Ok(ApiPrincipal {
        key_id: key.id,
        account_id: key.account_id,
        user_id: key.user_id,
        scopes: key.scopes.split_whitespace().map(str::to_string).collect(),
        allowed_domain: key.allowed_domain,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_are_normalized() {
        assert_eq!(
            normalize_domain("https://Example.com/path").ok().as_deref(),
            Some("example.com")
        );
        assert_eq!(
            normalize_domain("app.example.com:8443").ok().as_deref(),
            Some("app.example.com")
        );
        assert!(normalize_domain("not a domain").is_err());
        assert!(normalize_domain("").is_err());
    }

    #[test]
    fn token_hash_is_stable_hex() {
        let h = hash_token("dfk_abc");
        assert_eq!(h.len(), 64);
        assert_eq!(h, hash_token("dfk_abc"));
        assert_ne!(h, hash_token("dfk_abd"));
    }
}
