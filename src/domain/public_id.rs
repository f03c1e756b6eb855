//! The string ids the public APIs show (`opp_…`, `lead_…`, `user_…`): a prefix and the
//! record's UUID without dashes.

/// `prefix_` followed by the UUID's 32 hex digits.
pub fn public_id(prefix: &str, uuid: &str) -> String {
    format!("{prefix}_{}", uuid.replace('-', ""))
}

/// The stored UUID a public id names, or `None` when the prefix is not `prefix_`. The 32 hex
/// digits of a UUID get their dashes back; any other key is taken as stored.
pub fn uuid_of(prefix: &str, id: &str) -> Option<String> {
    let key = id.trim().strip_prefix(prefix)?.strip_prefix('_')?;
    if key.is_empty() {
        return None;
    }
    if key.len() == 32 && key.chars().all(|c| c.is_ascii_hexdigit()) {
        let k = key.to_ascii_lowercase();
        Some(format!(
            "{}-{}-{}-{}-{}",
            &k[..8],
            &k[8..12],
            &k[12..16],
            &k[16..20],
            &k[20..]
        ))
    } else {
        Some(key.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        let uuid = "3f2a9c1e-7b4d-4e8f-9a0b-1c2d3e4f5a6b";
        let id = public_id("opp", uuid);
        assert_eq!(id, "opp_3f2a9c1e7b4d4e8f9a0b1c2d3e4f5a6b");
        assert_eq!(uuid_of("opp", &id).as_deref(), Some(uuid));
        assert_eq!(
            uuid_of("opp", "opp_abc123def456").as_deref(),
            Some("abc123def456")
        );
        assert_eq!(uuid_of("opp", "lead_abc"), None);
        assert_eq!(uuid_of("opp", "opp_"), None);
    }
}
