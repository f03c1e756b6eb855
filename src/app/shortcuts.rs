//! Keyboard shortcuts: `?` opens the list of them (a modal dialog, closed with Escape), `/`
//! jumps to the page's search field (`data-search`), Ctrl-K (⌘-K) to the header's search of
//! everything, even from inside a field. Other keys typed into a field are the field's.

use leptos::prelude::*;

use crate::i18n::tr;

/// The keys and what they do, as the list shows them: (keys, message id).
const SHORTCUTS: &[(&[&str], &str)] = &[
    (&["?"], "keys-help"),
    (&["/"], "keys-search"),
    (&["Ctrl K", "⌘ K"], "keys-global-search"),
    (&["←", "↑", "→", "↓"], "keys-board-focus"),
    (&["Space", "Enter"], "keys-board-pick"),
    (&["←", "↑", "→", "↓"], "keys-board-move"),
    (&["Space", "Enter"], "keys-board-drop"),
    (&["Esc"], "keys-board-cancel"),
];

/// The list of shortcuts, in a dialog that `?` opens; with a button in the page's footer for
/// those who do not know the key.
#[component]
pub fn ShortcutsHelp() -> impl IntoView {
    view! {
        <dialog id="shortcuts" aria-labelledby="shortcuts-title" data-testid="shortcuts"
            class="w-full max-w-md rounded-lg bg-white p-5 text-slate-800 shadow-xl backdrop:bg-slate-900/50">
            <h2 id="shortcuts-title" class="mb-3 text-lg font-semibold">{tr("keys-title")}</h2>
            <dl class="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
                {SHORTCUTS.iter().map(|(keys, id)| view! {
                    <dt class="flex flex-wrap gap-1">
                        {keys.iter().map(|k| view! {
                            <kbd class="rounded border border-slate-300 bg-slate-50 px-1.5 font-mono text-xs">{*k}</kbd>
                        }).collect_view()}
                    </dt>
                    <dd class="text-slate-700">{tr(id)}</dd>
                }).collect_view()}
            </dl>
            <form method="dialog" class="mt-4 text-right">
                <button class="rounded-md bg-slate-800 px-3 py-1.5 text-sm text-white" data-testid="shortcuts-close">{tr("keys-close")}</button>
            </form>
        </dialog>
        <footer class="px-4 pb-4 text-xs text-slate-600 print:hidden">
            <button type="button" class="underline" data-shortcuts-open="" data-testid="shortcuts-open">{tr("keys-open")}</button>
        </footer>
    }
}

/// Listens for the shortcut keys on the whole page.
#[cfg(feature = "hydrate")]
pub fn install() {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let on_key = Closure::<dyn FnMut(web_sys::KeyboardEvent)>::new(on_key);
    let _ = document.add_event_listener_with_callback("keydown", on_key.as_ref().unchecked_ref());
    on_key.forget();
    let on_click = Closure::<dyn FnMut(web_sys::Event)>::new(|ev: web_sys::Event| {
        let asked = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("[data-shortcuts-open]").ok().flatten())
            .is_some();
        if asked {
            open_list();
        }
    });
    let _ = document.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    on_click.forget();
}

#[cfg(feature = "hydrate")]
fn on_key(ev: web_sys::KeyboardEvent) {
    use wasm_bindgen::JsCast;
    if ev.default_prevented() {
        return;
    }
    if (ev.ctrl_key() || ev.meta_key()) && !ev.alt_key() && ev.key().eq_ignore_ascii_case("k") {
        let field = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector("[data-global-search]").ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok());
        if let Some(field) = field {
            ev.prevent_default();
            let _ = field.focus();
            field.select();
        }
        return;
    }
    if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
        return;
    }
    // Typing in a field (or a select, or editable text) is not a shortcut.
    let in_field = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        .is_some_and(|e| {
            matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || e.is_content_editable()
        });
    if in_field {
        return;
    }
    match ev.key().as_str() {
        "?" => {
            ev.prevent_default();
            open_list();
        }
        "/" => {
            let search = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.query_selector("[data-search]").ok().flatten())
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(search) = search {
                ev.prevent_default();
                let _ = search.focus();
            }
        }
        _ => {}
    }
}

#[cfg(feature = "hydrate")]
fn open_list() {
    use wasm_bindgen::JsCast;
    let dialog = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("shortcuts"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlDialogElement>().ok());
    if let Some(dialog) = dialog.filter(|d| !d.open()) {
        let _ = dialog.show_modal();
    }
}
