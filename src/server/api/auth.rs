//! API keys on requests: `Authorization: Bearer <token>` or `X-API-Key: <token>`, the key's
//! scopes, and its allowed domain checked against `Origin` / `Referer`.

use axum::http::{header, HeaderMap, StatusCode};

use super::error::{ApiError, Surface};
use crate::server::auth::api_keys::{self, ApiPrincipal};
use crate::server::db::Db;
use crate::server::ServiceError;

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

/// Authenticates the request's key and checks it carries `scope`: 401 without a valid key,
/// 403 without the scope or from a domain the key does not allow.
pub async fn require(
    db: &Db,
    headers: &HeaderMap,
    surface: Surface,
    scope: &str,
) -> Result<ApiPrincipal, ApiError> {
    let Some(token) = token(headers).filter(|t| !t.is_empty()) else {
        return Err(ApiError::new(
            surface,
            StatusCode::UNAUTHORIZED,
            "UNAUTHORIZED",
            "an API key is required (Authorization: Bearer <key> or X-API-Key: <key>)",
        ));
    };
    let key = match api_keys::authenticate(db, token).await {
        Ok(k) => k,
        Err(ServiceError::Unauthorized) => {
            return Err(ApiError::new(
                surface,
                StatusCode::UNAUTHORIZED,
                "UNAUTHORIZED",
                "the API key is invalid or revoked",
            ))
        }
        Err(e) => return Err(ApiError::from_service(surface, e)),
    };
    tracing::Span::current().record("account_id", key.account_id);
    if let Some(domain) = &key.allowed_domain {
        let allowed = calling_host(headers)
            .is_some_and(|h| h == *domain || h.ends_with(&format!(".{domain}")));
        if !allowed {
            return Err(ApiError::new(
                surface,
                StatusCode::FORBIDDEN,
                "DOMAIN_NOT_ALLOWED",
                format!("this API key only accepts requests from {domain} (Origin or Referer)"),
            ));
        }
    }
    if !key.has_scope(scope) {
        return Err(ApiError::new(
            surface,
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
