//! How forms report. Pages are rendered on the server and their forms post to server
//! functions as plain HTML (the server function sends the browser back to the page). Once the
//! page is interactive, [`super::enhance`] sends those forms in the background instead: a
//! change that worked reloads the page, one that failed shows why and keeps what was typed.
//!
//! The markup contract, read by the enhancer:
//! * `<form method="post" action="/rpc/…">` — the forms it takes over ([`RpcForm`]);
//! * `data-confirm` on a form — a question asked before a destructive change;
//! * `data-done` on a form — a message shown after the reload ("Saved.");
//! * `data-form-error` inside a form — where its failure is written; without one, the page's
//!   `data-page-error` ([`ErrorBanner`]);
//! * `data-busy-label` on a submit button — its text while the change is being saved.

use leptos::prelude::*;

/// A form posting to a server function (`action` is its path, e.g. `SaveDeal::PATH`).
/// Attributes given with `attr:` land on the `<form>`.
#[component]
pub fn RpcForm(
    action: &'static str,
    /// Asked before sending; the change is dropped unless confirmed.
    #[prop(optional)]
    confirm: Option<&'static str>,
    /// Shown once the page has reloaded after the change.
    #[prop(optional)]
    done: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <form method="post" action=action data-confirm=confirm data-done=done>
            {children()}
        </form>
    }
}

/// Where the failures of a page's forms are shown (hidden until one fails).
#[component]
pub fn ErrorBanner(#[prop(optional)] testid: &'static str) -> impl IntoView {
    view! {
        <div role="alert" data-page-error="" data-testid=testid hidden
            class="mb-3 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800"></div>
        <p role="status" data-flash="" hidden class="mb-3 text-sm text-emerald-700"></p>
    }
}

/// The message a person should read from a failed server function's answer: the body is
/// `Variant|message` (`ServerError|the value must be a number`); anything else is shown as
/// it came, and an empty answer by its status.
pub fn error_message(status: u16, body: &str) -> String {
    let body = body.trim();
    let message = match body.split_once('|') {
        Some(("Args" | "Deserialization", m)) => format!("the form could not be read: {m}"),
        Some((variant, m)) if !variant.is_empty() && variant.chars().all(char::is_alphabetic) => {
            m.to_string()
        }
        _ => body.to_string(),
    };
    if !message.is_empty() {
        return clean_error(&message);
    }
    match status {
        401 => "your session has ended; sign in again".into(),
        403 => "you are not allowed to do this".into(),
        404 => "it no longer exists".into(),
        _ => format!("the server answered {status}"),
    }
}

/// Strips the server-function error prefix from a message shown to users.
pub fn clean_error(message: &str) -> String {
    message
        .trim_start_matches("error running server function: ")
        .trim_start_matches("ServerFnError: ")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::error_message;

    #[test]
    fn server_errors_read_as_their_message() {
        assert_eq!(
            error_message(422, "ServerError|value: more than 2 decimals"),
            "value: more than 2 decimals"
        );
        assert_eq!(
            error_message(400, "Args|missing field `id`"),
            "the form could not be read: missing field `id`"
        );
        assert_eq!(
            error_message(403, "cross-site request refused"),
            "cross-site request refused"
        );
        assert_eq!(
            error_message(401, ""),
            "your session has ended; sign in again"
        );
        assert_eq!(error_message(502, " "), "the server answered 502");
        // A message that itself holds a bar keeps it.
        assert_eq!(error_message(422, "ServerError|a|b"), "a|b");
    }
}
