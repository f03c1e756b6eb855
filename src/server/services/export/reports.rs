//! A report's table as CSV: the rows the reports page shows under its chart, numbers plain.

use crate::domain::report_table::Table;

use super::line;

/// The whole file: byte-order mark, header, rows.
pub fn report_csv(table: &Table) -> String {
    let mut out = format!("\u{FEFF}{}", line(table.columns.iter().cloned()));
    for row in &table.rows {
        out.push_str(&line(row.iter().map(|c| c.plain())));
    }
    out
}
