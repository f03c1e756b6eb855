//! Lists as CSV files: deals (a board with its filters), contacts, organizations and
//! activities, each exactly what its list shows with the same filters. Rows are read a page at
//! a time in id order ([`Sheet`]), so memory stays bounded whatever their number; the file is
//! UTF-8 with a byte-order mark (spreadsheets then read the accents), quoted per RFC 4180,
//! amounts as plain decimals, and text a spreadsheet would run as a formula (`=`, `+`, `-`,
//! `@` first) gets a leading `'`.

pub mod activities;
pub mod audit;
pub mod deals;
pub mod people;
pub mod reports;

use futures_util::stream::{self, Stream, StreamExt};

use crate::server::error::ServiceResult;

/// Rows read at once.
const PAGE: i64 = 1000;

/// A list read as CSV: its columns, and its rows a page at a time. Whatever a sheet filters
/// on is checked when it is made, so a bad filter is a 4xx and not a broken download.
#[async_trait::async_trait]
pub trait Sheet: Send + Sync + 'static {
    /// The header line's columns.
    fn columns(&self) -> &'static [&'static str];

    /// Up to `limit` rows whose id is above `after`, ids ascending: (id, cells).
    async fn rows(&self, after: i64, limit: i64) -> ServiceResult<Vec<(i64, Vec<String>)>>;
}

/// The CSV of `sheet`: the byte-order mark and the header line, then a chunk of lines per
/// page of rows.
pub fn csv<S: Sheet>(sheet: S) -> impl Stream<Item = ServiceResult<String>> + Send + 'static {
    let header = Some(format!(
        "\u{FEFF}{}",
        line(sheet.columns().iter().map(|c| c.to_string()))
    ));
    stream::unfold(
        (sheet, header, Some(0i64)),
        |(sheet, header, after)| async move {
            if let Some(h) = header {
                return Some((Ok(h), (sheet, None, after)));
            }
            let after = after?;
            match sheet.rows(after, PAGE).await {
                Ok(rows) if !rows.is_empty() => {
                    let next = (rows.len() as i64 == PAGE)
                        .then(|| rows.last().map(|(id, _)| *id))
                        .flatten();
                    let chunk: String = rows.into_iter().map(|(_, cells)| line(cells)).collect();
                    Some((Ok(chunk), (sheet, None, next)))
                }
                Ok(_) => None,
                Err(e) => Some((Err(e), (sheet, None, None))),
            }
        },
    )
    // A body (compressed, say) may ask again after the end.
    .fuse()
}

/// Cents as a plain decimal with a point (`1234.50`), as spreadsheets read it in any locale
/// setting that imports CSV.
pub fn decimal(cents: i64) -> String {
    crate::domain::money::plain_decimal(cents)
}

/// One CSV line (RFC 4180, CRLF-terminated).
pub fn line(cells: impl IntoIterator<Item = String>) -> String {
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
