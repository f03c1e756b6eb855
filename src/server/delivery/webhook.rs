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

/// IPv4 ranges no webhook may reach: every block of IANA's IPv4 Special-Purpose Address
/// Registry (RFC 6890 and its updates), whole, plus multicast; `(network, prefix length)`.
const INTERNAL_V4: &[([u8; 4], u8)] = &[
    ([0, 0, 0, 0], 8),       // "this network"
    ([10, 0, 0, 0], 8),      // private
    ([100, 64, 0, 0], 10),   // shared address space (carrier-grade NAT)
    ([127, 0, 0, 0], 8),     // loopback
    ([169, 254, 0, 0], 16),  // link-local (cloud metadata services)
    ([172, 16, 0, 0], 12),   // private
    ([192, 0, 0, 0], 24),    // IETF protocol assignments
    ([192, 0, 2, 0], 24),    // documentation (TEST-NET-1)
    ([192, 31, 196, 0], 24), // AS112-v4
    ([192, 52, 193, 0], 24), // AMT
    ([192, 88, 99, 0], 24),  // 6to4 relay anycast (deprecated)
    ([192, 168, 0, 0], 16),  // private
    ([192, 175, 48, 0], 24), // direct delegation AS112 service
    ([198, 18, 0, 0], 15),   // benchmarking
    ([198, 51, 100, 0], 24), // documentation (TEST-NET-2)
    ([203, 0, 113, 0], 24),  // documentation (TEST-NET-3)
    ([224, 0, 0, 0], 4),     // multicast
    ([240, 0, 0, 0], 4),     // reserved, and the limited broadcast address
];

/// IPv6 ranges no webhook may reach: every block of IANA's IPv6 Special-Purpose Address
/// Registry, whole, plus multicast and the deprecated site-local block. The blocks that embed
/// an IPv4 address (IPv4-compatible, NAT64, 6to4, Teredo) are refused outright: the address
/// they lead to is decided by a translator, not by this check. IPv4-mapped addresses are
/// judged by the IPv4 address they carry.
const INTERNAL_V6: &[([u16; 8], u8)] = &[
    ([0, 0, 0, 0, 0, 0, 0, 0], 96), // unspecified, loopback, IPv4-compatible
    ([0x64, 0xff9b, 0, 0, 0, 0, 0, 0], 96), // NAT64 (well-known prefix)
    ([0x64, 0xff9b, 1, 0, 0, 0, 0, 0], 48), // NAT64 (local use)
    ([0x100, 0, 0, 0, 0, 0, 0, 0], 64), // discard-only
    ([0x2001, 0, 0, 0, 0, 0, 0, 0], 23), // IETF protocol assignments (Teredo included)
    ([0x2001, 0xdb8, 0, 0, 0, 0, 0, 0], 32), // documentation
    ([0x2002, 0, 0, 0, 0, 0, 0, 0], 16), // 6to4
    ([0x2620, 0x4f, 0x8000, 0, 0, 0, 0, 0], 48), // direct delegation AS112 service
    ([0x3fff, 0, 0, 0, 0, 0, 0, 0], 20), // documentation
    ([0x5f00, 0, 0, 0, 0, 0, 0, 0], 16), // segment routing (SRv6) SIDs
    ([0xfc00, 0, 0, 0, 0, 0, 0, 0], 7), // unique local
    ([0xfe80, 0, 0, 0, 0, 0, 0, 0], 10), // link-local
    ([0xfec0, 0, 0, 0, 0, 0, 0, 0], 10), // site-local (deprecated)
    ([0xff00, 0, 0, 0, 0, 0, 0, 0], 8), // multicast
];

/// Whether `addr` lies in the block `net/len` (bits compared from the left).
fn in_block(addr: u128, net: u128, len: u8, width: u32) -> bool {
    let len = u32::from(len);
    len == 0 || (addr ^ net) >> (width - len) == 0
}

/// Whether an address is internal: in one of IANA's special-purpose blocks (loopback,
/// private, link-local, shared, documentation, benchmarking, translation, …) or multicast.
/// An IPv4-mapped IPv6 address is judged by its IPv4 address.
pub fn is_internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let addr = u128::from(u32::from(v4));
            INTERNAL_V4
                .iter()
                .any(|(net, len)| in_block(addr, u128::from(u32::from_be_bytes(*net)), *len, 32))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_internal(IpAddr::V4(v4));
            }
            let addr = u128::from(v6);
            INTERNAL_V6.iter().any(|(net, len)| {
                in_block(addr, u128::from(std::net::Ipv6Addr::from(*net)), *len, 128)
            })
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
        // `HTTP_PROXY` and friends are not obeyed: a proxy would make the call to an address
        // this module never checked.
        .no_proxy()
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
            // Found reachable or unclassified by a probe.
            "192.0.0.1",
            "192.0.0.170",
            "::7f00:1",
            "::10.0.0.1",
            "64:ff9b::a00:1",
            "64:ff9b::7f00:1",
            "64:ff9b:1::1",
            "2002:7f00:1::",
            "2002:a00:1::1",
            "fec0::1",
            "fed0::1",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2",
            "2001:db8::1",
            "3fff::1",
            "100::1",
            "255.255.255.255",
            "224.0.0.1",
            "ff02::1",
            "198.18.0.1",
            "192.88.99.1",
        ] {
            assert!(is_internal(ip.parse().unwrap()), "{ip}");
        }
        for ip in [
            "93.184.216.34",
            "8.8.8.8",
            "1.1.1.1",
            "2606:4700::1111",
            "2a00:1450:4001:80b::200e",
            "192.0.1.1",
            "11.0.0.1",
            "172.32.0.1",
            "100.128.0.1",
            "::ffff:8.8.8.8",
            "2001:200::1",
        ] {
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
