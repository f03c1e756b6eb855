//! Time-based one-time codes (RFC 6238 over RFC 4226): HMAC-SHA1 of the 30-second step,
//! six digits, the secret shown as base32 (how authenticator apps take it by hand) and in an
//! `otpauth://` QR code drawn as SVG.

use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Seconds a code lasts.
pub const STEP_SECONDS: i64 = 30;
/// Steps either side of now whose code is accepted (clocks drift; people type slowly).
pub const DRIFT_STEPS: i64 = 1;
/// Bytes of a new secret (160 bits, as RFC 4226 recommends).
const SECRET_BYTES: usize = 20;

/// A new random secret, base32 without padding.
pub fn new_secret() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; SECRET_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    data_encoding::BASE32_NOPAD.encode(&bytes)
}

/// The step a Unix time falls in.
pub fn step_at(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(STEP_SECONDS)
}

/// The six-digit code of `secret` (raw bytes) for `step`.
pub fn code(secret: &[u8], step: i64) -> u32 {
    // HMAC takes a key of any length, so this cannot fail.
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(secret) else {
        return u32::MAX;
    };
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[digest.len() - 1] & 0x0f);
    let binary = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    binary % 1_000_000
}

/// The raw bytes of a base32 secret (spaces and case ignored), if it is one.
pub fn decode(secret: &str) -> Option<Vec<u8>> {
    let clean: String = secret
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    data_encoding::BASE32_NOPAD.decode(clean.as_bytes()).ok()
}

/// The step within the drift window around `now_step` whose code `typed` is (six digits,
/// spaces ignored), if any.
pub fn matching_step(secret: &str, typed: &str, now_step: i64) -> Option<i64> {
    let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() != 6 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let typed: u32 = digits.parse().ok()?;
    let key = decode(secret)?;
    (now_step - DRIFT_STEPS..=now_step + DRIFT_STEPS).find(|s| code(&key, *s) == typed)
}

/// The `otpauth://` address an authenticator app reads from the QR code.
pub fn uri(issuer: &str, account: &str, secret: &str) -> String {
    let label = crate::domain::url_encode(&format!("{issuer}:{account}"));
    format!(
        "otpauth://totp/{label}?secret={secret}&issuer={}&algorithm=SHA1&digits=6&period={STEP_SECONDS}",
        crate::domain::url_encode(issuer)
    )
}

/// `text` as a QR code in SVG (black on white, at least 200 px), or `None` when it is too
/// long for one.
pub fn qr_svg(text: &str) -> Option<String> {
    use qrcode::render::svg;
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    Some(
        code.render::<svg::Color>()
            .min_dimensions(200, 200)
            .dark_color(svg::Color("#000000"))
            .light_color(svg::Color("#ffffff"))
            .build(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 rows (the last six of their eight digits).
    #[test]
    fn codes_match_the_rfc_vectors() {
        let key = b"12345678901234567890";
        for (time, eight) in [
            (59, 94287082u32),
            (1111111109, 7081804),
            (1111111111, 14050471),
            (1234567890, 89005924),
            (2000000000, 69279037),
            (20000000000, 65353130),
        ] {
            assert_eq!(code(key, step_at(time)), eight % 1_000_000, "time {time}");
        }
    }

    #[test]
    fn a_code_matches_within_one_step_either_side_only() {
        let secret = data_encoding::BASE32_NOPAD.encode(b"12345678901234567890");
        let key = decode(&secret).expect("base32");
        let now = 1_000_000;
        let typed = format!("{:06}", code(&key, now - 1));
        assert_eq!(matching_step(&secret, &typed, now), Some(now - 1));
        let typed = format!("{:06}", code(&key, now + 1));
        assert_eq!(matching_step(&secret, &typed, now), Some(now + 1));
        let typed = format!("{:06}", code(&key, now - 2));
        assert_eq!(matching_step(&secret, &typed, now), None);
        assert_eq!(matching_step(&secret, "12345", now), None);
        assert_eq!(matching_step(&secret, "abcdef", now), None);
        assert_eq!(matching_step("not base32!", "123456", now), None);
    }

    #[test]
    fn the_qr_code_is_svg_and_the_uri_names_issuer_and_account() {
        let u = uri("Dealflow", "ana@example.com", "JBSWY3DPEHPK3PXP");
        assert!(u.starts_with(
            "otpauth://totp/Dealflow%3Aana%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Dealflow"
        ));
        let svg = qr_svg(&u).expect("fits");
        assert!(svg.contains("<svg") && svg.contains("#000000"));
    }
}
