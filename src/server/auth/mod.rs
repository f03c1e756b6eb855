//! Authentication and permissions: passwords, sessions, API keys and the signed-in user.

pub mod api_keys;
pub mod password;
pub mod session_store;
pub mod session_user;
pub mod totp;

pub use session_store::SESSION_USER_KEY;
pub use session_user::current_user;

use super::error::{ServiceError, ServiceResult};
use crate::domain::CurrentUser;

/// `n` random bytes from the operating system's generator, as lowercase hex (tokens, secrets).
pub fn random_hex(n: usize) -> String {
    use rand::RngCore;
    let mut bytes = vec![0u8; n];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Refuses users who may not configure the account (role sales).
pub fn require_configure(user: &CurrentUser) -> ServiceResult<()> {
    if user.role.can_configure() {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(
            "only owners and admins may change settings".into(),
        ))
    }
}
