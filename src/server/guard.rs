//! Limits in front of every route: who the client is, and how often they may knock.
//!
//! The client's address is the connection's peer; `X-Forwarded-For` is believed only when that
//! peer is one of the trusted proxies (`DEALFLOW_TRUSTED_PROXIES`), and then its rightmost
//! address that is not itself a trusted proxy is the client. Each request carries it as a
//! [`ClientAddr`] extension.
//!
//! Rate limits, per client address and per family of routes, each with its own budget
//! (`DEALFLOW_RATE_LIMITS`): signing in, the lead intake, the quote portal, and the JSON API
//! as a whole. A request over budget gets 429 with `Retry-After` (seconds), in the API
//! surface's own error shape on API paths. Budgets are kept in memory per app instance.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderValue, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use super::api::error::{fallback, ApiError};

/// The client's address, as [`client_addr`] decided it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub IpAddr);

/// A block of addresses, `address/prefix length`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    net: IpAddr,
    len: u8,
}

impl Block {
    fn contains(&self, ip: IpAddr) -> bool {
        let (addr, net, width) = match (ip, self.net) {
            (IpAddr::V4(a), IpAddr::V4(n)) => {
                (u128::from(u32::from(a)), u128::from(u32::from(n)), 32)
            }
            (IpAddr::V6(a), IpAddr::V6(n)) => (u128::from(a), u128::from(n), 128),
            (IpAddr::V6(a), IpAddr::V4(_)) => match a.to_ipv4_mapped() {
                Some(a) => return self.contains(IpAddr::V4(a)),
                None => return false,
            },
            (IpAddr::V4(_), IpAddr::V6(_)) => return false,
        };
        let len = u32::from(self.len);
        len == 0 || (addr ^ net) >> (width - len) == 0
    }
}

impl std::str::FromStr for Block {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let (ip, len) = match s.split_once('/') {
            Some((ip, len)) => (ip, Some(len)),
            None => (s, None),
        };
        let net: IpAddr = ip
            .parse()
            .map_err(|_| format!("{s:?} is not an IP address or block"))?;
        let max = if net.is_ipv4() { 32 } else { 128 };
        let len = match len {
            None => max,
            Some(l) => l
                .parse::<u8>()
                .ok()
                .filter(|l| *l <= max)
                .ok_or_else(|| format!("{s:?}: the prefix length must be 0 to {max}"))?,
        };
        Ok(Block { net, len })
    }
}

/// The routes that share one budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// `POST /rpc/login`, and what a link or an e-mail address alone lets one do: accept an
    /// invitation, ask for a reset link, reset a password.
    SignIn,
    /// `/integrations/external/deals`.
    Intake,
    /// The quote portal: `/q/…` and its server functions.
    Portal,
    /// Every other JSON API path.
    Api,
}

impl Family {
    const ALL: [Family; 4] = [Family::SignIn, Family::Intake, Family::Portal, Family::Api];

    fn name(self) -> &'static str {
        match self {
            Family::SignIn => "sign_in",
            Family::Intake => "intake",
            Family::Portal => "portal",
            Family::Api => "api",
        }
    }

    /// Requests allowed per minute from one address by default.
    fn default_per_minute(self) -> u32 {
        match self {
            Family::SignIn => 10,
            Family::Intake => 120,
            Family::Portal => 120,
            Family::Api => 1200,
        }
    }

    /// The family of a request to `path`, if it has one.
    pub fn of(path: &str) -> Option<Family> {
        if matches!(
            path,
            "/rpc/login"
                | "/rpc/accept_invitation"
                | "/rpc/forgot_password"
                | "/rpc/reset_password"
                | "/rpc/finish_sign_in"
        ) {
            Some(Family::SignIn)
        } else if path.starts_with("/integrations/external/deals") {
            Some(Family::Intake)
        } else if path.starts_with("/q/") || path.starts_with("/rpc/portal_") {
            Some(Family::Portal)
        } else if super::api::is_api_path(path) {
            Some(Family::Api)
        } else {
            None
        }
    }
}

/// One family's budget: requests per minute, spent evenly (a full minute's worth may come at
/// once after a quiet minute).
struct Budget {
    family: Family,
    limiter: DefaultKeyedRateLimiter<IpAddr>,
}

/// The trusted proxies and the budgets of one app instance.
#[derive(Clone)]
pub struct Guard {
    inner: Arc<Inner>,
}

struct Inner {
    trusted: Vec<Block>,
    budgets: Vec<Budget>,
    /// Unix seconds of the last sweep of forgotten addresses.
    swept: AtomicU64,
}

impl std::fmt::Debug for Guard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Guard")
            .field("trusted", &self.inner.trusted)
            .field(
                "budgets",
                &self
                    .inner
                    .budgets
                    .iter()
                    .map(|b| b.family.name())
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl Guard {
    /// Trusted proxies and per-minute budgets; a family left out of `per_minute` (or given 0)
    /// is not limited.
    pub fn new(trusted: Vec<Block>, per_minute: &[(Family, u32)]) -> Guard {
        let budgets = per_minute
            .iter()
            .filter_map(|(family, n)| {
                let n = NonZeroU32::new(*n)?;
                Some(Budget {
                    family: *family,
                    limiter: RateLimiter::keyed(Quota::per_minute(n)),
                })
            })
            .collect();
        Guard {
            inner: Arc::new(Inner {
                trusted,
                budgets,
                swept: AtomicU64::new(0),
            }),
        }
    }

    /// No budget and no trusted proxy.
    pub fn unlimited() -> Guard {
        Guard::new(Vec::new(), &[])
    }

    /// From the environment: `DEALFLOW_TRUSTED_PROXIES` (addresses or blocks, comma-separated)
    /// and `DEALFLOW_RATE_LIMITS` (`sign_in=10,intake=120,portal=120,api=1200`: requests per
    /// minute per address, 0 for no limit; families left out keep their default).
    pub fn from_env() -> Result<Guard, String> {
        let trusted = std::env::var("DEALFLOW_TRUSTED_PROXIES")
            .unwrap_or_default()
            .split(',')
            .filter(|s| !s.trim().is_empty())
            .map(str::parse)
            .collect::<Result<Vec<Block>, String>>()
            .map_err(|e| format!("DEALFLOW_TRUSTED_PROXIES: {e}"))?;
        let mut budgets: Vec<(Family, u32)> = Family::ALL
            .iter()
            .map(|f| (*f, f.default_per_minute()))
            .collect();
        for part in std::env::var("DEALFLOW_RATE_LIMITS")
            .unwrap_or_default()
            .split(',')
            .filter(|s| !s.trim().is_empty())
        {
            let (name, n) = part
                .split_once('=')
                .ok_or_else(|| format!("DEALFLOW_RATE_LIMITS: {part:?} is not name=number"))?;
            let n: u32 = n
                .trim()
                .parse()
                .map_err(|_| format!("DEALFLOW_RATE_LIMITS: {n:?} is not a number"))?;
            let slot = budgets
                .iter_mut()
                .find(|(f, _)| f.name() == name.trim())
                .ok_or_else(|| {
                    format!("DEALFLOW_RATE_LIMITS: unknown family {name:?} (sign_in, intake, portal, api)")
                })?;
            slot.1 = n;
        }
        Ok(Guard::new(trusted, &budgets))
    }

    /// The client's address: the peer, or, when the peer is a trusted proxy, the rightmost
    /// address of `X-Forwarded-For` that is not a trusted proxy.
    pub fn client_addr(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> IpAddr {
        let Some(peer) = peer else {
            return IpAddr::V4(Ipv4Addr::UNSPECIFIED);
        };
        let trusted = |ip: IpAddr| self.inner.trusted.iter().any(|b| b.contains(ip));
        if !trusted(peer) {
            return peer;
        }
        let hops: Vec<IpAddr> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|hop| parse_hop(hop.trim()))
            .collect();
        hops.iter()
            .rev()
            .find(|ip| !trusted(**ip))
            .or(hops.first())
            .copied()
            .unwrap_or(peer)
    }

    /// `None` when `client` may make a request of `family` now; else how long to wait.
    pub fn check(&self, family: Family, client: IpAddr) -> Option<Duration> {
        self.sweep();
        let budget = self.inner.budgets.iter().find(|b| b.family == family)?;
        budget
            .limiter
            .check_key(&client)
            .err()
            .map(|not_until| not_until.wait_time_from(budget.limiter.clock().now()))
    }

    /// Forgets addresses whose budget is full again, at most once a minute.
    fn sweep(&self) {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let last = self.inner.swept.load(Ordering::Relaxed);
        if now.saturating_sub(last) < 60
            || self
                .inner
                .swept
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_err()
        {
            return;
        }
        for b in &self.inner.budgets {
            b.limiter.retain_recent();
            b.limiter.shrink_to_fit();
        }
    }
}

/// An `X-Forwarded-For` entry: an address, possibly with a port (`1.2.3.4:5`, `[::1]:5`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

/// Middleware: records the [`ClientAddr`] and answers 429 to a request over its family's
/// budget.
pub async fn limit(State(guard): State<Guard>, mut req: Request<Body>, next: Next) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let client = guard.client_addr(peer, req.headers());
    req.extensions_mut().insert(ClientAddr(client));
    let path = req.uri().path();
    let family = Family::of(path).filter(|f| {
        // Only signing in itself counts against the sign-in budget, not the login page.
        *f != Family::SignIn || req.method() == axum::http::Method::POST
    });
    let Some(wait) = family.and_then(|f| guard.check(f, client)) else {
        return super::origin::scope(client, next.run(req)).await;
    };
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let retry_after = HeaderValue::from(seconds.max(1));
    tracing::warn!(%client, %path, "rate limit reached");
    let mut res = if super::api::is_api_path(path) {
        fallback(path, ApiError::rate_limited)
    } else {
        (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Too many requests from this address. Wait a moment and try again.",
        )
            .into_response()
    };
    res.headers_mut().insert(header::RETRY_AFTER, retry_after);
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in xff {
            h.append("x-forwarded-for", HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let guard = Guard::new(vec!["10.0.0.0/8".parse().unwrap()], &[]);
        let spoofed = headers(&["6.6.6.6"]);
        assert_eq!(
            guard.client_addr(Some(ip("8.8.8.8")), &spoofed),
            ip("8.8.8.8")
        );
        assert_eq!(
            guard.client_addr(Some(ip("10.0.0.2")), &spoofed),
            ip("6.6.6.6")
        );
        // The client may prepend anything; the proxy appends what it saw.
        let chain = headers(&["6.6.6.6, 1.2.3.4", "10.0.0.3"]);
        assert_eq!(
            guard.client_addr(Some(ip("10.0.0.2")), &chain),
            ip("1.2.3.4")
        );
        assert_eq!(
            guard.client_addr(Some(ip("10.0.0.2")), &headers(&["[2001:db8::1]:443"])),
            ip("2001:db8::1")
        );
        assert_eq!(
            guard.client_addr(Some(ip("10.0.0.2")), &headers(&[])),
            ip("10.0.0.2")
        );
        assert!("10.0.0.0/33".parse::<Block>().is_err());
        assert!("nope".parse::<Block>().is_err());
    }

    #[test]
    fn each_family_spends_its_own_budget() {
        let guard = Guard::new(vec![], &[(Family::SignIn, 2), (Family::Api, 0)]);
        let a: IpAddr = "1.1.1.1".parse().unwrap();
        let b: IpAddr = "2.2.2.2".parse().unwrap();
        assert_eq!(guard.check(Family::SignIn, a), None);
        assert_eq!(guard.check(Family::SignIn, a), None);
        let wait = guard.check(Family::SignIn, a).expect("over budget");
        assert!(
            wait > Duration::ZERO && wait <= Duration::from_secs(30),
            "{wait:?}"
        );
        assert_eq!(guard.check(Family::SignIn, b), None, "another address");
        for _ in 0..100 {
            assert_eq!(guard.check(Family::Api, a), None, "0 is no limit");
        }
        assert_eq!(Family::of("/rpc/login"), Some(Family::SignIn));
        assert_eq!(
            Family::of("/integrations/external/deals"),
            Some(Family::Intake)
        );
        assert_eq!(Family::of("/q/abc"), Some(Family::Portal));
        assert_eq!(Family::of("/v1/opportunities"), Some(Family::Api));
        assert_eq!(Family::of("/deals/1"), None);
    }
}
