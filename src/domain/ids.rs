//! Ids of stored records, one type per table, so that an account's id cannot be passed where a
//! deal's is expected. Each is the row's integer key: it serializes as the bare number (JSON,
//! forms, server-function arguments) and binds and decodes as one (`sqlx(transparent)`), so no
//! conversion is written by hand at either edge.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(transparent))]
        pub struct $name(pub i64);

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        #[cfg(feature = "ssr")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                <i64 as utoipa::PartialSchema>::schema()
            }
        }

        #[cfg(feature = "ssr")]
        impl utoipa::ToSchema for $name {}
    )*};
}

ids! {
    /// An account (a tenant): every other record belongs to one.
    AccountId;
    /// A user of an account.
    UserId;
    /// A deal.
    DealId;
    /// A pipeline of an account.
    PipelineId;
    /// A stage of a pipeline.
    StageId;
    /// A contact (a person).
    ContactId;
    /// An organization (a company).
    OrganizationId;
    /// A quote.
    QuoteId;
    /// A product of the catalog.
    ProductId;
    /// An activity (call, meeting, e-mail, task).
    ActivityId;
    /// A note on a deal.
    NoteId;
    InvitationId;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_bare_numbers_on_the_wire() {
        assert_eq!(serde_json::to_string(&DealId(42)).unwrap(), "42");
        assert_eq!(serde_json::from_str::<StageId>("7").unwrap(), StageId(7));
        assert!(serde_json::from_str::<AccountId>("\"7\"").is_err());
        assert_eq!(DealId(42).to_string(), "42");
    }
}
