//! Webhook calls: a signed JSON POST with a 5-second limit. The target's addresses are resolved
//! and checked before any packet is sent: loopback, private, link-local and other internal
//! ranges are refused unless the operator allows them (`DEALFLOW_ALLOW_PRIVATE_WEBHOOKS=1`), and
//! the call then goes to the address that was checked (no second lookup, no redirects).
//!
//! Each call carries `X-Dealflow-Timestamp` (Unix seconds) and `X-Dealflow-Signature:
//! sha256=<hex>`, the HMAC-SHA256 of `"{timestamp}.{body}"` under the account's webhook secret,
//! so a receiver can check that the call is ours and recent.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use serde_json::{Map, Value};

/// How long a webhook may take to answer.
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// Where webhooks may go.
#[derive(Clone, Copy, Debug, Default)]
pub struct WebhookPolicy {
    /// Allow loopback and private targets (tests, on-premises receivers).
    pub allow_private: bool,
}

/// Whether an address is internal: loopback, private, link-local, shared, unspecified,
/// broadcast, multicast or documentation ranges (IPv4-mapped IPv6 included).
pub fn is_internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b)) // shared address space (CGNAT)
                || (a == 198 && (b == 18 || b == 19)) // benchmarking
                || a >= 240 // reserved
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_internal(IpAddr::V4(v4));
            }
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || v6.is_unique_local()
                || v6.is_unicast_link_local()
        }
    }
}

/// Resolves the URL's host and checks every address against the policy; returns the address
/// to call. `Err` says why the target is refused.
pub async fn check_target(url: &reqwest::Url, policy: WebhookPolicy) -> Result<SocketAddr, String> {
    let host = url.host_str().ok_or("the URL names no host")?;
    let port = url.port_or_known_default().ok_or("the URL names no port")?;
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let addrs: Vec<SocketAddr> = match bare.parse::<IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, port)],
        Err(_) => tokio::net::lookup_host((bare, port))
            .await
            .map_err(|e| format!("cannot resolve {host}: {e}"))?
            .collect(),
    };
    let first = *addrs
        .first()
        .ok_or_else(|| format!("{host} has no address"))?;
    if !policy.allow_private {
        if let Some(bad) = addrs.iter().find(|a| is_internal(a.ip())) {
            return Err(format!(
                "refused: {host} resolves to {}, an internal address",
                bad.ip()
            ));
        }
    }
    Ok(first)
}

/// Header with the call's Unix time.
pub const TIMESTAMP_HEADER: &str = "X-Dealflow-Timestamp";
/// Header with `sha256=<hex HMAC>`.
pub const SIGNATURE_HEADER: &str = "X-Dealflow-Signature";

/// The signature header's value for `body` sent at `timestamp` under `secret`.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// How one call ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A 2xx answer.
    Delivered(u16),
    /// Worth another try: the connection failed, or the receiver answered 5xx.
    Retry(Option<u16>, String),
    /// Not worth another try: a refused target, a time-out (the receiver may have acted on the
    /// call), a 4xx answer.
    Failed(Option<u16>, String),
}

/// POSTs `payload` to `url` with the extra `headers`, signed with `secret`.
pub async fn post(
    url: &str,
    headers: &Map<String, Value>,
    payload: &Value,
    secret: &str,
    policy: WebhookPolicy,
) -> Outcome {
    match call(url, headers, payload, secret, policy).await {
        Ok(status) if (200..300).contains(&status) => Outcome::Delivered(status),
        Ok(status) if status >= 500 => {
            Outcome::Retry(Some(status), format!("webhook answered HTTP {status}"))
        }
        Ok(status) => Outcome::Failed(Some(status), format!("webhook answered HTTP {status}")),
        Err(e) => e,
    }
}

async fn call(
    url: &str,
    headers: &Map<String, Value>,
    payload: &Value,
    secret: &str,
    policy: WebhookPolicy,
) -> Result<u16, Outcome> {
    let fail = |e: String| Outcome::Failed(None, e);
    let parsed = reqwest::Url::parse(url).map_err(|e| fail(format!("bad URL: {e}")))?;
    let addr = check_target(&parsed, policy).await.map_err(fail)?;
    let host = parsed.host_str().unwrap_or_default().to_string();
    let client = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .resolve(&host, addr)
        .user_agent(concat!("Dealflow/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| fail(format!("cannot make an HTTP client: {e}")))?;
    let body = serde_json::to_vec(payload).unwrap_or_default();
    let timestamp = chrono::Utc::now().timestamp();
    let mut req = client
        .post(parsed)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(TIMESTAMP_HEADER, timestamp.to_string())
        .header(SIGNATURE_HEADER, signature(secret, timestamp, &body))
        .body(body);
    for (name, value) in headers {
        if let Some(v) = value.as_str() {
            req = req.header(name.as_str(), v);
        }
    }
    let res = req.send().await.map_err(|e| {
        if e.is_timeout() {
            fail(format!("webhook timed out after {} s", TIMEOUT.as_secs()))
        } else if e.is_connect() {
            Outcome::Retry(None, format!("cannot connect to {host}: {e}"))
        } else {
            Outcome::Retry(None, format!("webhook call failed: {e}"))
        }
    })?;
    Ok(res.status().as_u16())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_hmac_sha256_of_timestamp_and_body() {
        // Expected values computed independently (Python's hmac module).
        assert_eq!(
            signature("key", 1_700_000_000, b"{}"),
            "sha256=9d713ed406bb7076d4123f0dc2c39d2df5c654ed4b0cd56b52c8b4c940bd63ae"
        );
        assert_eq!(
            signature("Jefe", 0, b"what do ya want for nothing?"),
            "sha256=37f471929915ccd2cbbe79feb84ffcff4f2bb25e15fc41c2506687331ae179cc"
        );
    }

    #[test]
    fn internal_ranges_are_recognized() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:10.0.0.1",
        ] {
            assert!(is_internal(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.216.34", "8.8.8.8", "2606:4700::1111"] {
            assert!(!is_internal(ip.parse().unwrap()), "{ip}");
        }
    }

    #[tokio::test]
    async fn internal_targets_are_refused_by_address_before_any_call() {
        let deny = WebhookPolicy::default();
        for url in [
            "http://127.0.0.1:9/x",
            "http://10.0.0.5/x",
            "http://169.254.169.254/latest/meta-data",
            "http://[::1]:8080/",
        ] {
            let err = check_target(&reqwest::Url::parse(url).unwrap(), deny)
                .await
                .unwrap_err();
            assert!(err.contains("internal address"), "{url}: {err}");
        }
        let allow = WebhookPolicy {
            allow_private: true,
        };
        let addr = check_target(&reqwest::Url::parse("http://127.0.0.1:9/x").unwrap(), allow)
            .await
            .unwrap();
        assert_eq!(addr, "127.0.0.1:9".parse().unwrap());
    }
}
