//! Authentication and permissions: passwords, sessions, API keys and the signed-in user.

pub mod api_keys;
pub mod password;
pub mod session_store;
pub mod session_user;

pub use session_user::{current_user, SESSION_USER_KEY};

use super::error::{ServiceError, ServiceResult};
use crate::domain::CurrentUser;

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
