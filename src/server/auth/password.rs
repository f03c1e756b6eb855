//! Password hashing with argon2id. Hashing is slow on purpose (tens of milliseconds of CPU),
//! so the async callers ([`hash`], [`verify`]) run it on the blocking pool and at most
//! [`hashing_slots`] at a time: a burst of sign-ins waits its turn instead of taking every
//! core from the requests that do not hash.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

use crate::server::error::{ServiceError, ServiceResult};

/// Shortest password accepted.
pub const MIN_PASSWORD_LEN: usize = 8;

/// Hashes a password (PHC string).
pub fn hash_password(password: &str) -> ServiceResult<String> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(ServiceError::invalid(
            "password",
            format!("must have at least {MIN_PASSWORD_LEN} characters"),
        ));
    }
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ServiceError::Internal(format!("password hashing failed: {e}")))
}

/// Checks a password against a stored hash; a malformed hash never matches.
pub fn verify_password(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// How many hashes may be computed at once: half the cores (at least one).
fn hashing_slots() -> &'static tokio::sync::Semaphore {
    static SLOTS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    SLOTS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        tokio::sync::Semaphore::new((cores / 2).max(1))
    })
}

/// Runs `work` on the blocking pool in one of the [`hashing_slots`].
async fn off_the_async_threads<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> ServiceResult<T> {
    // The semaphore is never closed, so a permit always comes.
    let _slot = hashing_slots().acquire().await.ok();
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ServiceError::Internal(format!("password hashing stopped: {e}")))
}

/// [`hash_password`] off the async threads.
pub async fn hash(password: &str) -> ServiceResult<String> {
    let password = password.to_string();
    off_the_async_threads(move || hash_password(&password)).await?
}

/// [`verify_password`] off the async threads. `None` checks against [`dummy_hash`], so an
/// unknown user costs the same time as a known one.
pub async fn verify(password: &str, hash: Option<String>) -> ServiceResult<bool> {
    let password = password.to_string();
    off_the_async_threads(move || match hash {
        Some(hash) => verify_password(&password, &hash),
        None => {
            let _ = verify_password(&password, dummy_hash());
            false
        }
    })
    .await
}

/// A hash to verify against when the user does not exist, so that the answer takes as long.
pub fn dummy_hash() -> &'static str {
    use std::sync::OnceLock;
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_password("dummy-password-never-matches").unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_and_verifies() {
        let h = hash_password("correct horse").expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong horse", &h));
        assert!(!verify_password("x", "not a hash"));
        assert!(hash_password("short").is_err());
    }
}
