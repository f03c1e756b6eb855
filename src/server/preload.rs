//! `Link: rel=preload` headers naming what a page needs to be interactive: the stylesheet, the
//! main wasm and its JS glue, and the wasm chunks of the page's lazy islands.
//!
//! With `--split`, each lazy island's code is in wasm chunks of its own, listed in the site's
//! split manifest (`pkg/__wasm_split_manifest.json`). Left to itself the page would ask for them
//! only once the main wasm runs, or once a script at the end of the page is parsed. Named in the
//! answer's headers, they are fetched with the first bytes of the answer, before the page is
//! parsed; the main files come first in the header, so the chunks do not hold them up.
//!
//! The islands a page holds are read from the rendered HTML (`data-component="Name_<hash>"` of
//! each `<leptos-island>`), so the list is never out of step with what was rendered.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos::config::LeptosOptions;

use crate::app::loader::SiteFiles;

/// Lazy island (keyed as [`island_key`] keys it) → the chunk files it loads, and where they are.
#[derive(Debug)]
pub struct IslandChunks {
    by_island: BTreeMap<String, Vec<String>>,
    /// The site's package directory as a URL path (`/pkg`).
    pkg: String,
    /// The `Link` entries of the files every page loads, in the order they are needed.
    main: Vec<String>,
}

impl IslandChunks {
    /// Reads the site's split manifest: `None` when the site was built without `--split` (or not
    /// built, as in the server's own tests), or has no lazy islands.
    pub fn load(options: &LeptosOptions) -> Option<Arc<Self>> {
        let path = std::path::Path::new(options.site_root.as_ref())
            .join(options.site_pkg_dir.as_ref())
            .join("__wasm_split_manifest.json");
        let text = std::fs::read_to_string(&path).ok()?;
        let by_island = chunks_by_island(&text)
            .map_err(|error| {
                tracing::warn!(path = %path.display(), %error, "unreadable wasm split manifest");
            })
            .ok()
            .filter(|chunks| !chunks.is_empty())?;
        let files = SiteFiles::of(options);
        Some(Arc::new(Self {
            by_island,
            pkg: format!("/{}", options.site_pkg_dir),
            main: main_links(&files),
        }))
    }

    /// The `Link` header preloading the main files and the chunks of every lazy island in
    /// `html`, each file once.
    fn link_for(&self, html: &str) -> Option<HeaderValue> {
        const ATTRIBUTE: &str = "data-component=\"";
        let mut files = BTreeSet::new();
        // A board repeats a few islands many times: each name is looked up once.
        let mut seen = HashSet::new();
        for (at, _) in html.match_indices(ATTRIBUTE) {
            let rest = &html[at + ATTRIBUTE.len()..];
            let Some(name) = rest.split('"').next() else {
                continue;
            };
            if !seen.insert(name) {
                continue;
            }
            if let Some(chunks) = self.by_island.get(&island_key(name)) {
                files.extend(chunks.iter().map(String::as_str));
            }
        }
        let link = self
            .main
            .iter()
            .cloned()
            .chain(
                files
                    .iter()
                    .map(|file| wasm_link(&format!("{}/{file}.wasm", self.pkg))),
            )
            .collect::<Vec<_>>()
            .join(", ");
        HeaderValue::from_str(&link).ok()
    }
}

/// A `Link` entry fetching a wasm file as the page's scripts fetch it (so the fetch is reused).
fn wasm_link(path: &str) -> String {
    format!("<{path}>; rel=preload; as=fetch; type=\"application/wasm\"; crossorigin")
}

/// The `Link` entries of the stylesheet (needed to show the page), the main wasm and its glue.
fn main_links(files: &SiteFiles) -> Vec<String> {
    vec![
        format!("<{}>; rel=preload; as=style", files.stylesheet),
        wasm_link(&files.wasm),
        format!("<{}>; rel=modulepreload", files.js),
    ]
}

/// Middleware: a successful HTML answer gets the [`IslandChunks`] `Link` header of its islands.
/// Sits inside the compression layer, so it reads the page as rendered.
/// Without chunks (a site built without `--split`) answers pass untouched.
pub async fn preload_chunks(
    State(chunks): State<Option<Arc<IslandChunks>>>,
    req: Request<Body>,
    next: Next,
) -> Response {
    let response = next.run(req).await;
    let Some(chunks) = chunks else {
        return response;
    };
    let html = response.status() == StatusCode::OK
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"));
    if !html {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // A page is rendered whole before it is sent (its routes render asynchronously), so
    // reading it here delays nothing; a body that fails to arrive is the render's failure.
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Some(link) = std::str::from_utf8(&bytes)
        .ok()
        .and_then(|html| chunks.link_for(html))
    {
        parts.headers.append(header::LINK, link);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// An island's key: its `data-component` (`FooBar_<hash>`) or split point (`foo_bar`) without
/// the hash, without underscores, in lower case (`foobar`).
fn island_key(name: &str) -> String {
    let name = match name.rsplit_once('_') {
        Some((head, hash)) if !hash.is_empty() && hash.bytes().all(|b| b.is_ascii_digit()) => head,
        _ => name,
    };
    name.replace('_', "").to_lowercase()
}

/// Reads the split manifest (split point → the chunk files it loads) into lazy island → chunk
/// files. A lazy island `FooBar` loads through the split point `foo_bar_loader_<hash>`, keyed by
/// [`island_key`] as its `data-component` is. Other split points are left out.
fn chunks_by_island(manifest: &str) -> Result<BTreeMap<String, Vec<String>>, serde_json::Error> {
    let splits: HashMap<String, Vec<String>> = serde_json::from_str(manifest)?;
    let mut islands = BTreeMap::new();
    for (split, files) in splits {
        let Some((island, hash)) = split.rsplit_once("_loader_") else {
            continue;
        };
        if island.is_empty() || hash.is_empty() || !hash.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        islands
            .entry(island_key(island))
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
    use super::{chunks_by_island, island_key, main_links, IslandChunks, SiteFiles};

    const MANIFEST: &str = r#"{
        "stage_order_loader_1234": ["split_3_stage_order_loader_1234", "chunk_7_shared"],
        "new_api_key_form_loader_99": ["split_1_new_api_key_form_loader_99", "chunk_7_shared"],
        "some_lazy_fn_55": ["split_2_some_lazy_fn_55"],
        "odd_loader_x1": ["split_4"]
    }"#;

    #[test]
    fn lazy_islands_are_keyed_as_their_elements_are() {
        let islands = chunks_by_island(MANIFEST).expect("manifest");
        assert_eq!(islands.len(), 2, "{islands:?}");
        assert_eq!(
            islands["stageorder"],
            ["chunk_7_shared", "split_3_stage_order_loader_1234"]
        );
        assert_eq!(
            islands["newapikeyform"],
            ["chunk_7_shared", "split_1_new_api_key_form_loader_99"]
        );
        assert_eq!(island_key("StageOrder_8812"), "stageorder");
        assert_eq!(island_key("NewApiKeyForm"), "newapikeyform");
    }

    #[test]
    fn a_broken_manifest_is_an_error() {
        assert!(chunks_by_island("{\"a_loader_1\": 3}").is_err());
        assert!(chunks_by_island("not json").is_err());
    }

    #[test]
    fn a_page_preloads_the_chunks_of_the_islands_it_holds_once() {
        let files = SiteFiles {
            stylesheet: "/pkg/app.css".into(),
            js: "/pkg/app.js".into(),
            wasm: "/pkg/app.wasm".into(),
        };
        let chunks = IslandChunks {
            by_island: chunks_by_island(MANIFEST).expect("manifest"),
            pkg: "/pkg".into(),
            main: main_links(&files),
        };
        let page = r#"<body><leptos-island data-component="StageOrder_8812" data-props="{}">
            </leptos-island><leptos-island data-component="StageOrder_8812"></leptos-island>
            <leptos-island data-component="NewApiKeyForm_17"></leptos-island>
            <leptos-island data-component="NotLazy_3"></leptos-island></body>"#;
        let link = chunks.link_for(page).expect("a link header");
        let link = link.to_str().expect("ascii");
        let named: Vec<&str> = link
            .split(", ")
            .map(|one| one.split(';').next().unwrap_or_default())
            .collect();
        assert_eq!(
            named,
            [
                "</pkg/app.css>",
                "</pkg/app.wasm>",
                "</pkg/app.js>",
                "</pkg/chunk_7_shared.wasm>",
                "</pkg/split_1_new_api_key_form_loader_99.wasm>",
                "</pkg/split_3_stage_order_loader_1234.wasm>",
            ]
        );
        assert!(link.starts_with("</pkg/app.css>; rel=preload; as=style, "));
        assert!(link.contains(
            "</pkg/chunk_7_shared.wasm>; rel=preload; as=fetch; type=\"application/wasm\"; crossorigin"
        ));
        assert!(link.contains("</pkg/app.js>; rel=modulepreload"));
        let main_only = main_links(&files).join(", ");
        for page in [
            "<body><p>no islands</p></body>",
            r#"<leptos-island data-component="NotLazy_3">"#,
        ] {
            let link = chunks.link_for(page).expect("a link header");
            assert_eq!(link.to_str().expect("ascii"), main_only);
        }
    }
}
