//! The script that loads the wasm and hydrates the page's islands.
//!
//! Leptos' own `HydrationScripts` in islands mode starts on browser idle, tells nobody when it is
//! done, and learns of a lazy island's wasm chunks only when it hydrates that island, one island
//! after the other, once the main wasm runs. Here instead:
//! - [`ChunkPreloads`] starts the fetch of every wasm chunk the page's lazy islands need as soon
//!   as the page is parsed, beside the main wasm, from the `--split` build's manifest
//!   (`pkg/__wasm_split_manifest.json`);
//! - [`IslandsLoader`] hydrates the islands together once the main wasm is instantiated;
//! - marks `<html data-hydrated>` when every island is interactive (scripts and browser tests wait
//!   for it) and `performance.mark("dealflow:wasm-ready")` when the main wasm is.
//!
//! Islands here are never nested, so each `<leptos-island>` is hydrated on its own.

use leptos::prelude::*;

/// The `<head>` part that loads the main wasm and hydrates the page's islands.
#[component]
pub fn IslandsLoader(options: LeptosOptions) -> impl IntoView {
    // Outside islands the server renders plain HTML, without hydration markers.
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    let pkg = format!("/{}/{}", options.site_pkg_dir, options.output_name);
    // cargo-leptos names the wasm after the package; a plain wasm-bindgen build adds `_bg`.
    let suffix = if option_env!("LEPTOS_OUTPUT_NAME").is_some() {
        ""
    } else {
        "_bg"
    };
    let (js, wasm) = (format!("{pkg}.js"), format!("{pkg}{suffix}.wasm"));
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

/// The end of `<body>`: a plain script, so it runs as soon as the page is parsed (a module
/// script waits for its imports), that starts fetching the wasm chunks of the islands above it.
/// Nothing when the site has no lazy islands.
#[component]
pub fn ChunkPreloads(options: LeptosOptions) -> impl IntoView {
    chunk_preload_script(&options)
        .map(|script| view! { <script nonce=leptos::nonce::use_nonce()>{script}</script> })
}

/// The script of [`ChunkPreloads`], made once from the site's split manifest: `None` when the
/// site was built without `--split` (or not built, as in the server's own tests).
#[cfg(feature = "ssr")]
fn chunk_preload_script(options: &LeptosOptions) -> Option<&'static str> {
    use std::sync::OnceLock;
    static SCRIPT: OnceLock<Option<String>> = OnceLock::new();
    SCRIPT
        .get_or_init(|| {
            let path = std::path::Path::new(options.site_root.as_ref())
                .join(options.site_pkg_dir.as_ref())
                .join("__wasm_split_manifest.json");
            let text = std::fs::read_to_string(&path).ok()?;
            let chunks = chunks_by_island(&text)
                .map_err(|error| {
                    tracing::warn!(path = %path.display(), %error, "unreadable wasm split manifest");
                })
                .ok()
                .filter(|chunks| !chunks.is_empty())?;
            let chunks = serde_json::to_string(&chunks).ok()?;
            let pkg = format!("/{}", options.site_pkg_dir);
            Some(format!(
                r#"(() => {{
const chunks = {chunks};
const key = (island) => island.dataset.component.replace(/_\d+$/, "").replaceAll("_", "").toLowerCase();
const files = new Set([...document.querySelectorAll("leptos-island")].flatMap((island) => chunks[key(island)] ?? []));
for (const file of files) {{
  const link = document.createElement("link");
  for (const [k, v] of [["rel", "preload"], ["href", `{pkg}/${{file}}.wasm`], ["as", "fetch"], ["type", "application/wasm"], ["crossorigin", ""]]) link.setAttribute(k, v);
  document.head.append(link);
}}
}})();"#
            ))
        })
        .as_deref()
}

#[cfg(not(feature = "ssr"))]
fn chunk_preload_script(_: &LeptosOptions) -> Option<&'static str> {
    None
}

/// Reads the split manifest (split point → the chunk files it loads) into lazy island → chunk
/// files. A lazy island `FooBar` loads through the split point `foo_bar_loader_<hash>`; both
/// names are keyed without underscores and in lower case (`foobar`), which is what the script
/// makes of the island's `data-component` (`FooBar_<hash>`). Other split points are left out.
#[cfg(any(feature = "ssr", test))]
fn chunks_by_island(
    manifest: &str,
) -> Result<std::collections::BTreeMap<String, Vec<String>>, serde_json::Error> {
    let splits: std::collections::HashMap<String, Vec<String>> = serde_json::from_str(manifest)?;
    let mut islands = std::collections::BTreeMap::new();
    for (split, files) in splits {
        let Some((island, hash)) = split.rsplit_once("_loader_") else {
            continue;
        };
        if island.is_empty() || hash.is_empty() || !hash.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        islands
            .entry(island.replace('_', "").to_lowercase())
            .or_insert_with(Vec::new)
            .extend(files);
    }
    for files in islands.values_mut() {
        files.sort();
        files.dedup();
    }
    Ok(islands)
}

#[cfg(test)]
mod tests {
    use super::chunks_by_island;

    #[test]
    fn lazy_islands_are_keyed_as_the_script_keys_them() {
        let manifest = r#"{
            "stage_order_loader_1234": ["split_3_stage_order_loader_1234", "chunk_7_shared"],
            "new_api_key_form_loader_99": ["split_1_new_api_key_form_loader_99", "chunk_7_shared"],
            "some_lazy_fn_55": ["split_2_some_lazy_fn_55"],
            "odd_loader_x1": ["split_4"]
        }"#;
        let islands = chunks_by_island(manifest).expect("manifest");
        assert_eq!(islands.len(), 2, "{islands:?}");
        assert_eq!(
            islands["stageorder"],
            ["chunk_7_shared", "split_3_stage_order_loader_1234"]
        );
        assert_eq!(
            islands["newapikeyform"],
            ["chunk_7_shared", "split_1_new_api_key_form_loader_99"]
        );
    }

    #[test]
    fn a_broken_manifest_is_an_error() {
        assert!(chunks_by_island("{\"a_loader_1\": 3}").is_err());
        assert!(chunks_by_island("not json").is_err());
    }
}
