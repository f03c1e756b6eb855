//! Browser side of [`super::feedback`]: forms that post to a server function are sent in the
//! background. A change that worked draws anew the regions the form names (`data-refresh`,
//! ids of elements holding no island), else reloads the page (or follows the server
//! function's redirect); one that failed writes the reason where the form reports and leaves
//! the form as it was typed. Without the wasm the same forms post as plain HTML. A change's
//! message (`data-done`) shows as a toast.
//!
//! Regions marked `data-live` (with an id) are drawn anew from the server every
//! [`LIVE_EVERY_MS`] while the page is visible, unless the reader is working inside one.
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

/// How often `[data-live]` regions are drawn anew.
const LIVE_EVERY_MS: i32 = 5_000;

/// How long a toast stays on screen.
const TOAST_MS: i32 = 6_000;

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
    show_flash();
    keep_live(&document);
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
                if redirect.is_none() && refresh_for(&form).await {
                    return;
                }
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

/// After a change that worked: draws anew the regions the form names and says it is done.
/// False when the form names none or they could not be drawn (the page is then reloaded).
async fn refresh_for(form: &HtmlFormElement) -> bool {
    let Some(regions) = form.get_attribute("data-refresh") else {
        return false;
    };
    let ids: Vec<String> = regions.split_whitespace().map(str::to_owned).collect();
    if !matches!(redraw(&ids, false).await, Ok(true)) {
        return false;
    }
    // The form may have been drawn anew with its region; if not, it is emptied for the next.
    set_busy(form, false);
    form.reset();
    hide_earlier_outcomes();
    if let Some(message) = form.get_attribute("data-done") {
        toast(&message);
    }
    true
}

/// Draws the regions with these ids anew, in the background (for an island whose change
/// shows elsewhere on the page). Never reloads: the island may show what a reload would lose.
pub fn redraw_in_place(ids: &[&str]) {
    let ids: Vec<String> = ids.iter().map(|id| (*id).to_owned()).collect();
    wasm_bindgen_futures::spawn_local(async move {
        let _ = redraw(&ids, false).await;
    });
}

/// Draws the regions with these ids anew from the page as the server renders it now. A live
/// redraw (`live`) leaves alone a region the reader is working in (it holds the focus or an
/// open `<details>`). False when the page could not be had or a region is missing or holds
/// an island (which only a reload brings to life).
async fn redraw(ids: &[String], live: bool) -> Result<bool, JsValue> {
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    let document = window.document().ok_or(JsValue::NULL)?;
    let init = RequestInit::new();
    init.set_method("GET");
    let request = Request::new_with_str_and_init(&window.location().href()?, &init)?;
    request.headers().set("Accept", "text/html")?;
    let response: Response = JsFuture::from(window.fetch_with_request(&request))
        .await?
        .dyn_into()?;
    if !response.ok() {
        return Ok(false);
    }
    let html = JsFuture::from(response.text()?)
        .await?
        .as_string()
        .unwrap_or_default();
    let fresh =
        web_sys::DomParser::new()?.parse_from_string(&html, web_sys::SupportedType::TextHtml)?;
    let active = document.active_element();
    for id in ids {
        let (Some(old), Some(new)) = (document.get_element_by_id(id), fresh.get_element_by_id(id))
        else {
            return Ok(false);
        };
        if new.query_selector("leptos-island")?.is_some() {
            return Ok(false);
        }
        let busy = active.as_ref().is_some_and(|a| old.contains(Some(&**a)))
            || old.query_selector("details[open]")?.is_some();
        if live && busy {
            continue;
        }
        let markup = new.inner_html();
        if old.inner_html() != markup {
            old.set_inner_html(&markup);
        }
    }
    if !live {
        document.set_title(&fresh.title());
    }
    Ok(true)
}

/// Draws the page's `[data-live]` regions anew every [`LIVE_EVERY_MS`] while it is visible
/// (one redraw at a time).
fn keep_live(document: &Document) {
    if !matches!(document.query_selector("[data-live][id]"), Ok(Some(_))) {
        return;
    }
    let in_flight = std::rc::Rc::new(std::cell::Cell::new(false));
    let tick = Closure::<dyn FnMut()>::new(move || {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        if document.hidden() || in_flight.get() {
            return;
        }
        let Ok(live) = document.query_selector_all("[data-live][id]") else {
            return;
        };
        let ids: Vec<String> = (0..live.length())
            .filter_map(|i| live.item(i).and_then(|n| n.dyn_into::<Element>().ok()))
            .map(|e| e.id())
            .collect();
        in_flight.set(true);
        let in_flight = in_flight.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let _ = redraw(&ids, true).await;
            in_flight.set(false);
        });
    });
    if let Some(window) = web_sys::window() {
        let _ = window.set_interval_with_callback_and_timeout_and_arguments_0(
            tick.as_ref().unchecked_ref(),
            LIVE_EVERY_MS,
        );
    }
    tick.forget();
}

/// Shows `message` for a few seconds in the page's toast area (`[data-toasts]`), read out by
/// screen readers. It carries `data-flash`, so the next change's outcome hides it.
fn toast(message: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(Some(area)) = document.query_selector("[data-toasts]") else {
        return;
    };
    let Ok(el) = document.create_element("p") else {
        return;
    };
    let _ = el.set_attribute("data-flash", "");
    let _ = el.set_attribute("data-testid", "toast");
    let _ = el.set_attribute(
        "class",
        "pointer-events-auto rounded-md bg-slate-900 px-4 py-2 text-sm text-white shadow-lg ring-1 ring-slate-700",
    );
    el.set_text_content(Some(message));
    let _ = area.append_child(&el);
    let done = Closure::once_into_js(move || el.remove());
    if let Some(window) = web_sys::window() {
        let _ = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(done.unchecked_ref(), TOAST_MS);
    }
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
fn show_flash() {
    let Some(storage) = session_storage() else {
        return;
    };
    let Ok(Some(message)) = storage.get_item(FLASH_KEY) else {
        return;
    };
    let _ = storage.remove_item(FLASH_KEY);
    toast(&message);
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
            if el.has_attribute("data-flash") {
                el.remove();
            } else {
                el.set_text_content(None);
                let _ = el.set_attribute("hidden", "");
            }
        }
    }
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}
