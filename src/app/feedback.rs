//! How pages react to their forms: reload after a change that worked, and show why one failed
//! while the form keeps what was typed.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use super::auth::clean_error;

/// What a page's forms report: a counter bumped by every change that worked (pages reload
/// their data from it) and the message of the latest failure.
#[derive(Debug, Clone, Copy)]
pub struct Feedback {
    pub reloads: RwSignal<u32>,
    pub error: RwSignal<Option<String>>,
}

impl Feedback {
    pub fn new() -> Self {
        Feedback {
            reloads: RwSignal::new(0),
            error: RwSignal::new(None),
        }
    }

    /// Follows an action: success clears the message and reloads, failure sets the message
    /// and leaves the page (and what the user typed) as it is.
    pub fn watch<S, O>(self, action: ServerAction<S>)
    where
        S: ServerFn<Output = O, Error = ServerFnError> + Clone + Send + Sync + 'static,
        O: Clone + Send + Sync + 'static,
    {
        Effect::new(move |_| match action.value().get() {
            Some(Ok(_)) => {
                self.error.set(None);
                self.reloads.update(|n| *n += 1);
            }
            Some(Err(e)) => self.error.set(Some(clean_error(&e.to_string()))),
            None => {}
        });
    }
}

impl Default for Feedback {
    fn default() -> Self {
        Self::new()
    }
}

/// The failure message of a page, when there is one.
#[component]
pub fn ErrorBanner(feedback: Feedback, #[prop(optional)] testid: &'static str) -> impl IntoView {
    view! {
        <Show when=move || feedback.error.get().is_some()>
            <div role="alert" data-testid=testid class="mb-3 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
                {move || feedback.error.get()}
            </div>
        </Show>
    }
}

/// Asks before a destructive form is sent (without JavaScript the form is sent as it is).
pub fn confirm_submit(question: &'static str) -> impl Fn(leptos::ev::SubmitEvent) + Copy {
    move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        {
            let ok = web_sys::window()
                .and_then(|w| w.confirm_with_message(question).ok())
                .unwrap_or(false);
            if !ok {
                ev.prevent_default();
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, question);
    }
}
