//! The languages of the UI: English, Spanish and Brazilian Portuguese. Every user-visible
//! string is a Fluent message in `locales/<tag>/<area>.ftl` (files a translator edits), looked
//! up by its id with [`t`] or [`t_args`]; a test fails when an id is missing in one language. Numbers, money and dates are written as the locale writes them ([`format`]).
//!
//! The locale of a request is the `dealflow_lang` cookie (set from the user's saved choice at
//! sign-in and when they change it), else the browser's `Accept-Language`, else English.
//! Islands, hydrated in the browser, read it back from `<html lang>`.

pub mod format;

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::{Deserialize, Serialize};

/// The areas of the UI, each with its own message file `locales/<tag>/<area>.ftl`.
pub const AREAS: [&str; 14] = [
    "common",
    "shell",
    "board",
    "deal",
    "activities",
    "contacts",
    "quotes",
    "automations",
    "settings",
    "mail",
    "account",
    "errors",
    "import",
    "reports",
];

/// The message files of one language, in the order of [`AREAS`].
macro_rules! area_files {
    ($tag:literal) => {
        [
            include_str!(concat!("../../locales/", $tag, "/common.ftl")),
            include_str!(concat!("../../locales/", $tag, "/shell.ftl")),
            include_str!(concat!("../../locales/", $tag, "/board.ftl")),
            include_str!(concat!("../../locales/", $tag, "/deal.ftl")),
            include_str!(concat!("../../locales/", $tag, "/activities.ftl")),
            include_str!(concat!("../../locales/", $tag, "/contacts.ftl")),
            include_str!(concat!("../../locales/", $tag, "/quotes.ftl")),
            include_str!(concat!("../../locales/", $tag, "/automations.ftl")),
            include_str!(concat!("../../locales/", $tag, "/settings.ftl")),
            include_str!(concat!("../../locales/", $tag, "/mail.ftl")),
            include_str!(concat!("../../locales/", $tag, "/account.ftl")),
            include_str!(concat!("../../locales/", $tag, "/errors.ftl")),
            include_str!(concat!("../../locales/", $tag, "/import.ftl")),
            include_str!(concat!("../../locales/", $tag, "/reports.ftl")),
        ]
    };
}

/// The cookie that carries the chosen language.
pub const COOKIE: &str = "dealflow_lang";

/// A language the UI speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Locale {
    #[default]
    En,
    Es,
    PtBr,
}

impl Locale {
    /// Every language, in the order the language picker offers them.
    pub const ALL: [Locale; 3] = [Locale::En, Locale::Es, Locale::PtBr];

    /// The BCP 47 tag: `en`, `es`, `pt-BR`.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Es => "es",
            Locale::PtBr => "pt-BR",
        }
    }

    /// The language's own name, as the picker shows it.
    pub fn name(self) -> &'static str {
        match self {
            Locale::En => "English",
            Locale::Es => "Español",
            Locale::PtBr => "Português (Brasil)",
        }
    }

    /// The language a tag names (`pt`, `pt-BR`, `pt_br`, `es-MX`, `en-US`…), by its primary
    /// language; `None` for one the UI does not speak.
    pub fn parse(tag: &str) -> Option<Locale> {
        let primary = tag
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Locale::En),
            "es" => Some(Locale::Es),
            "pt" => Some(Locale::PtBr),
            _ => None,
        }
    }

    /// The best language of an `Accept-Language` header (by its `q` weights, the first of
    /// equal ones), or English.
    pub fn from_accept_language(header: &str) -> Locale {
        let mut best: Option<(f32, Locale)> = None;
        for part in header.split(',').take(20) {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or_default();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if let Some(locale) = Locale::parse(tag) {
                if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
                    best = Some((q, locale));
                }
            }
        }
        best.map(|(_, l)| l).unwrap_or_default()
    }

    /// The Fluent files of the language, one per [`AREAS`] entry, in that order.
    fn sources(self) -> [&'static str; AREAS.len()] {
        match self {
            Locale::En => area_files!("en"),
            Locale::Es => area_files!("es"),
            Locale::PtBr => area_files!("pt-BR"),
        }
    }

    fn bundle(self) -> &'static FluentBundle<FluentResource> {
        static BUNDLES: LazyLock<[FluentBundle<FluentResource>; 3]> =
            LazyLock::new(|| Locale::ALL.map(make_bundle));
        &BUNDLES[self as usize]
    }
}

impl std::fmt::Display for Locale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.tag())
    }
}

/// The bundle of one language. A file that does not parse keeps the messages that do (the
/// completeness test reports the rest).
fn make_bundle(locale: Locale) -> FluentBundle<FluentResource> {
    let lang: unic_langid::LanguageIdentifier = locale.tag().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![lang]);
    // No Unicode isolation marks around arguments: they would show up in copied text and tests.
    bundle.set_use_isolating(false);
    for source in locale.sources() {
        let resource = FluentResource::try_new(source.to_string()).unwrap_or_else(|(r, _)| r);
        // Duplicate ids keep the first; the completeness test reports them.
        let _ = bundle.add_resource(resource);
    }
    bundle
}

/// The message `id` in `locale`; the English one when the language lacks it, and the id itself
/// when English does too (never a panic: a missing key shows, and the test fails).
pub fn t(locale: Locale, id: &str) -> String {
    t_args(locale, id, &[])
}

/// The message `id` with arguments (`{ $count }`, `{ $name }`); numbers pick the plural form
/// the language uses.
pub fn t_args(locale: Locale, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    let mut fluent_args = FluentArgs::new();
    for (name, value) in args {
        fluent_args.set(*name, value.clone());
    }
    for l in [locale, Locale::En] {
        let bundle = l.bundle();
        if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            return bundle
                .format_pattern(pattern, Some(&fluent_args), &mut errors)
                .into_owned();
        }
    }
    id.to_string()
}

/// The locale a request asks for: its `dealflow_lang` cookie, else its `Accept-Language`.
#[cfg(feature = "ssr")]
pub fn from_headers(headers: &axum::http::HeaderMap) -> Locale {
    let cookie = cookie_value(headers, COOKIE).and_then(Locale::parse);
    cookie.unwrap_or_else(|| {
        headers
            .get(axum::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map(Locale::from_accept_language)
            .unwrap_or_default()
    })
}

/// The value of a request's cookie `name`, if it carries one. The browser's choices (language,
/// theme, time zone) each live in one.
#[cfg(feature = "ssr")]
pub fn cookie_value<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (n, value) = pair.trim().split_once('=')?;
            (n == name).then_some(value)
        })
}

/// The `Set-Cookie` value that keeps a browser's choice `name=value` for a year.
pub fn choice_cookie(name: &str, value: &str) -> String {
    format!("{name}={value}; Path=/; Max-Age=31536000; SameSite=Lax")
}

/// The `Set-Cookie` value that keeps `locale` for a year.
pub fn cookie(locale: Locale) -> String {
    choice_cookie(COOKIE, locale.tag())
}

/// The message `id` in the locale of this render ([`current`]).
pub fn tr(id: &str) -> String {
    t(current(), id)
}

/// The message `id` with arguments, in the locale of this render.
pub fn tr_args(id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    t_args(current(), id, args)
}

/// The message ids a Fluent source defines, in order.
pub fn message_ids(source: &str) -> Vec<String> {
    source
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_alphabetic()))
        .filter_map(|l| l.split_once('=').map(|(id, _)| id.trim().to_string()))
        .collect()
}

/// The locale of this render: on the server the request's ([`provide_locale`] reads it once
/// per page; a server function reads its request's headers), in the browser the page's
/// `<html lang>`, read once (a change of language loads the page again).
pub fn current() -> Locale {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<Locale>()
            .or_else(request_locale)
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        thread_local! {
            static PAGE: Locale = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.document_element())
                .and_then(|e| e.get_attribute("lang"))
                .and_then(|l| Locale::parse(&l))
                .unwrap_or_default();
        }
        PAGE.with(|l| *l)
    }
}

/// Gives the page being rendered its request's locale, so that each message looked up while
/// it renders does not read the request's headers again.
#[cfg(feature = "ssr")]
pub fn provide_locale() {
    if let Some(locale) = request_locale() {
        leptos::prelude::provide_context(locale);
    }
}

/// The locale the request being answered asks for (its parts borrowed, not cloned); `None`
/// outside a request.
#[cfg(feature = "ssr")]
fn request_locale() -> Option<Locale> {
    leptos::prelude::with_context::<axum::http::request::Parts, _>(|parts| {
        from_headers(&parts.headers)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn accept_language_picks_the_best_spoken_language() {
        assert_eq!(
            Locale::from_accept_language("pt-BR,pt;q=0.9,en;q=0.8"),
            Locale::PtBr
        );
        assert_eq!(
            Locale::from_accept_language("fr-FR, es;q=0.7, en;q=0.5"),
            Locale::Es
        );
        assert_eq!(Locale::from_accept_language("de, fr"), Locale::En);
        assert_eq!(
            Locale::from_accept_language("en;q=0.2, es-MX;q=0.9"),
            Locale::Es
        );
        assert_eq!(Locale::from_accept_language(""), Locale::En);
        assert_eq!(Locale::parse("PT_br"), Some(Locale::PtBr));
    }

    /// Every language has exactly the messages English has, in the same area file, each once
    /// in the whole language, and every file parses.
    #[test]
    fn every_language_has_every_message() {
        let all_english: Vec<String> = Locale::En
            .sources()
            .iter()
            .flat_map(|s| message_ids(s))
            .collect();
        let distinct: BTreeSet<&String> = all_english.iter().collect();
        assert_eq!(
            distinct.len(),
            all_english.len(),
            "an id is defined twice in English"
        );
        for locale in Locale::ALL {
            let mut seen = BTreeSet::new();
            for ((area, english), source) in
                AREAS.iter().zip(Locale::En.sources()).zip(locale.sources())
            {
                let file = format!("locales/{locale}/{area}.ftl");
                if let Err((_, errors)) = FluentResource::try_new(source.to_string()) {
                    panic!("{file} does not parse: {errors:?}");
                }
                let wanted: BTreeSet<String> = message_ids(english).into_iter().collect();
                let ids = message_ids(source);
                for id in &ids {
                    assert!(seen.insert(id.clone()), "{id} is defined twice in {locale}");
                }
                let have: BTreeSet<String> = ids.into_iter().collect();
                let missing: Vec<_> = wanted.difference(&have).collect();
                let extra: Vec<_> = have.difference(&wanted).collect();
                assert!(missing.is_empty(), "{file} lacks {missing:?}");
                assert!(
                    extra.is_empty(),
                    "{file} has ids its English file lacks: {extra:?}"
                );
            }
        }
    }

    /// A message with no text (an id left empty by a translator) counts as missing.
    #[test]
    fn no_message_is_empty() {
        for locale in Locale::ALL {
            for id in Locale::En.sources().iter().flat_map(|s| message_ids(s)) {
                let text = t(locale, &id);
                assert!(
                    !text.trim().is_empty() && text != id,
                    "{locale}: {id} has no text"
                );
            }
        }
    }

    /// Every id the code asks for (`t(…, "id")`, `t_args(…, "id", …)`, `tr("id")`) is defined.
    #[test]
    fn every_id_the_code_uses_is_defined() {
        let defined: BTreeSet<String> = Locale::En
            .sources()
            .iter()
            .flat_map(|s| message_ids(s))
            .collect();
        let mut used = BTreeSet::new();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut dirs = vec![root];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap_or_default();
                    for marker in ["tr(\"", "tr_args(\"", "t(l, \"", "t_args(l, \""] {
                        let mut from = 0;
                        while let Some(at) = text[from..].find(marker) {
                            let start = from + at;
                            from = start + marker.len();
                            let before = text[..start].chars().next_back();
                            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                                continue;
                            }
                            if let Some(id) = text[from..].split('"').next() {
                                used.insert(id.to_string());
                            }
                        }
                    }
                }
            }
        }
        used.remove("id");
        assert!(used.len() > 30, "the scan found only {used:?}");
        let undefined: Vec<_> = used.difference(&defined).collect();
        assert!(
            undefined.is_empty(),
            "ids used but not in locales/en: {undefined:?}"
        );
    }

    #[test]
    fn messages_take_arguments_and_plurals() {
        let one = t_args(Locale::En, "board-rots-after", &[("days", 1.into())]);
        let many = t_args(Locale::En, "board-rots-after", &[("days", 14.into())]);
        assert_eq!(
            (one.as_str(), many.as_str()),
            ("rots after 1 day", "rots after 14 days")
        );
        assert_eq!(
            t_args(Locale::PtBr, "board-deals-word", &[("count", 2.into())]),
            "negócios"
        );
        assert_eq!(t(Locale::Es, "nav-pipeline"), "Embudo");
        assert_eq!(t(Locale::Es, "no-such-message"), "no-such-message");
    }
}
