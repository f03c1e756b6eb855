//! API keys on requests: `Authorization: Bearer <token>` or `X-API-Key: <token>`, the key's
//! scopes, and its allowed domain checked against `Origin` / `Referer`.

use crate::domain::AccountId;
use std::marker::PhantomData;

use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};

use super::error::{Accounts, ApiError, Shape, Standard};
use crate::server::auth::api_keys::{self, ApiPrincipal};
use crate::server::db::Db;
use crate::server::services::Actor;
use crate::server::{AppState, ServiceError};

/// The token a request carries, if any.
fn token(headers: &HeaderMap) -> Option<&str> {
    if let Some(v) = headers.get("x-api-key").and_then(|v| v.to_str().ok()) {
        return Some(v.trim());
    }
    let auth = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, rest) = auth.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
}

/// The host named by `Origin`, or else by `Referer`.
fn calling_host(headers: &HeaderMap) -> Option<String> {
    [header::ORIGIN, header::REFERER].iter().find_map(|h| {
        let v = headers.get(h)?.to_str().ok()?;
        let rest = v.split_once("://").map(|(_, r)| r).unwrap_or(v);
        let host = rest
            .split(['/', ':', '?', '#'])
            .next()?
            .to_ascii_lowercase();
        (!host.is_empty()).then_some(host)
    })
}

/// A permission an API key may carry, as a type: handlers name the scope they need in their
/// [`Key`] argument.
pub trait Scope: Send + Sync + 'static {
    const NAME: &'static str;
}

macro_rules! scopes {
    ($($(#[$doc:meta])* $name:ident = $scope:literal;)*) => {
        $(
            $(#[$doc])*
            #[derive(Debug, Clone, Copy)]
            pub struct $name;
            impl Scope for $name {
                const NAME: &'static str = $scope;
            }
        )*
    };
}

scopes! {
    /// `opportunities:read`
    OpportunitiesRead = "opportunities:read";
    /// `opportunities:write`
    OpportunitiesWrite = "opportunities:write";
    /// `activities:read`
    ActivitiesRead = "activities:read";
    /// `activities:write`
    ActivitiesWrite = "activities:write";
    /// `deals:read`
    DealsRead = "deals:read";
    /// `deals:write`
    DealsWrite = "deals:write";
    /// `config:manage`
    ConfigManage = "config:manage";
    /// `contacts:read`
    ContactsRead = "contacts:read";
    /// `contacts:write`
    ContactsWrite = "contacts:write";
    /// `users:read`
    UsersRead = "users:read";
    /// `users:write`
    UsersWrite = "users:write";
}

/// The request's API key, authenticated and carrying scope `Sc`: 401 without a valid key,
/// 403 without the scope or from a domain the key does not allow, in the shape of surface `S`.
#[derive(Debug)]
pub struct Key<Sc, S = Standard> {
    pub principal: ApiPrincipal,
    marker: PhantomData<fn() -> (Sc, S)>,
}

impl<Sc, S> Key<Sc, S> {
    /// Who acts: the key's account, and its user when it has one.
    pub fn actor(&self) -> Actor {
        Actor::from(&self.principal)
    }
}

impl<Sc: Scope, S: Shape> FromRequestParts<AppState> for Key<Sc, S> {
    type Rejection = ApiError<S>;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let principal = authenticate(&state.db, &parts.headers, Sc::NAME).await?;
        Ok(Key {
            principal,
            marker: PhantomData,
        })
    }
}

/// A [`Key`] whose account is the `{account_id}` of the path (the accounts API); another
/// account's id is "not found", like any record the key's account does not hold.
#[derive(Debug)]
pub struct AccountKey<Sc>(pub Key<Sc, Accounts>);

impl<Sc> AccountKey<Sc> {
    pub fn actor(&self) -> Actor {
        self.0.actor()
    }
}

impl<Sc: Scope> FromRequestParts<AppState> for AccountKey<Sc> {
    type Rejection = ApiError<Accounts>;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let key = Key::<Sc, Accounts>::from_request_parts(parts, state).await?;
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::not_found("account"))?;
        let named = params
            .iter()
            .find(|(name, _)| *name == "account_id")
            .and_then(|(_, value)| value.trim().parse::<AccountId>().ok());
        if named != Some(key.principal.account_id) {
            return Err(ApiError::not_found("account"));
        }
        Ok(AccountKey(key))
    }
}

/// Authenticates the request's key and checks it carries `scope`.
async fn authenticate<S>(
    db: &Db,
    headers: &HeaderMap,
    scope: &str,
) -> Result<ApiPrincipal, ApiError<S>> {
    let Some(token) = token(headers).filter(|t| !t.is_empty()) else {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
            "an API key is required (Authorization: Bearer <key> or X-API-Key: <key>)",
        ));
    };
    let key = match api_keys::authenticate(db, token).await {
        Ok(k) => k,
        Err(ServiceError::Unauthorized) => {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "UNAUTHORIZED",
                "the API key is invalid or revoked",
            ))
        }
        Err(e) => return Err(e.into()),
    };
    tracing::Span::current().record("account_id", key.account_id.0);
    crate::server::origin::note_api_key(key.key_id);
    if let Some(domain) = &key.allowed_domain {
        let allowed = calling_host(headers)
            .is_some_and(|h| h == *domain || h.ends_with(&format!(".{domain}")));
        if !allowed {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "DOMAIN_NOT_ALLOWED",
                format!("this API key only accepts requests from {domain} (Origin or Referer)"),
            ));
        }
    }
    if !key.has_scope(scope) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "FORBIDDEN",
            format!("the API key lacks the scope {scope}"),
        ));
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn tokens_come_from_either_header() {
        assert_eq!(
            token(&headers(&[("authorization", "Bearer abc")])),
            Some("abc")
        );
        assert_eq!(
            token(&headers(&[("authorization", "bearer  abc ")])),
            Some("abc")
        );
        assert_eq!(token(&headers(&[("x-api-key", "k1")])), Some("k1"));
        assert_eq!(token(&headers(&[("authorization", "Basic abc")])), None);
        assert_eq!(token(&headers(&[])), None);
    }

    #[test]
    fn the_calling_host_comes_from_origin_or_referer() {
        assert_eq!(
            calling_host(&headers(&[("origin", "https://Shop.Example.com:8443")])).as_deref(),
            Some("shop.example.com")
        );
        assert_eq!(
            calling_host(&headers(&[("referer", "https://example.com/landing?x=1")])).as_deref(),
            Some("example.com")
        );
        assert_eq!(calling_host(&headers(&[])), None);
    }
}
