//! Each report as one table: the rows the reports page shows under a chart and the CSV file
//! holds, cell for cell. A cell knows its plain value (what the file holds) and what it is,
//! so the page can write it for the reader's language.

use super::report::{ActivityReport, ForecastReport, FunnelReport, VelocityReport, WonLostReport};

/// The reports of the reports page, by the slug of their CSV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportKind {
    Forecast,
    Funnel,
    Velocity,
    WonLost,
    Activity,
}

impl ReportKind {
    pub const ALL: [ReportKind; 5] = [
        Self::Forecast,
        Self::Funnel,
        Self::Velocity,
        Self::WonLost,
        Self::Activity,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Self::Forecast => "forecast",
            Self::Funnel => "funnel",
            Self::Velocity => "velocity",
            Self::WonLost => "won-lost",
            Self::Activity => "activity",
        }
    }

    pub fn parse(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.slug() == slug)
    }
}

/// One cell of a report table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// A name as stored (a stage, a person, a reason).
    Text(String),
    /// A machine word the page translates (`all`, `overdue`, `month`, …).
    Word(&'static str),
    Count(i64),
    /// Cents of the report's currency.
    Money(i64),
    /// Days to a tenth; none when there was nothing to measure.
    Days(Option<f64>),
    /// Whole percent; none when there was nothing to divide.
    Percent(Option<i64>),
    Empty,
}

impl Cell {
    /// The value as the CSV file holds it: numbers plain (`1234.50`, `6.5`), words as words.
    pub fn plain(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Word(w) => (*w).to_string(),
            Cell::Count(n) => n.to_string(),
            Cell::Money(c) => super::money::plain_decimal(*c),
            Cell::Days(d) => d.map(|d| format!("{d:.1}")).unwrap_or_default(),
            Cell::Percent(p) => p.map(|p| p.to_string()).unwrap_or_default(),
            Cell::Empty => String::new(),
        }
    }
}

/// A report's rows under named columns (machine words, the CSV header).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    fn new(columns: &[&str]) -> Self {
        Table {
            columns: columns.iter().map(|c| c.to_string()).collect(),
            rows: Vec::new(),
        }
    }
}

/// The forecast: per month a row for each stage holding deals and one for all stages (with
/// what was won), then the overdue and undated deals.
pub fn forecast(r: &ForecastReport) -> Table {
    let mut t = Table::new(&["month", "stage", "deals", "total", "weighted", "won"]);
    for m in &r.months {
        for (s, a) in r.stages.iter().zip(&m.stages) {
            if a.deals > 0 {
                t.rows.push(vec![
                    Cell::Text(m.month.clone()),
                    Cell::Text(s.name.clone()),
                    Cell::Count(a.deals),
                    Cell::Money(a.total_cents),
                    Cell::Money(a.weighted_cents),
                    Cell::Empty,
                ]);
            }
        }
        t.rows.push(vec![
            Cell::Text(m.month.clone()),
            Cell::Word("all"),
            Cell::Count(m.open.deals),
            Cell::Money(m.open.total_cents),
            Cell::Money(m.open.weighted_cents),
            Cell::Money(m.won_cents),
        ]);
    }
    for (word, a) in [("overdue", r.overdue), ("undated", r.undated)] {
        t.rows.push(vec![
            Cell::Word(word),
            Cell::Word("all"),
            Cell::Count(a.deals),
            Cell::Money(a.total_cents),
            Cell::Money(a.weighted_cents),
            Cell::Empty,
        ]);
    }
    t
}

/// The funnel, a row per stage.
pub fn funnel(r: &FunnelReport) -> Table {
    let mut t = Table::new(&["stage", "entered", "went_on", "percent_on"]);
    t.rows = r
        .stages
        .iter()
        .map(|s| {
            vec![
                Cell::Text(s.name.clone()),
                Cell::Count(s.entered),
                Cell::Count(s.went_on),
                Cell::Percent(s.percent_on()),
            ]
        })
        .collect();
    t
}

/// Velocity, a row per stage.
pub fn velocity(r: &VelocityReport) -> Table {
    let mut t = Table::new(&[
        "stage",
        "stays",
        "median_days",
        "p90_days",
        "open_deals",
        "open_median_days",
        "open_longest_days",
    ]);
    t.rows = r
        .stages
        .iter()
        .map(|s| {
            vec![
                Cell::Text(s.name.clone()),
                Cell::Count(s.stays),
                Cell::Days(s.median_days),
                Cell::Days(s.p90_days),
                Cell::Count(s.open_deals),
                Cell::Days(s.open_median_days),
                Cell::Days(s.open_longest_days),
            ]
        })
        .collect();
    t
}

/// A name that may be empty ("none given").
fn named(s: &str) -> Cell {
    if s.is_empty() {
        Cell::Word("none")
    } else {
        Cell::Text(s.to_string())
    }
}

/// Won and lost, four breakdowns one after the other.
pub fn won_lost(r: &WonLostReport) -> Table {
    let mut t = Table::new(&["breakdown", "name", "won", "lost"]);
    for (m, w, l) in &r.months {
        t.rows.push(vec![
            Cell::Word("month"),
            Cell::Text(m.clone()),
            Cell::Count(*w),
            Cell::Count(*l),
        ]);
    }
    for (_, name, l) in &r.lost_by_stage {
        t.rows.push(vec![
            Cell::Word("stage"),
            Cell::Text(name.clone()),
            Cell::Empty,
            Cell::Count(*l),
        ]);
    }
    for (reason, l) in &r.lost_by_reason {
        t.rows.push(vec![
            Cell::Word("reason"),
            named(reason),
            Cell::Empty,
            Cell::Count(*l),
        ]);
    }
    for (source, w, l) in &r.by_source {
        t.rows.push(vec![
            Cell::Word("source"),
            named(source),
            Cell::Count(*w),
            Cell::Count(*l),
        ]);
    }
    t
}

/// Activity: a row per week, then a row per person with points and overdue activities.
pub fn activity(r: &ActivityReport) -> Table {
    let mut columns = vec!["breakdown".to_string(), "name".to_string()];
    columns.extend(r.kinds.iter().cloned());
    columns.extend(["points".to_string(), "overdue".to_string()]);
    let mut rows = Vec::new();
    for w in &r.weeks {
        let mut row = vec![Cell::Word("week"), Cell::Text(w.week.clone())];
        row.extend(w.done.iter().map(|n| Cell::Count(*n)));
        row.extend([Cell::Empty, Cell::Empty]);
        rows.push(row);
    }
    for p in &r.people {
        let mut row = vec![Cell::Word("person"), Cell::Text(p.name.clone())];
        row.extend(p.done.iter().map(|n| Cell::Count(*n)));
        row.extend([Cell::Count(p.points), Cell::Count(p.overdue)]);
        rows.push(row);
    }
    Table { columns, rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_values_are_what_a_spreadsheet_reads() {
        assert_eq!(Cell::Money(123_450).plain(), "1234.50");
        assert_eq!(Cell::Money(-5).plain(), "-0.05");
        assert_eq!(Cell::Days(Some(6.0)).plain(), "6.0");
        assert_eq!(Cell::Days(None).plain(), "");
        assert_eq!(Cell::Percent(Some(55)).plain(), "55");
        assert_eq!(Cell::Word("overdue").plain(), "overdue");
    }
}
