//! Imports of CSV files (`/import`): what a column holds, how a file writes its dates and
//! amounts, what a duplicate does, and an import's settings, progress and row-by-row outcome
//! as the pages show them. The reading and writing live in `server::services::import`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::StageId;

/// A field a column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Left out of the import.
    Ignore,
    DealTitle,
    DealValue,
    DealCurrency,
    /// A stage's name (or key) in the chosen pipeline; the default stage when empty.
    DealStage,
    /// `open`, `won` or `lost` (also as Pipedrive and HubSpot write them).
    DealStatus,
    DealExpectedClose,
    /// A user of the account, by e-mail or name.
    DealOwner,
    DealLostReason,
    /// The deal's id in the system the file comes from: a second import updates it.
    DealExternalId,
    ContactName,
    ContactFirstName,
    ContactLastName,
    ContactEmail,
    ContactPhone,
    OrganizationName,
}

impl Field {
    /// Every field, in the order the mapping offers them.
    pub const ALL: [Field; 16] = [
        Field::Ignore,
        Field::DealTitle,
        Field::DealValue,
        Field::DealCurrency,
        Field::DealStage,
        Field::DealStatus,
        Field::DealExpectedClose,
        Field::DealOwner,
        Field::DealLostReason,
        Field::DealExternalId,
        Field::ContactName,
        Field::ContactFirstName,
        Field::ContactLastName,
        Field::ContactEmail,
        Field::ContactPhone,
        Field::OrganizationName,
    ];

    /// Its name in forms and saved mappings.
    pub fn key(self) -> &'static str {
        match self {
            Field::Ignore => "ignore",
            Field::DealTitle => "deal_title",
            Field::DealValue => "deal_value",
            Field::DealCurrency => "deal_currency",
            Field::DealStage => "deal_stage",
            Field::DealStatus => "deal_status",
            Field::DealExpectedClose => "deal_expected_close",
            Field::DealOwner => "deal_owner",
            Field::DealLostReason => "deal_lost_reason",
            Field::DealExternalId => "deal_external_id",
            Field::ContactName => "contact_name",
            Field::ContactFirstName => "contact_first_name",
            Field::ContactLastName => "contact_last_name",
            Field::ContactEmail => "contact_email",
            Field::ContactPhone => "contact_phone",
            Field::OrganizationName => "organization_name",
        }
    }

    /// The field named `key`.
    pub fn parse(key: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.key() == key.trim())
    }
}

/// How the file writes dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateFormat {
    /// `2026-03-31` (also with a time after it, as exports add).
    #[default]
    Iso,
    /// `31/03/2026`.
    DayMonthYear,
    /// `03/31/2026`.
    MonthDayYear,
}

impl DateFormat {
    /// The day `text` names in this form.
    pub fn parse(self, text: &str) -> Option<NaiveDate> {
        let text = text.trim();
        match self {
            DateFormat::Iso => {
                NaiveDate::parse_from_str(text.get(..10).unwrap_or(text), "%Y-%m-%d").ok()
            }
            DateFormat::DayMonthYear => NaiveDate::parse_from_str(text, "%d/%m/%Y")
                .or_else(|_| NaiveDate::parse_from_str(text, "%d.%m.%Y"))
                .or_else(|_| NaiveDate::parse_from_str(text, "%d-%m-%Y"))
                .ok(),
            DateFormat::MonthDayYear => NaiveDate::parse_from_str(text, "%m/%d/%Y").ok(),
        }
    }
}

/// What a row whose record already exists does (contacts match by e-mail or phone,
/// organizations by name, deals by the external id column or by title and organization).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Duplicates {
    /// The row is skipped; nothing of it is written.
    #[default]
    Skip,
    /// The record gets the row's non-empty values.
    Update,
    /// A new record is made beside it (an organization, unique by name, is reused).
    Create,
}

impl Duplicates {
    pub const ALL: [Duplicates; 3] = [Duplicates::Skip, Duplicates::Update, Duplicates::Create];

    pub fn key(self) -> &'static str {
        match self {
            Duplicates::Skip => "skip",
            Duplicates::Update => "update",
            Duplicates::Create => "create",
        }
    }

    pub fn parse(key: &str) -> Option<Duplicates> {
        Duplicates::ALL.into_iter().find(|d| d.key() == key.trim())
    }
}

impl DateFormat {
    pub const ALL: [DateFormat; 3] = [
        DateFormat::Iso,
        DateFormat::DayMonthYear,
        DateFormat::MonthDayYear,
    ];

    pub fn key(self) -> &'static str {
        match self {
            DateFormat::Iso => "iso",
            DateFormat::DayMonthYear => "day_month_year",
            DateFormat::MonthDayYear => "month_day_year",
        }
    }

    pub fn parse_key(key: &str) -> Option<DateFormat> {
        DateFormat::ALL.into_iter().find(|d| d.key() == key.trim())
    }
}

/// How a file is read and written: each column's field (in column order), the stage deals go
/// to when the row names none (its pipeline is the import's), what duplicates do, the date
/// form and whether amounts use a decimal comma (`1.200,50`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ImportSettings {
    pub mapping: Vec<Field>,
    pub stage_id: Option<StageId>,
    pub duplicates: Duplicates,
    pub dates: DateFormat,
    pub decimal_comma: bool,
}

/// A dry run (reports what would happen, writes no record) or the import itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    #[default]
    DryRun,
    Import,
}

impl Mode {
    pub fn key(self) -> &'static str {
        match self {
            Mode::DryRun => "dry_run",
            Mode::Import => "import",
        }
    }

    pub fn parse(key: &str) -> Option<Mode> {
        [Mode::DryRun, Mode::Import]
            .into_iter()
            .find(|m| m.key() == key.trim())
    }
}

/// Where an import stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportStatus {
    /// Uploaded; nothing run yet.
    #[default]
    Ready,
    /// Waiting for a worker.
    Queued,
    Running,
    Done,
    /// Given up after its tries; the rows before the last checkpoint are written, the rest not.
    Failed,
}

impl ImportStatus {
    pub const ALL: [ImportStatus; 5] = [
        ImportStatus::Ready,
        ImportStatus::Queued,
        ImportStatus::Running,
        ImportStatus::Done,
        ImportStatus::Failed,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ImportStatus::Ready => "ready",
            ImportStatus::Queued => "queued",
            ImportStatus::Running => "running",
            ImportStatus::Done => "done",
            ImportStatus::Failed => "failed",
        }
    }

    pub fn parse(key: &str) -> ImportStatus {
        ImportStatus::ALL
            .into_iter()
            .find(|s| s.key() == key)
            .unwrap_or_default()
    }

    /// Still to finish.
    pub fn is_active(self) -> bool {
        matches!(self, ImportStatus::Queued | ImportStatus::Running)
    }
}

/// What became of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Created,
    Updated,
    /// Its record exists with the same values: nothing to write.
    Unchanged,
    /// Its record exists and duplicates are skipped.
    Skipped,
    Refused,
}

impl Outcome {
    pub const ALL: [Outcome; 5] = [
        Outcome::Created,
        Outcome::Updated,
        Outcome::Unchanged,
        Outcome::Skipped,
        Outcome::Refused,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Outcome::Created => "created",
            Outcome::Updated => "updated",
            Outcome::Unchanged => "unchanged",
            Outcome::Skipped => "skipped",
            Outcome::Refused => "refused",
        }
    }

    pub fn parse(key: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.key() == key)
    }
}

/// Rows per outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Counts {
    pub created: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub skipped: i64,
    pub refused: i64,
}

impl Counts {
    pub fn add(&mut self, outcome: Outcome) {
        *self.get_mut(outcome) += 1;
    }

    pub fn get(&self, outcome: Outcome) -> i64 {
        match outcome {
            Outcome::Created => self.created,
            Outcome::Updated => self.updated,
            Outcome::Unchanged => self.unchanged,
            Outcome::Skipped => self.skipped,
            Outcome::Refused => self.refused,
        }
    }

    fn get_mut(&mut self, outcome: Outcome) -> &mut i64 {
        match outcome {
            Outcome::Created => &mut self.created,
            Outcome::Updated => &mut self.updated,
            Outcome::Unchanged => &mut self.unchanged,
            Outcome::Skipped => &mut self.skipped,
            Outcome::Refused => &mut self.refused,
        }
    }

    pub fn total(&self) -> i64 {
        Outcome::ALL.into_iter().map(|o| self.get(o)).sum()
    }
}

/// An import's progress: what runs, how far it is, how fast, and its counts so far.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Progress {
    pub status: ImportStatus,
    pub mode: Mode,
    pub rows_done: i64,
    /// Known once the run has counted the file's rows.
    pub total_rows: Option<i64>,
    pub counts: Counts,
    /// Rows a second since the run started.
    pub rate: Option<f64>,
    pub seconds_left: Option<i64>,
    /// Why a failed import stopped.
    pub error: Option<String>,
}

impl Progress {
    /// Done rows in percent of the total (0 while it is unknown).
    pub fn percent(&self) -> i64 {
        match self.total_rows {
            Some(t) if t > 0 => (self.rows_done * 100 / t).clamp(0, 100),
            Some(_) => 100,
            None => 0,
        }
    }
}

/// A row's outcome as reported: its line in the file, what became of it, a short account of
/// the records it touched, and for a refused row the field at fault and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowReport {
    pub line: i64,
    pub outcome: Outcome,
    pub summary: String,
    pub field: Option<Field>,
    pub reason: Option<String>,
}

/// An import as its page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportView {
    pub id: i64,
    pub file_name: String,
    pub file_bytes: i64,
    pub headers: Vec<String>,
    /// The first rows of the file.
    pub preview: Vec<Vec<String>>,
    pub settings: ImportSettings,
    pub progress: Progress,
    pub created_at: String,
    pub created_by: String,
}

/// A mapping saved under a name, reused on later files with the same columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedMapping {
    pub id: i64,
    pub name: String,
    pub headers: Vec<String>,
    pub settings: ImportSettings,
}
