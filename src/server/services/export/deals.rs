//! Deals as CSV: the deals a board shows (its pipeline and filters), one row each. The rows
//! are read a page at a time (ids ascending), so memory stays bounded whatever their number.
//! Text cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) get a
//! leading `'`.

use futures_util::stream::{self, Stream, StreamExt};

use super::board::{chosen, Filter, DEAL_JOINS};
use crate::domain::{BoardFilter, DealId, PipelineId};
use crate::server::db::{Db, SqlBuilder};
use crate::server::error::ServiceResult;
use crate::server::services::{pipelines, Actor};

/// The header line's columns.
pub const COLUMNS: &[&str] = &[
    "id",
    "title",
    "pipeline",
    "stage",
    "status",
    "value",
    "currency",
    "expected_close_date",
    "contact",
    "organization",
    "owner",
];

/// Rows read at once.
const PAGE: i64 = 500;

#[derive(sqlx::FromRow)]
struct Row {
    id: DealId,
    title: String,
    pipeline: String,
    stage: String,
    status: String,
    value_cents: i64,
    currency: String,
    expected_close_date: Option<String>,
    contact: Option<String>,
    organization: Option<String>,
    owner: Option<String>,
}

/// What an export reads: checked before the first byte is sent, so that a bad filter is a
/// 4xx and not a broken download.
pub struct Export {
    db: Db,
    actor: Actor,
    pipeline_id: PipelineId,
    filter: Filter,
}

impl Export {
    /// The export of the board of `pipeline_id` (or the primary pipeline) with `filter`.
    pub async fn prepare(
        db: &Db,
        actor: Actor,
        pipeline_id: Option<PipelineId>,
        filter: &BoardFilter,
    ) -> ServiceResult<Self> {
        let filter = Filter::parse(filter)?;
        let all = pipelines::list_pipelines(db, actor.account_id).await?;
        Ok(Self {
            db: db.clone(),
            actor,
            pipeline_id: chosen(&all, pipeline_id)?.id,
            filter,
        })
    }

    /// The CSV in UTF-8: a byte-order mark (so that spreadsheets read the accents), the header
    /// line, then a chunk of lines per page of rows.
    pub fn csv(self) -> impl Stream<Item = ServiceResult<String>> + Send + 'static {
        let header = Some(format!(
            "\u{FEFF}{}",
            line(COLUMNS.iter().map(|c| c.to_string()))
        ));
        stream::unfold(
            (self, header, Some(DealId(0))),
            |(export, header, after)| async move {
                if let Some(h) = header {
                    return Some((Ok(h), (export, None, after)));
                }
                let after = after?;
                match export.page(after).await {
                    Ok((chunk, next)) if !chunk.is_empty() => {
                        Some((Ok(chunk), (export, None, next)))
                    }
                    Ok(_) => None,
                    Err(e) => Some((Err(e), (export, None, None))),
                }
            },
        )
        // A body (compressed, say) may ask again after the end.
        .fuse()
    }

    /// The lines of the rows after deal `after`, and where the next page starts (none at the
    /// end).
    async fn page(&self, after: DealId) -> ServiceResult<(String, Option<DealId>)> {
        let mut q = SqlBuilder::new(&format!(
            "SELECT d.id, d.title, p.name AS pipeline, s.name AS stage, d.status, d.value_cents, \
             d.currency, d.expected_close_date, c.full_name AS contact, o.name AS organization, \
             u.name AS owner \
             {DEAL_JOINS} JOIN pipelines p ON p.id = d.pipeline_id \
             WHERE d.account_id = "
        ));
        q.bind_int(self.actor.account_id);
        super::push_visible(&mut q, "d", self.actor);
        q.push(" AND d.pipeline_id = ").bind_int(self.pipeline_id);
        self.filter.push(&mut q);
        q.push(" AND d.id > ").bind_int(after);
        q.push(" ORDER BY d.id LIMIT ").bind_int(PAGE);
        let rows: Vec<Row> = q.query_as().fetch_all(&self.db.pool).await?;
        let next = (rows.len() as i64 == PAGE)
            .then(|| rows.last().map(|r| r.id))
            .flatten();
        let mut out = String::new();
        for r in rows {
            out.push_str(&line([
                r.id.to_string(),
                r.title,
                r.pipeline,
                r.stage,
                r.status,
                decimal(r.value_cents),
                r.currency,
                r.expected_close_date.unwrap_or_default(),
                r.contact.unwrap_or_default(),
                r.organization.unwrap_or_default(),
                r.owner.unwrap_or_default(),
            ]));
        }
        Ok((out, next))
    }
}

/// Cents as a plain decimal with a point (`1234.50`), as spreadsheets read it in any locale
/// setting that imports CSV.
fn decimal(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// One CSV line (RFC 4180, CRLF-terminated).
fn line(cells: impl IntoIterator<Item = String>) -> String {
    let mut out = String::new();
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&cell_text(&cell));
    }
    out.push_str("\r\n");
    out
}

/// A cell: quoted when it holds a comma, a quote, a line break or edge spaces; a leading `'`
/// when a spreadsheet would read it as a formula.
fn cell_text(value: &str) -> String {
    let value =
        if value.starts_with(['=', '+', '-', '@', '\t', '\r']) && value.parse::<f64>().is_err() {
            format!("'{value}")
        } else {
            value.to_string()
        };
    if value.contains([',', '"', '\n', '\r']) || value.trim() != value {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_formulas_disarmed() {
        assert_eq!(cell_text("Acme"), "Acme");
        assert_eq!(cell_text("Acme, Inc."), "\"Acme, Inc.\"");
        assert_eq!(cell_text("the \"big\" one"), "\"the \"\"big\"\" one\"");
        assert_eq!(cell_text("two\nlines"), "\"two\nlines\"");
        assert_eq!(cell_text(" padded"), "\" padded\"");
        assert_eq!(cell_text("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell_text("@cmd"), "'@cmd");
        assert_eq!(cell_text("-12.50"), "-12.50");
        assert_eq!(cell_text("Érica São João"), "Érica São João");
    }

    #[test]
    fn lines_and_amounts() {
        assert_eq!(
            line(["a".into(), "b,c".into(), String::new()]),
            "a,\"b,c\",\r\n"
        );
        assert_eq!(decimal(123450), "1234.50");
        assert_eq!(decimal(5), "0.05");
        assert_eq!(decimal(-250), "-2.50");
    }
}
