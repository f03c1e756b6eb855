//! Marketing tracking values of a lead, normalized the way the lead intake API documents it:
//!
//! 1. every value is trimmed; empty ones are dropped (numbers and booleans become text);
//! 2. the query parameters of `url_conversion` named `wegly_*`, `utm_*`, `gclid`, `fbclid` or
//!    `conversion_tool_name` are extracted, unless the same key was sent itself;
//! 3. each `utm_<x>` is mirrored to `wegly_<x>` when `wegly_<x>` was not sent;
//! 4. `utm_term` becomes `utm_search_term` when `utm_search_term` was not sent.
//!
//! The tracking code (`wegly_code`) is then looked up among the account's trackers by the
//! intake service.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// Keys taken from `url_conversion` besides the `wegly_` and `utm_` families.
const URL_KEYS: &[&str] = &["gclid", "fbclid", "conversion_tool_name"];

/// The key of the tracking code that may name one of the account's trackers.
pub const TRACKING_CODE: &str = "wegly_code";

/// A marketing value that is not text, a number or a boolean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarketingError {
    pub key: String,
}

/// Normalizes a `marketing` object (see the module documentation).
pub fn normalize(input: &Map<String, Value>) -> Result<BTreeMap<String, String>, MarketingError> {
    let mut out = BTreeMap::new();
    for (key, value) in input {
        let text = match value {
            Value::Null => continue,
            Value::String(s) => s.trim().to_string(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => return Err(MarketingError { key: key.clone() }),
        };
        let key = key.trim();
        if !text.is_empty() && !key.is_empty() {
            out.insert(key.to_string(), text);
        }
    }
    if let Some(url) = out.get("url_conversion").cloned() {
        for (k, v) in query_pairs(&url) {
            let wanted =
                k.starts_with("wegly_") || k.starts_with("utm_") || URL_KEYS.contains(&k.as_str());
            if wanted && !v.is_empty() && !out.contains_key(&k) {
                out.insert(k, v);
            }
        }
    }
    let mirrors: Vec<(String, String)> = out
        .iter()
        .filter_map(|(k, v)| {
            let rest = k.strip_prefix("utm_")?;
            let mirror = format!("wegly_{rest}");
            (!rest.is_empty() && !out.contains_key(&mirror)).then(|| (mirror, v.clone()))
        })
        .collect();
    out.extend(mirrors);
    if !out.contains_key("utm_search_term") {
        if let Some(term) = out.remove("utm_term") {
            out.insert("utm_search_term".into(), term);
        }
    }
    Ok(out)
}

/// The decoded query parameters of a URL (first occurrence of each key wins), trimmed.
fn query_pairs(url: &str) -> Vec<(String, String)> {
    let query = url.split_once('?').map(|(_, q)| q).unwrap_or("");
    let query = query.split('#').next().unwrap_or("");
    let mut seen = Vec::<(String, String)>::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let (k, v) = (decode(k), decode(v).trim().to_string());
        if !seen.iter().any(|(sk, _)| *sk == k) {
            seen.push((k, v));
        }
    }
    seen
}

/// Percent-decoding with `+` as a space; malformed escapes are kept as written.
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn norm(v: Value) -> BTreeMap<String, String> {
        normalize(v.as_object().unwrap()).unwrap()
    }

    #[test]
    fn the_documents_url_conversion_is_unpacked() {
        let m = norm(json!({
            "url_conversion": "https://landing.wegly.com.br/obrigado?wegly_code=OPP123&utm_campaign=crm-enterprise&gclid=XYZ"
        }));
        assert_eq!(m["wegly_code"], "OPP123");
        assert_eq!(m["utm_campaign"], "crm-enterprise");
        assert_eq!(m["wegly_campaign"], "crm-enterprise", "utm_* mirrored");
        assert_eq!(m["gclid"], "XYZ");
        assert!(m["url_conversion"].starts_with("https://landing"));
    }

    #[test]
    fn values_are_trimmed_and_empty_ones_dropped() {
        let m =
            norm(json!({"utm_source": "  google ", "utm_medium": "   ", "wegly_x": null, "n": 5}));
        assert_eq!(m["utm_source"], "google");
        assert!(!m.contains_key("utm_medium"));
        assert!(!m.contains_key("wegly_medium"));
        assert!(!m.contains_key("wegly_x"));
        assert_eq!(m["n"], "5");
        assert!(normalize(json!({"a": [1]}).as_object().unwrap()).is_err());
    }

    #[test]
    fn sent_values_win_over_mirrors_and_the_url() {
        let m = norm(json!({
            "utm_source": "google", "wegly_source": "own",
            "gclid": "SENT", "url_conversion": "https://x.test/?gclid=URL&fbclid=F%20B&utm_term=crm+tool&other=1"
        }));
        assert_eq!(m["wegly_source"], "own");
        assert_eq!(m["gclid"], "SENT");
        assert_eq!(m["fbclid"], "F B", "decoded");
        assert!(!m.contains_key("other"), "only tracking parameters");
        assert_eq!(
            m["utm_search_term"], "crm tool",
            "utm_term becomes utm_search_term"
        );
        assert!(!m.contains_key("utm_term"));
        assert_eq!(m["wegly_term"], "crm tool");
    }

    #[test]
    fn utm_term_stays_when_the_specific_field_is_sent() {
        let m = norm(json!({"utm_term": "a", "utm_search_term": "b"}));
        assert_eq!(m["utm_term"], "a");
        assert_eq!(m["utm_search_term"], "b");
    }
}
