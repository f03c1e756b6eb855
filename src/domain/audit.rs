//! The account's audit log: who did what to the account's people, access and configuration,
//! when and from which address. Rows are written in the transaction of the change they record
//! and never edited.

use serde::{Deserialize, Serialize};

macro_rules! actions {
    ($($variant:ident => $key:literal,)*) => {
        /// What an audit row records. Its key is what is stored and what the filter and the
        /// CSV carry; its label is `audit-action-{key}` in each language.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum AuditAction {
            $($variant,)*
        }

        impl AuditAction {
            /// Every action, in the order the filter lists them.
            pub const ALL: &'static [AuditAction] = &[$(AuditAction::$variant,)*];

            /// The stored key.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(AuditAction::$variant => $key,)*
                }
            }

            /// The action of a stored key.
            pub fn parse(key: &str) -> Option<Self> {
                match key {
                    $($key => Some(AuditAction::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

actions! {
    SignedIn => "signed_in",
    SignInFailed => "sign_in_failed",
    CodeRefused => "code_refused",
    PasswordChanged => "password_changed",
    PasswordReset => "password_reset",
    TwoFactorOn => "two_factor_on",
    TwoFactorOff => "two_factor_off",
    TwoFactorCleared => "two_factor_cleared",
    RecoveryCodesRenewed => "recovery_codes_renewed",
    TwoFactorRequired => "two_factor_required",
    TwoFactorOptional => "two_factor_optional",
    InvitationSent => "invitation_sent",
    InvitationResent => "invitation_resent",
    InvitationRevoked => "invitation_revoked",
    InvitationAccepted => "invitation_accepted",
    UserAdded => "user_added",
    RoleChanged => "role_changed",
    UserDeactivated => "user_deactivated",
    UserReactivated => "user_reactivated",
    ApiKeyCreated => "api_key_created",
    ApiKeyRevoked => "api_key_revoked",
    AutomationCreated => "automation_created",
    AutomationChanged => "automation_changed",
    AutomationDeleted => "automation_deleted",
    PipelineCreated => "pipeline_created",
    PipelineChanged => "pipeline_changed",
    PipelineDeleted => "pipeline_deleted",
    StageCreated => "stage_created",
    StageChanged => "stage_changed",
    StageDeleted => "stage_deleted",
    StagesReordered => "stages_reordered",
    DealDeleted => "deal_deleted",
    ImportStarted => "import_started",
    ImportFinished => "import_finished",
    RetentionChanged => "retention_changed",
    CurrenciesChanged => "currencies_changed",
}

/// One row of the log as the page and the CSV show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    /// When, as stored (UTC).
    pub at: String,
    /// The user who acted, as named then ("" for the server itself).
    pub actor: String,
    /// The API key the change came through, as named then.
    pub api_key: Option<String>,
    pub action: AuditAction,
    /// What it was done to (a user's e-mail, a pipeline's name, a deal's title …).
    pub subject: String,
    /// More about it (`sales → admin`, the count of rows imported …).
    pub detail: Option<String>,
    /// The client's address, when the change came from a request.
    pub address: Option<String>,
}

/// Rows shown on one page of the log.
pub const AUDIT_PAGE: i64 = 50;

#[cfg(test)]
mod tests {
    use super::AuditAction;

    #[test]
    fn every_action_reads_back_from_its_key() {
        let mut keys = std::collections::HashSet::new();
        for a in AuditAction::ALL {
            assert_eq!(AuditAction::parse(a.as_str()), Some(*a));
            assert!(keys.insert(a.as_str()), "{} twice", a.as_str());
        }
        assert_eq!(AuditAction::parse("nothing"), None);
    }
}
