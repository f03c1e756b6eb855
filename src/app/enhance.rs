//! Browser side of [`super::feedback`]: forms that post to a server function are sent in the
//! background. A change that worked reloads the page (or follows the server function's
//! redirect); one that failed writes the reason where the form reports and leaves the form
//! as it was typed. Without the wasm the same forms post as plain HTML.
//!
//! It also gives the small behaviours that pages ask for with data attributes rather than
//! inline script (which the Content-Security-Policy forbids): `data-print` prints the page
//! when clicked, `data-select-on-focus` selects a field's text when it gets focus.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Document, Element, FormData, HtmlButtonElement, HtmlElement, HtmlFormElement, Request,
    RequestInit, Response, SubmitEvent, UrlSearchParams,
};

use super::error::AppError;
use crate::i18n::tr;

/// Where a flash message waits for the reload that follows a change.
const FLASH_KEY: &str = "dealflow-flash";

/// Takes over the page's server-function forms and shows a message left by the last change.
pub fn install() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let on_submit = Closure::<dyn FnMut(SubmitEvent)>::new(on_submit);
    let _ = document.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
    on_submit.forget();
    let on_click = Closure::<dyn FnMut(web_sys::Event)>::new(on_click);
    let _ = document.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    on_click.forget();
    let on_focus = Closure::<dyn FnMut(web_sys::Event)>::new(on_focus);
    let _ = document.add_event_listener_with_callback("focusin", on_focus.as_ref().unchecked_ref());
    on_focus.forget();
    show_flash(&document);
}

/// `data-print`: prints the page.
fn on_click(ev: web_sys::Event) {
    let wants_print = ev
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .and_then(|e| e.closest("[data-print]").ok().flatten())
        .is_some();
    if wants_print {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    }
}

/// `data-select-on-focus`: selects the field's text.
fn on_focus(ev: web_sys::Event) {
    let field = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .filter(|i| i.has_attribute("data-select-on-focus"));
    if let Some(field) = field {
        field.select();
    }
}

fn on_submit(ev: SubmitEvent) {
    // Forms that handle their own submission (inside islands) have already said so.
    if ev.default_prevented() {
        return;
    }
    let Some(form) = ev
        .target()
        .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
    else {
        return;
    };
    let Some(path) = rpc_path(&form) else {
        return;
    };
    ev.prevent_default();
    if form.get_attribute("aria-busy").as_deref() == Some("true") {
        return;
    }
    if let Some(question) = form.get_attribute("data-confirm") {
        let confirmed = web_sys::window()
            .and_then(|w| w.confirm_with_message(&question).ok())
            .unwrap_or(false);
        if !confirmed {
            return;
        }
    }
    let Some(body) = form_body(&form, ev.submitter()) else {
        return;
    };
    set_busy(&form, true);
    wasm_bindgen_futures::spawn_local(async move {
        match post(&path, &body).await {
            Ok(Answer::Done { redirect }) => {
                if let Some(message) = form.get_attribute("data-done") {
                    if let Some(storage) = session_storage() {
                        let _ = storage.set_item(FLASH_KEY, &message);
                    }
                }
                // The form stays busy until the next page replaces it.
                let Some(location) = web_sys::window().map(|w| w.location()) else {
                    return;
                };
                let _ = match redirect {
                    Some(to) => location.assign(&to),
                    None => location.reload(),
                };
            }
            Ok(Answer::Failed(message)) => {
                set_busy(&form, false);
                show_error(&form, &message);
            }
            Err(_) => {
                set_busy(&form, false);
                show_error(&form, &tr("common-error-nothing-saved"));
            }
        }
    });
}

/// The path of a form that posts to a server function of this site.
fn rpc_path(form: &HtmlFormElement) -> Option<String> {
    if !form.method().eq_ignore_ascii_case("post") {
        return None;
    }
    let url = web_sys::Url::new(&form.action()).ok()?;
    let here = web_sys::window()?.location().origin().ok()?;
    (url.origin() == here && url.pathname().starts_with("/rpc/")).then(|| url.pathname())
}

/// The form's fields, URL-encoded, with the button that sent it when it has a name.
fn form_body(form: &HtmlFormElement, submitter: Option<HtmlElement>) -> Option<String> {
    let data = FormData::new_with_form(form).ok()?;
    if let Some(button) = submitter.and_then(|s| s.dyn_into::<HtmlButtonElement>().ok()) {
        if !button.name().is_empty() {
            let _ = data.append_with_str(&button.name(), &button.value());
        }
    }
    let params = UrlSearchParams::new_with_str_sequence_sequence(&data).ok()?;
    Some(params.to_string().into())
}

enum Answer {
    Done { redirect: Option<String> },
    Failed(String),
}

async fn post(path: &str, body: &str) -> Result<Answer, JsValue> {
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_body(&JsValue::from_str(body));
    let request = Request::new_with_str_and_init(path, &init)?;
    let headers = request.headers();
    headers.set("Content-Type", "application/x-www-form-urlencoded")?;
    headers.set("Accept", "application/json")?;
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    let response: Response = JsFuture::from(window.fetch_with_request(&request))
        .await?
        .dyn_into()?;
    if response.ok() {
        let headers = response.headers();
        let redirect = match headers.get("serverfnredirect")? {
            Some(_) => headers.get("location")?,
            None => None,
        };
        return Ok(Answer::Done { redirect });
    }
    let text = JsFuture::from(response.text()?)
        .await?
        .as_string()
        .unwrap_or_default();
    let error = AppError::from_answer(Some(response.status()), text.as_bytes());
    Ok(Answer::Failed(error.for_people()))
}

/// Marks the form as saving: its buttons are disabled, and show their busy label if any.
fn set_busy(form: &HtmlFormElement, busy: bool) {
    if busy {
        let _ = form.set_attribute("aria-busy", "true");
    } else {
        let _ = form.remove_attribute("aria-busy");
    }
    let Ok(buttons) = form.query_selector_all("button") else {
        return;
    };
    for i in 0..buttons.length() {
        let Some(button) = buttons
            .item(i)
            .and_then(|b| b.dyn_into::<HtmlButtonElement>().ok())
        else {
            continue;
        };
        button.set_disabled(busy);
        if let Some(label) = button.get_attribute("data-busy-label") {
            let text = button.text_content().unwrap_or_default();
            button.set_text_content(Some(&label));
            let _ = button.set_attribute("data-busy-label", &text);
        }
    }
}

/// Writes a failure where the form reports: its own `[data-form-error]`, else the nearest
/// `[data-page-error]` (the first one found inside the form's closest ancestor that has one).
/// Earlier outcomes on the page are hidden first.
fn show_error(form: &HtmlFormElement, message: &str) {
    hide_earlier_outcomes();
    let mut target = form.query_selector("[data-form-error]").ok().flatten();
    let mut node = form.parent_element();
    while target.is_none() {
        let Some(el) = node else { break };
        target = el.query_selector("[data-page-error]").ok().flatten();
        node = el.parent_element();
    }
    match target {
        Some(el) => reveal(&el, message),
        None => {
            if let Some(w) = web_sys::window() {
                let _ = w.alert_with_message(message);
            }
        }
    }
}

fn reveal(el: &Element, message: &str) {
    el.set_text_content(Some(message));
    let _ = el.remove_attribute("hidden");
    el.scroll_into_view_with_bool(false);
}

/// Shows the message the last change left for this page, once.
fn show_flash(document: &Document) {
    let Some(storage) = session_storage() else {
        return;
    };
    let Ok(Some(message)) = storage.get_item(FLASH_KEY) else {
        return;
    };
    let _ = storage.remove_item(FLASH_KEY);
    if let Ok(Some(el)) = document.query_selector("[data-flash]") {
        el.set_text_content(Some(&message));
        let _ = el.remove_attribute("hidden");
    }
}

/// Hides the outcomes of earlier changes (a "Saved." message, an earlier failure): only the
/// latest one shows.
fn hide_earlier_outcomes() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(shown) =
        document.query_selector_all("[data-flash], [data-page-error], [data-form-error]")
    else {
        return;
    };
    for i in 0..shown.length() {
        if let Some(el) = shown.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
            el.set_text_content(None);
            let _ = el.set_attribute("hidden", "");
        }
    }
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}
