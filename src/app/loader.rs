//! The script that loads the wasm and hydrates the page's islands.
//!
//! Leptos' own `HydrationScripts` in islands mode starts on browser idle, tells nobody when it is
//! done, and learns of a lazy island's wasm chunks only when it hydrates that island, one island
//! after the other, once the main wasm runs. Here instead:
//! - the wasm chunks of the page's lazy islands are named in the answer's `Link` headers
//!   (`server::preload`), so they are fetched beside the main wasm;
//! - [`IslandsLoader`] hydrates the islands together once the main wasm is instantiated;
//! - marks `<html data-hydrated>` when every island is interactive (scripts and browser tests wait
//!   for it) and `performance.mark("dealflow:wasm-ready")` when the main wasm is.
//!
//! Islands here are never nested, so each `<leptos-island>` is hydrated on its own.

use leptos::prelude::*;

/// The site's own files every page loads: the stylesheet, the wasm's JS glue and the main wasm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteFiles {
    pub stylesheet: String,
    pub js: String,
    pub wasm: String,
}

impl SiteFiles {
    /// Where the site's build puts them, as URL paths.
    pub fn of(options: &LeptosOptions) -> Self {
        let pkg = format!("/{}/{}", options.site_pkg_dir, options.output_name);
        // cargo-leptos names the wasm after the package; a plain wasm-bindgen build adds `_bg`.
        let suffix = if option_env!("LEPTOS_OUTPUT_NAME").is_some() {
            ""
        } else {
            "_bg"
        };
        Self {
            stylesheet: format!("{pkg}.css"),
            js: format!("{pkg}.js"),
            wasm: format!("{pkg}{suffix}.wasm"),
        }
    }
}

/// The `<head>` part that loads the main wasm and hydrates the page's islands.
#[component]
pub fn IslandsLoader(options: LeptosOptions) -> impl IntoView {
    // Outside islands the server renders plain HTML, without hydration markers.
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    let SiteFiles { js, wasm, .. } = SiteFiles::of(&options);
    let script = format!(
        r#"import init, * as app from "{js}";
await init({{ module_or_path: "{wasm}" }});
performance.mark("dealflow:wasm-ready");
app.hydrate();
await Promise.all([...document.querySelectorAll("leptos-island")].map(async (island) => {{
  const hydrate = app[island.dataset.component];
  if (hydrate) {{ await hydrate(island); }} else {{ console.warn("no code for island", island.dataset.component); }}
}}));
document.documentElement.dataset.hydrated = "true";"#
    );
    view! {
        <link rel="modulepreload" href=js />
        <link rel="preload" href=wasm r#as="fetch" r#type="application/wasm" crossorigin="" />
        <script type="module" nonce=leptos::nonce::use_nonce()>{script}</script>
    }
}
