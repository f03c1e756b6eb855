//! Ransack-style search queries (`{"name_cont": "Rubel", "status_eq": "open"}`): each key is an
//! attribute from a whitelist followed by a predicate. Parsing checks every key and value and
//! yields typed conditions; turning them into SQL is the caller's business.
//!
//! As in Ransack, a condition whose value is blank (`null`, `""`, `[]`) is ignored, `m` chooses
//! how conditions combine (`and`, the default, or `or`) and `s` sorts (`"created_at desc"`).

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde_json::{Map, Value};

/// How an attribute's values are read and compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttrKind {
    Int,
    Text,
    /// A UTC timestamp; values are ISO-8601 (any offset) or a date (midnight UTC).
    Time,
}

/// A searchable attribute: its public name, the SQL expression it reads and its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attribute {
    pub name: &'static str,
    pub column: &'static str,
    pub kind: AttrKind,
    /// A trigram full-text table over this text column, when the store has one.
    pub text_index: Option<TextIndex>,
    /// The column holding this text folded (`domain::search::fold`): `cont`, `start` and `end`
    /// compare there, ignoring case and accents. Without one they compare `LOWER(column)`.
    pub folded: Option<&'static str>,
}

impl Attribute {
    /// An attribute without a text index.
    pub const fn new(name: &'static str, column: &'static str, kind: AttrKind) -> Self {
        Attribute {
            name,
            column,
            kind,
            text_index: None,
            folded: None,
        }
    }

    /// The same attribute, its text compared through the folded copy in `column`.
    pub const fn with_folded(self, column: &'static str) -> Self {
        Attribute {
            folded: Some(column),
            ..self
        }
    }

    /// The same attribute, searched through `index` where the store has it.
    pub const fn with_text_index(self, index: TextIndex) -> Self {
        Attribute {
            text_index: Some(index),
            ..self
        }
    }
}

/// A trigram full-text table that narrows a `cont` search on a text column before the `LIKE`
/// (SQLite FTS5: `table`'s rowid is `row_id`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextIndex {
    pub table: &'static str,
    pub row_id: &'static str,
}

/// A comparison a key may end with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Predicate {
    Eq,
    NotEq,
    Cont,
    NotCont,
    Start,
    End,
    Gt,
    Gteq,
    Lt,
    Lteq,
    In,
    NotIn,
    Null,
    NotNull,
    Present,
    Blank,
}

/// Suffixes, longest first so `not_eq` wins over `eq`.
const PREDICATES: &[(&str, Predicate)] = &[
    ("not_cont", Predicate::NotCont),
    ("not_null", Predicate::NotNull),
    ("not_eq", Predicate::NotEq),
    ("not_in", Predicate::NotIn),
    ("present", Predicate::Present),
    ("start", Predicate::Start),
    ("blank", Predicate::Blank),
    ("gteq", Predicate::Gteq),
    ("lteq", Predicate::Lteq),
    ("cont", Predicate::Cont),
    ("null", Predicate::Null),
    ("end", Predicate::End),
    ("eq", Predicate::Eq),
    ("gt", Predicate::Gt),
    ("lt", Predicate::Lt),
    ("in", Predicate::In),
];

/// The predicate suffixes accepted, for messages and documentation.
pub fn predicate_names() -> Vec<&'static str> {
    let mut names: Vec<&str> = PREDICATES.iter().map(|(n, _)| *n).collect();
    names.sort_unstable();
    names
}

/// A typed value to compare with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operand {
    Int(i64),
    /// Text, or a timestamp in storage form (`2025-01-01T00:00:00.000000Z`).
    Text(String),
}

/// What one condition compares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Test {
    /// `=`, `<>`, `>`, `>=`, `<`, `<=`.
    Compare(&'static str, Operand),
    /// Case-insensitive `LIKE` with the pattern's wildcards placed; `negate` for `not_cont`;
    /// `contains` is the text of a `cont` as the column compares it (what a trigram index can
    /// look up).
    Like {
        pattern: String,
        negate: bool,
        contains: Option<String>,
    },
    /// In (or, with `negate`, not in) a list.
    In { values: Vec<Operand>, negate: bool },
    /// `IS NULL` (or `IS NOT NULL`).
    Null(bool),
    /// Empty or null text (or, with `false`, present: neither).
    Blank(bool),
}

/// One checked condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub attribute: Attribute,
    pub test: Test,
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    pub conditions: Vec<Condition>,
    /// True when conditions combine with OR (`"m": "or"`).
    pub any: bool,
    /// Sort attribute and whether descending.
    pub sort: Option<(Attribute, bool)>,
}

/// Most values an `_in` / `_not_in` predicate takes.
pub const MAX_LIST: usize = 500;

/// A key or value the query cannot use; `key` is the offending query key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchError {
    pub key: String,
    pub message: String,
}

fn err(key: &str, message: impl Into<String>) -> SearchError {
    SearchError {
        key: key.to_string(),
        message: message.into(),
    }
}

fn is_blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.iter().all(is_blank),
        _ => false,
    }
}

/// Splits `name_not_eq` into its attribute and predicate.
fn split_key(key: &str, attributes: &[Attribute]) -> Result<(Attribute, Predicate), SearchError> {
    for (suffix, predicate) in PREDICATES {
        if let Some(name) = key
            .strip_suffix(suffix)
            .and_then(|rest| rest.strip_suffix('_'))
        {
            if let Some(a) = attributes.iter().find(|a| a.name == name) {
                return Ok((*a, *predicate));
            }
            if !name.is_empty() {
                return Err(err(
                    key,
                    format!(
                        "\"{name}\" is not a searchable attribute (searchable: {})",
                        attributes
                            .iter()
                            .map(|a| a.name)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
        }
    }
    Err(err(
        key,
        format!(
            "\"{key}\" does not end with a known predicate ({})",
            predicate_names().join(", ")
        ),
    ))
}

/// Parses a timestamp value into storage form.
pub fn parse_time(s: &str) -> Option<String> {
    let s = s.trim();
    let t = DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t.and_utc())
        })?;
    Some(t.to_rfc3339_opts(SecondsFormat::Micros, true))
}

fn operand(key: &str, attribute: &Attribute, v: &Value) -> Result<Operand, SearchError> {
    match attribute.kind {
        AttrKind::Int => match v {
            Value::Number(n) => n.as_i64().map(Operand::Int),
            Value::String(s) => s.trim().parse().ok().map(Operand::Int),
            _ => None,
        }
        .ok_or_else(|| err(key, format!("{v} is not a whole number"))),
        AttrKind::Text => match v {
            Value::String(s) => Ok(Operand::Text(s.clone())),
            Value::Number(n) => Ok(Operand::Text(n.to_string())),
            Value::Bool(b) => Ok(Operand::Text(b.to_string())),
            _ => Err(err(key, format!("{v} is not a text value"))),
        },
        AttrKind::Time => v
            .as_str()
            .and_then(parse_time)
            .map(Operand::Text)
            .ok_or_else(|| {
                err(
                    key,
                    format!("{v} is not an ISO-8601 timestamp (2025-01-15T10:30:00Z) or a date"),
                )
            }),
    }
}

fn flag(key: &str, v: &Value) -> Result<bool, SearchError> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::Number(n) if n.as_i64() == Some(1) => Ok(true),
        Value::Number(n) if n.as_i64() == Some(0) => Ok(false),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "t" => Ok(true),
            "false" | "0" | "f" => Ok(false),
            _ => Err(err(key, format!("{v} is not true or false"))),
        },
        _ => Err(err(key, format!("{v} is not true or false"))),
    }
}

fn like_pattern(key: &str, attribute: &Attribute, v: &Value) -> Result<String, SearchError> {
    if attribute.kind != AttrKind::Text {
        return Err(err(
            key,
            format!(
                "text predicates do not apply to {}, which is not text",
                attribute.name
            ),
        ));
    }
    match operand(key, attribute, v)? {
        Operand::Text(s) => Ok(escape_like(&lowered(attribute, &s))),
        Operand::Int(n) => Ok(n.to_string()),
    }
}

/// Text as `attribute`'s `LIKE` compares it: folded when it has a folded copy, else lower-cased.
fn lowered(attribute: &Attribute, text: &str) -> String {
    match attribute.folded {
        Some(_) => super::search::fold(text),
        None => text.to_lowercase(),
    }
}

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern.
pub fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn condition(
    key: &str,
    attribute: Attribute,
    predicate: Predicate,
    v: &Value,
) -> Result<Condition, SearchError> {
    let compare = |op: &'static str| -> Result<Test, SearchError> {
        Ok(Test::Compare(op, operand(key, &attribute, v)?))
    };
    let list = |negate: bool| -> Result<Test, SearchError> {
        let items: Vec<&Value> = match v {
            Value::Array(a) => a.iter().filter(|x| !is_blank(x)).collect(),
            other => vec![other],
        };
        if items.len() > MAX_LIST {
            return Err(err(
                key,
                format!("takes at most {MAX_LIST} values ({} given)", items.len()),
            ));
        }
        let values = items
            .into_iter()
            .map(|x| operand(key, &attribute, x))
            .collect::<Result<_, _>>()?;
        Ok(Test::In { values, negate })
    };
    let test = match predicate {
        Predicate::Eq => compare("=")?,
        Predicate::NotEq => compare("<>")?,
        Predicate::Gt => compare(">")?,
        Predicate::Gteq => compare(">=")?,
        Predicate::Lt => compare("<")?,
        Predicate::Lteq => compare("<=")?,
        Predicate::Cont | Predicate::NotCont => {
            let pattern = format!("%{}%", like_pattern(key, &attribute, v)?);
            let negate = predicate == Predicate::NotCont;
            let contains = match operand(key, &attribute, v)? {
                Operand::Text(s) if !negate => Some(lowered(&attribute, &s)),
                _ => None,
            };
            Test::Like {
                pattern,
                negate,
                contains,
            }
        }
        Predicate::Start => Test::Like {
            pattern: format!("{}%", like_pattern(key, &attribute, v)?),
            negate: false,
            contains: None,
        },
        Predicate::End => Test::Like {
            pattern: format!("%{}", like_pattern(key, &attribute, v)?),
            negate: false,
            contains: None,
        },
        Predicate::In => list(false)?,
        Predicate::NotIn => list(true)?,
        Predicate::Null => Test::Null(flag(key, v)?),
        Predicate::NotNull => Test::Null(!flag(key, v)?),
        Predicate::Present | Predicate::Blank => {
            if attribute.kind != AttrKind::Text {
                // Only text can be empty: present means not null, blank means null.
                let wanted = flag(key, v)?;
                Test::Null(if predicate == Predicate::Blank {
                    wanted
                } else {
                    !wanted
                })
            } else {
                let wanted = flag(key, v)?;
                Test::Blank(if predicate == Predicate::Blank {
                    wanted
                } else {
                    !wanted
                })
            }
        }
    };
    Ok(Condition { attribute, test })
}

fn sort(key: &str, v: &Value, attributes: &[Attribute]) -> Result<(Attribute, bool), SearchError> {
    let s = match v {
        Value::String(s) => s.trim(),
        Value::Array(a) if a.len() == 1 => a[0].as_str().unwrap_or("").trim(),
        _ => "",
    };
    let mut parts = s.split_whitespace();
    let name = parts.next().unwrap_or("");
    let desc = match parts.next().map(str::to_ascii_lowercase).as_deref() {
        None | Some("asc") => false,
        Some("desc") => true,
        Some(_) => return Err(err(key, "sort direction must be asc or desc")),
    };
    let attribute = attributes
        .iter()
        .find(|a| a.name == name)
        .ok_or_else(|| err(key, format!("cannot sort by \"{name}\"")))?;
    Ok((*attribute, desc))
}

/// Parses a query object against the searchable `attributes`.
pub fn parse(query: &Map<String, Value>, attributes: &[Attribute]) -> Result<Search, SearchError> {
    let mut search = Search {
        conditions: Vec::new(),
        any: false,
        sort: None,
    };
    for (key, v) in query {
        match key.as_str() {
            "m" => {
                search.any = match v {
                    Value::Null => false,
                    Value::String(m) if m.eq_ignore_ascii_case("and") => false,
                    Value::String(m) if m.eq_ignore_ascii_case("or") => true,
                    _ => return Err(err(key, "m must be \"and\" or \"or\"")),
                }
            }
            "s" | "sorts" => {
                if !is_blank(v) {
                    search.sort = Some(sort(key, v, attributes)?);
                }
            }
            _ => {
                let (attribute, predicate) = split_key(key, attributes)?;
                if !is_blank(v) {
                    search
                        .conditions
                        .push(condition(key, attribute, predicate, v)?);
                }
            }
        }
    }
    Ok(search)
}

/// Pagination in the shape the accounts API answers with (`pagy`'s fields).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Pagination {
    pub page: i64,
    /// Rows on this page.
    pub items: i64,
    pub count: i64,
    pub pages: i64,
    /// 1-based index of the first row shown (0 when none).
    pub from: i64,
    pub last: i64,
    /// 1-based index of the last row shown (0 when none).
    pub to: i64,
    pub prev: Option<i64>,
    pub next: Option<i64>,
}

impl Pagination {
    /// The pagination of page `page` (1-based) of `count` rows, `per_page` to a page.
    pub fn of(page: i64, per_page: i64, count: i64) -> Self {
        let pages = ((count + per_page - 1) / per_page).max(1);
        let offset = (page - 1).saturating_mul(per_page);
        let items = (count - offset).clamp(0, per_page);
        Pagination {
            page,
            items,
            count,
            pages,
            from: if items > 0 { offset + 1 } else { 0 },
            last: pages,
            to: if items > 0 { offset + items } else { 0 },
            prev: (page > 1).then(|| (page - 1).min(pages)),
            next: (page < pages).then(|| page + 1),
        }
    }

    /// Rows to skip before this page.
    pub fn offset(page: i64, per_page: i64) -> i64 {
        (page - 1).saturating_mul(per_page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const ATTRS: &[Attribute] = &[
        Attribute::new("id", "d.id", AttrKind::Int),
        Attribute::new("name", "d.title", AttrKind::Text),
        Attribute::new("stage_id", "d.stage_id", AttrKind::Int),
        Attribute::new("created_at", "d.created_at", AttrKind::Time),
    ];

    fn q(v: Value) -> Result<Search, SearchError> {
        parse(v.as_object().unwrap(), ATTRS)
    }

    #[test]
    fn keys_split_into_attribute_and_predicate() {
        let s = q(json!({"stage_id_not_eq": 3, "name_not_cont": "x", "id_in": [1, "2"]})).unwrap();
        let tests: Vec<_> = s
            .conditions
            .iter()
            .map(|c| (c.attribute.name, &c.test))
            .collect();
        assert!(tests.contains(&("stage_id", &Test::Compare("<>", Operand::Int(3)))));
        assert!(tests.contains(&(
            "name",
            &Test::Like {
                pattern: "%x%".into(),
                negate: true,
                contains: None,
            }
        )));
        assert!(tests.contains(&(
            "id",
            &Test::In {
                values: vec![Operand::Int(1), Operand::Int(2)],
                negate: false
            }
        )));
    }

    #[test]
    fn unknown_attributes_and_predicates_are_refused_by_key() {
        let e = q(json!({"secret_eq": 1})).unwrap_err();
        assert_eq!(e.key, "secret_eq");
        assert!(e.message.contains("not a searchable attribute"), "{e:?}");
        let e = q(json!({"name_like": "x"})).unwrap_err();
        assert_eq!(e.key, "name_like");
        assert!(e.message.contains("predicate"), "{e:?}");
    }

    #[test]
    fn values_are_typed() {
        assert_eq!(q(json!({"id_eq": "abc"})).unwrap_err().key, "id_eq");
        assert_eq!(q(json!({"id_cont": "1"})).unwrap_err().key, "id_cont");
        assert_eq!(
            q(json!({"created_at_gteq": "yesterday"})).unwrap_err().key,
            "created_at_gteq"
        );
        let s = q(json!({"created_at_gteq": "2025-01-01T02:00:00+02:00"})).unwrap();
        assert_eq!(
            s.conditions[0].test,
            Test::Compare(">=", Operand::Text("2025-01-01T00:00:00.000000Z".into()))
        );
    }

    #[test]
    fn a_folded_attribute_compares_without_case_or_accents() {
        let attrs = [Attribute::new("name", "d.title", AttrKind::Text).with_folded("d.title_key")];
        let s = parse(
            json!({"name_cont": "ÉRICA Ação"}).as_object().unwrap(),
            &attrs,
        )
        .unwrap();
        assert_eq!(
            s.conditions[0].test,
            Test::Like {
                pattern: "%erica acao%".into(),
                negate: false,
                contains: Some("erica acao".into()),
            }
        );
        // Equality stays exact.
        let s = parse(json!({"name_eq": "Érica"}).as_object().unwrap(), &attrs).unwrap();
        assert_eq!(
            s.conditions[0].test,
            Test::Compare("=", Operand::Text("Érica".into()))
        );
    }

    #[test]
    fn only_a_cont_carries_the_text_a_trigram_index_looks_up() {
        let s = q(json!({"name_cont": "Acme \"50%\""})).unwrap();
        assert_eq!(
            s.conditions[0].test,
            Test::Like {
                pattern: "%acme \"50\\%\"%".into(),
                negate: false,
                contains: Some("acme \"50%\"".into()),
            }
        );
        for key in ["name_not_cont", "name_start", "name_end"] {
            let s = q(json!({ key: "acme" })).unwrap();
            assert!(
                matches!(&s.conditions[0].test, Test::Like { contains: None, .. }),
                "{key}"
            );
        }
    }

    #[test]
    fn blank_values_are_ignored_and_like_wildcards_escaped() {
        assert!(q(json!({"name_cont": "", "id_eq": null, "id_in": []}))
            .unwrap()
            .conditions
            .is_empty());
        let s = q(json!({"name_start": "50%_Off"})).unwrap();
        assert_eq!(
            s.conditions[0].test,
            Test::Like {
                pattern: "50\\%\\_off%".into(),
                negate: false,
                contains: None,
            }
        );
    }

    #[test]
    fn null_present_and_sorting() {
        let s = q(json!({"name_present": true, "created_at_null": false, "s": "created_at desc", "m": "or"}))
            .unwrap();
        assert!(s.any);
        assert_eq!(s.sort.map(|(a, d)| (a.name, d)), Some(("created_at", true)));
        assert!(s
            .conditions
            .iter()
            .any(|c| c.attribute.name == "name" && c.test == Test::Blank(false)));
        assert!(s
            .conditions
            .iter()
            .any(|c| c.attribute.name == "created_at" && c.test == Test::Null(false)));
        assert_eq!(q(json!({"s": "password asc"})).unwrap_err().key, "s");
        assert_eq!(
            q(json!({"name_null": "maybe"})).unwrap_err().key,
            "name_null"
        );
    }

    #[test]
    fn pagination_matches_pagy() {
        let p = Pagination::of(1, 20, 1);
        assert_eq!(
            (p.page, p.items, p.count, p.pages, p.from, p.last, p.to, p.prev, p.next),
            (1, 1, 1, 1, 1, 1, 1, None, None)
        );
        let p = Pagination::of(2, 10, 25);
        assert_eq!(
            (p.items, p.pages, p.from, p.to, p.prev, p.next),
            (10, 3, 11, 20, Some(1), Some(3))
        );
        let p = Pagination::of(3, 10, 25);
        assert_eq!((p.items, p.from, p.to, p.next), (5, 21, 25, None));
        let p = Pagination::of(1, 20, 0);
        assert_eq!((p.items, p.pages, p.from, p.to), (0, 1, 0, 0));
    }
}
