//! The deal table (`/deals`): every deal of the account as rows, with the columns, filters,
//! order and page a reader picks. The query is kept as typed (it travels in the URL); the
//! server reads and checks it (`services::deals::table`).

use serde::{Deserialize, Serialize};

use super::{DealId, DealStatus};

/// A column of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Column {
    Title,
    Pipeline,
    Stage,
    Status,
    Value,
    Owner,
    Contact,
    Organization,
    ExpectedClose,
    LeadSource,
    Tags,
    Created,
    Updated,
}

impl Column {
    /// Every column, in the order the table shows them.
    pub const ALL: [Column; 13] = [
        Column::Title,
        Column::Pipeline,
        Column::Stage,
        Column::Status,
        Column::Value,
        Column::Owner,
        Column::Contact,
        Column::Organization,
        Column::ExpectedClose,
        Column::LeadSource,
        Column::Tags,
        Column::Created,
        Column::Updated,
    ];

    /// The columns shown until a reader picks others.
    pub const DEFAULT: [Column; 7] = [
        Column::Title,
        Column::Stage,
        Column::Status,
        Column::Value,
        Column::Owner,
        Column::Organization,
        Column::ExpectedClose,
    ];

    /// Its name in URLs (`cols`, `sort`).
    pub fn key(self) -> &'static str {
        match self {
            Column::Title => "title",
            Column::Pipeline => "pipeline",
            Column::Stage => "stage",
            Column::Status => "status",
            Column::Value => "value",
            Column::Owner => "owner",
            Column::Contact => "contact",
            Column::Organization => "organization",
            Column::ExpectedClose => "expected_close",
            Column::LeadSource => "lead_source",
            Column::Tags => "tags",
            Column::Created => "created",
            Column::Updated => "updated",
        }
    }

    /// The column named `key`.
    pub fn parse(key: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.key() == key.trim())
    }

    /// Whether the table can be ordered by it (a deal has several tags: not sortable).
    pub fn sortable(self) -> bool {
        self != Column::Tags
    }
}

/// The table's query as typed: filters, columns, order and page (empty values are no filter).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableQuery {
    /// `open`, `won`, `lost`, or empty / `all` for every deal.
    pub status: String,
    pub pipeline: String,
    pub stage: String,
    pub owner: String,
    pub min_value: String,
    pub max_value: String,
    /// Created on or after / before these days (`YYYY-MM-DD`).
    pub created_from: String,
    pub created_to: String,
    /// Expected to close on or after / before these days.
    pub close_from: String,
    pub close_to: String,
    pub tag: String,
    pub lead_source: String,
    /// Text in the title, the contact's or the organization's name.
    pub q: String,
    /// A sortable column's key; `dir` is `asc` or `desc`.
    pub sort: String,
    pub dir: String,
    /// The columns shown, by key (empty: [`Column::DEFAULT`]).
    pub cols: Vec<String>,
    pub page: String,
    /// Where the page starts: the cursor of the "next" link of the page before it (`page` is
    /// then the cursor's).
    #[serde(default)]
    pub after: String,
}

/// The filter keys of [`TableQuery`], in URL order.
pub const FILTER_KEYS: [&str; 13] = [
    "status",
    "pipeline",
    "stage",
    "owner",
    "min_value",
    "max_value",
    "created_from",
    "created_to",
    "close_from",
    "close_to",
    "tag",
    "lead_source",
    "q",
];

impl TableQuery {
    /// The query a URL gives: `get` reads one value, `get_all` a repeated one (`cols`).
    pub fn from_query(
        get: impl Fn(&str) -> Option<String>,
        get_all: impl Fn(&str) -> Vec<String>,
    ) -> Self {
        let one = |k: &str| get(k).unwrap_or_default();
        TableQuery {
            status: one("status"),
            pipeline: one("pipeline"),
            stage: one("stage"),
            owner: one("owner"),
            min_value: one("min_value"),
            max_value: one("max_value"),
            created_from: one("created_from"),
            created_to: one("created_to"),
            close_from: one("close_from"),
            close_to: one("close_to"),
            tag: one("tag"),
            lead_source: one("lead_source"),
            q: one("q"),
            sort: one("sort"),
            dir: one("dir"),
            cols: get_all("cols"),
            page: one("page"),
            after: one("after"),
        }
    }

    /// A filter's value by its key (one of [`FILTER_KEYS`]).
    pub fn filter(&self, key: &str) -> &str {
        match key {
            "status" => &self.status,
            "pipeline" => &self.pipeline,
            "stage" => &self.stage,
            "owner" => &self.owner,
            "min_value" => &self.min_value,
            "max_value" => &self.max_value,
            "created_from" => &self.created_from,
            "created_to" => &self.created_to,
            "close_from" => &self.close_from,
            "close_to" => &self.close_to,
            "tag" => &self.tag,
            "lead_source" => &self.lead_source,
            "q" => &self.q,
            _ => "",
        }
    }

    /// The whole query as a URL query (without `?`), its cursor included.
    pub fn to_query(&self) -> String {
        let mut query = self.to_query_with(&self.sort, &self.dir, &self.page);
        if !self.after.trim().is_empty() {
            if !query.is_empty() {
                query.push('&');
            }
            query.push_str("after=");
            query.push_str(&super::url_encode(&self.after));
        }
        query
    }

    /// The URL query (without `?`) of these filters and columns, with `sort`, `dir` and
    /// `page` as given (empty ones left out).
    pub fn to_query_with(&self, sort: &str, dir: &str, page: &str) -> String {
        let mut pairs: Vec<String> = FILTER_KEYS
            .iter()
            .filter(|k| !self.filter(k).trim().is_empty())
            .map(|k| format!("{k}={}", super::url_encode(self.filter(k))))
            .collect();
        pairs.extend(
            self.cols
                .iter()
                .map(|c| format!("cols={}", super::url_encode(c))),
        );
        for (k, v) in [("sort", sort), ("dir", dir), ("page", page)] {
            if !v.is_empty() {
                pairs.push(format!("{k}={}", super::url_encode(v)));
            }
        }
        pairs.join("&")
    }
}

/// One deal as a row of the table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableRow {
    pub id: DealId,
    pub title: String,
    pub pipeline: String,
    pub stage: String,
    pub status: DealStatus,
    pub value_cents: i64,
    pub currency: String,
    pub owner: Option<String>,
    pub contact: Option<String>,
    pub organization: Option<String>,
    /// `YYYY-MM-DD`.
    pub expected_close_date: Option<String>,
    pub lead_source: Option<String>,
    pub tags: Vec<String>,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub updated_at: String,
}

/// A page of the table, with what it was read with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TablePage {
    pub rows: Vec<TableRow>,
    /// Deals matching the filters in all.
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    pub columns: Vec<Column>,
    pub sort: Column,
    pub descending: bool,
    /// The cursor of the next page, when there is one and the order allows it: the "next"
    /// link reads that page from the index after this page's last row, however deep.
    #[serde(default)]
    pub next: Option<String>,
}

/// A saved view: a name for a table's query, its author's or shared with the account; it
/// opens on the table and, with the filters a board has, on the board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedView {
    pub id: i64,
    pub name: String,
    pub shared: bool,
    /// The reader made it (and may delete it).
    pub mine: bool,
    /// `/deals?…`
    pub table_href: String,
    /// The board of its pipeline (or the primary one) with its owner, status, value and text
    /// filters.
    pub board_href: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_round_trip_their_keys() {
        for c in Column::ALL {
            assert_eq!(Column::parse(c.key()), Some(c));
        }
        assert_eq!(Column::parse("nope"), None);
        assert!(!Column::Tags.sortable());
    }

    #[test]
    fn a_query_round_trips_through_its_url() {
        let q = TableQuery {
            status: "won".into(),
            q: "São Paulo & co".into(),
            cols: vec!["title".into(), "value".into()],
            ..Default::default()
        };
        let url = q.to_query_with("value", "desc", "2");
        assert_eq!(
            url,
            "status=won&q=S%C3%A3o%20Paulo%20%26%20co&cols=title&cols=value&sort=value&dir=desc&page=2"
        );
        let paged = TableQuery {
            after: "MgoxMgo".into(),
            sort: "value".into(),
            ..q.clone()
        };
        assert_eq!(
            paged.to_query(),
            "status=won&q=S%C3%A3o%20Paulo%20%26%20co&cols=title&cols=value&sort=value&after=MgoxMgo"
        );
        assert_eq!(
            TableQuery {
                after: "x".into(),
                ..Default::default()
            }
            .to_query(),
            "after=x"
        );
    }
}
