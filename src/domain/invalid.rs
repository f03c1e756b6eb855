//! [`Invalid`]: a value that breaks a rule, named by the field it came in.

use serde::{Deserialize, Serialize};

use super::problem::Problem;

/// A value that breaks a rule: the field it came in and why. The server's services turn it
/// into their validation error, which every surface answers with the field named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{field}: {message}")]
pub struct Invalid {
    /// The input's machine name (`title`, `items[2].quantity`): surfaces find the input by it.
    pub field: String,
    /// Why; its `Display` is the English sentence.
    pub message: Problem,
}

impl Invalid {
    pub fn new(field: impl Into<String>, message: impl Into<Problem>) -> Self {
        Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The same complaint about a field that a surface calls otherwise (`title` → `name`).
    pub fn renamed(self, from: &str, to: &str) -> Self {
        if self.field == from {
            Invalid::new(to, self.message)
        } else {
            self
        }
    }

    /// The same complaint about a field nested in `prefix` (`email` → `person.email`).
    pub fn nested(self, prefix: &str) -> Self {
        Invalid::new(format!("{prefix}.{}", self.field), self.message)
    }
}
