//! What leaves the server: e-mail over SMTP and webhook calls. Configured once at start-up
//! (`SMTP_URL`, `SMTP_FROM`, `DEALFLOW_ALLOW_PRIVATE_WEBHOOKS`) and shared by the worker.

pub mod mail;
pub mod webhook;

use std::sync::Arc;

/// The outbound channels and their settings.
#[derive(Clone, Debug, Default)]
pub struct Delivery {
    /// `None`: e-mails are kept in the outbox only.
    pub mailer: Option<Arc<mail::Mailer>>,
    pub webhooks: webhook::WebhookPolicy,
}

impl Delivery {
    /// Reads the settings from the environment; a bad `SMTP_URL` is an error at start-up.
    pub fn from_env() -> Result<Delivery, String> {
        let mailer = match std::env::var("SMTP_URL") {
            Ok(url) if !url.trim().is_empty() => {
                let from = std::env::var("SMTP_FROM")
                    .unwrap_or_else(|_| "Dealflow <dealflow@localhost>".into());
                Some(Arc::new(mail::Mailer::new(&url, &from)?))
            }
            _ => None,
        };
        let allow_private = matches!(
            std::env::var("DEALFLOW_ALLOW_PRIVATE_WEBHOOKS").as_deref(),
            Ok("1" | "true" | "yes")
        );
        Ok(Delivery {
            mailer,
            webhooks: webhook::WebhookPolicy { allow_private },
        })
    }
}
