//! Imports as records: a file uploaded in chunks (kept in the database, so every app instance
//! can read it and a run resumes after a restart), read back as a stream, its settings, its
//! start (a job), its progress and its rows' outcomes, and saved mappings. Only owners and
//! admins import.

use crate::domain::audit::AuditAction;
use crate::server::services::audit;
use std::io::Read;

use chrono::Utc;
use serde::de::DeserializeOwned;

use crate::domain::import::{
    Counts, Field, ImportSettings, ImportStatus, ImportView, Mode, Outcome, Progress, RowReport,
    SavedMapping,
};
use crate::domain::{CurrentUser, Problem, StageId, Thing};
use crate::i18n::Locale;
use crate::server::db::{self, Db, Tx};
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::services::{jobs, pipelines, Actor};

use super::mapping::suggest_all;
use super::source::Source;

/// Bytes per stored chunk.
pub const CHUNK: usize = 256 * 1024;
/// Largest file accepted (about 250,000 rows of a wide export).
pub const MAX_FILE_BYTES: usize = 50 * 1024 * 1024;
/// Rows shown before the import.
const PREVIEW_ROWS: usize = 5;
/// Longest file name kept.
const MAX_NAME: usize = 200;
/// Rows of the report a page shows.
pub const REPORT_PAGE: i64 = 50;
/// Saved mappings an account may keep.
const MAX_MAPPINGS: i64 = 100;
/// The job kind.
pub const JOB: &str = "import";

/// Refuses anyone but owners and admins.
pub fn may_import(user: &CurrentUser) -> ServiceResult<()> {
    if user.role.can_configure() {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(
            "only owners and admins import".into(),
        ))
    }
}

/// A file being uploaded: its bytes go to the database a chunk at a time.
pub struct Upload {
    db: Db,
    id: i64,
    buffer: Vec<u8>,
    seq: i64,
    bytes: usize,
    /// The first chunk, kept for the header and the preview.
    head: Option<Vec<u8>>,
}

impl Upload {
    /// Starts an import of a file called `file_name`.
    pub async fn begin(db: &Db, user: &CurrentUser, file_name: &str) -> ServiceResult<Upload> {
        may_import(user)?;
        let name: String = file_name
            .chars()
            .filter(|c| !c.is_control())
            .take(MAX_NAME)
            .collect();
        let name = if name.trim().is_empty() {
            "import.csv".to_string()
        } else {
            name.trim().to_string()
        };
        let now = db::now();
        let mut tx = db.begin().await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO imports (account_id, user_id, file_name, status, created_at, updated_at) \
             VALUES ($1, $2, $3, 'uploading', $4, $4) RETURNING id",
        )
        .bind(user.account_id)
        .bind(user.id)
        .bind(&name)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Upload {
            db: db.clone(),
            id,
            buffer: Vec::with_capacity(CHUNK),
            seq: 0,
            bytes: 0,
            head: None,
        })
    }

    /// Adds the next bytes of the file.
    pub async fn push(&mut self, mut data: &[u8]) -> ServiceResult<()> {
        self.bytes += data.len();
        if self.bytes > MAX_FILE_BYTES {
            return Err(ServiceError::invalid(
                "file",
                Problem::Text(format!(
                    "the file is larger than {} MB",
                    MAX_FILE_BYTES / 1024 / 1024
                )),
            ));
        }
        while !data.is_empty() {
            let room = CHUNK - self.buffer.len();
            let take = room.min(data.len());
            self.buffer.extend_from_slice(&data[..take]);
            data = &data[take..];
            if self.buffer.len() == CHUNK {
                self.flush().await?;
            }
        }
        Ok(())
    }

    async fn flush(&mut self) -> ServiceResult<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let bytes = std::mem::replace(&mut self.buffer, Vec::with_capacity(CHUNK));
        let mut tx = self.db.begin().await?;
        sqlx::query("INSERT INTO import_chunks (import_id, seq, bytes) VALUES ($1, $2, $3)")
            .bind(self.id)
            .bind(self.seq)
            .bind(bytes.as_slice())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        if self.head.is_none() {
            self.head = Some(bytes);
        }
        self.seq += 1;
        Ok(())
    }

    /// Ends the upload: reads the header and the first rows and suggests a mapping; returns the
    /// import's id. A file that cannot be read is refused and forgotten.
    pub async fn finish(mut self) -> ServiceResult<i64> {
        let done = self.finish_inner().await;
        if done.is_err() {
            self.forget().await;
        }
        done
    }

    async fn finish_inner(&mut self) -> ServiceResult<i64> {
        self.flush().await?;
        let head = self.head.take().unwrap_or_default();
        let mut source = Source::open(&head[..])?;
        let headers = source.headers.clone();
        let preview: Vec<Vec<String>> = source
            .by_ref()
            .take(PREVIEW_ROWS)
            .filter_map(Result::ok)
            .collect();
        let settings = ImportSettings {
            mapping: suggest_all(&headers),
            ..ImportSettings::default()
        };
        let mut tx = self.db.begin().await?;
        sqlx::query(
            "UPDATE imports SET status = 'ready', file_bytes = $1, headers = $2, preview = $3, \
             settings = $4, updated_at = $5 WHERE id = $6",
        )
        .bind(self.bytes as i64)
        .bind(json(&headers))
        .bind(json(&preview))
        .bind(json(&settings))
        .bind(db::now())
        .bind(self.id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(self.id)
    }

    /// Drops what was stored of a file that will not be imported.
    pub async fn forget(&self) {
        let result = async {
            let mut tx = self.db.begin().await?;
            sqlx::query("DELETE FROM imports WHERE id = $1")
                .bind(self.id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            ServiceResult::Ok(())
        }
        .await;
        if let Err(e) = result {
            tracing::warn!(import = self.id, error = %e, "could not drop an unfinished upload");
        }
    }
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}

fn parsed<T: DeserializeOwned + Default>(text: &str) -> T {
    serde_json::from_str(text).unwrap_or_default()
}

/// An import's row as stored.
#[derive(sqlx::FromRow)]
pub(crate) struct ImportRow {
    pub id: i64,
    pub account_id: crate::domain::AccountId,
    pub user_id: crate::domain::UserId,
    pub file_name: String,
    pub file_bytes: i64,
    pub headers: String,
    pub preview: String,
    pub settings: String,
    pub locale: String,
    pub mode: String,
    pub status: String,
    pub total_rows: Option<i64>,
    pub rows_done: i64,
    pub created_count: i64,
    pub updated_count: i64,
    pub unchanged_count: i64,
    pub skipped_count: i64,
    pub refused_count: i64,
    pub error: Option<String>,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    pub created_at: String,
    pub created_by: String,
}

pub(crate) const IMPORT_SELECT: &str = "SELECT i.id, i.account_id, i.user_id, i.file_name, i.file_bytes, i.headers, \
     i.preview, i.settings, i.locale, i.mode, i.status, i.total_rows, i.rows_done, i.created_count, \
     i.updated_count, i.unchanged_count, i.skipped_count, i.refused_count, i.error, i.started_at, \
     i.finished_at, i.created_at, u.name AS created_by FROM imports i JOIN users u ON u.id = i.user_id";

impl ImportRow {
    pub fn settings(&self) -> ImportSettings {
        parsed(&self.settings)
    }

    pub fn headers(&self) -> Vec<String> {
        parsed(&self.headers)
    }

    pub fn mode(&self) -> Mode {
        Mode::parse(&self.mode).unwrap_or_default()
    }

    pub fn status(&self) -> ImportStatus {
        ImportStatus::parse(&self.status)
    }

    pub fn locale(&self) -> Locale {
        Locale::parse(&self.locale).unwrap_or_default()
    }

    pub fn counts(&self) -> Counts {
        Counts {
            created: self.created_count,
            updated: self.updated_count,
            unchanged: self.unchanged_count,
            skipped: self.skipped_count,
            refused: self.refused_count,
        }
    }

    /// How far the run is, with its rate and the time left worked out from when it started.
    pub fn progress(&self) -> Progress {
        let status = self.status();
        let started = self.started_at.as_deref().and_then(db::parse_ts);
        let ended = self
            .finished_at
            .as_deref()
            .and_then(db::parse_ts)
            .unwrap_or_else(Utc::now);
        let rate = started
            .map(|s| (ended - s).num_milliseconds().max(1) as f64 / 1000.0)
            .filter(|_| self.rows_done > 0)
            .map(|secs| self.rows_done as f64 / secs);
        let seconds_left = match (status, rate, self.total_rows) {
            (ImportStatus::Running, Some(r), Some(total)) if r > 0.0 => {
                Some(((total - self.rows_done).max(0) as f64 / r).ceil() as i64)
            }
            _ => None,
        };
        Progress {
            status,
            mode: self.mode(),
            rows_done: self.rows_done,
            total_rows: self.total_rows,
            counts: self.counts(),
            rate,
            seconds_left,
            error: self.error.clone(),
        }
    }

    fn view(self) -> ImportView {
        ImportView {
            id: self.id,
            file_name: self.file_name.clone(),
            file_bytes: self.file_bytes,
            headers: self.headers(),
            preview: parsed(&self.preview),
            settings: self.settings(),
            progress: self.progress(),
            created_at: self.created_at.clone(),
            created_by: self.created_by.clone(),
        }
    }
}

/// Step-free read of one import of the user's account.
pub(crate) async fn load<'e, E>(ex: E, actor: Actor, id: i64) -> ServiceResult<ImportRow>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query_as(&format!(
        "{IMPORT_SELECT} WHERE i.id = $1 AND i.account_id = $2 AND i.status <> 'uploading'"
    ))
    .bind(id)
    .bind(actor.account_id)
    .fetch_optional(ex)
    .await?
    .ok_or(ServiceError::NotFound("import"))
}

/// An import of the user's account.
pub async fn get(db: &Db, user: &CurrentUser, id: i64) -> ServiceResult<ImportView> {
    may_import(user)?;
    load(&db.pool, user.into(), id).await.map(ImportRow::view)
}

/// Its progress alone (what the progress bar asks for).
pub async fn progress(db: &Db, user: &CurrentUser, id: i64) -> ServiceResult<Progress> {
    may_import(user)?;
    load(&db.pool, user.into(), id).await.map(|r| r.progress())
}

/// The account's imports, newest first (the last 50), without their previews.
pub async fn list(db: &Db, user: &CurrentUser) -> ServiceResult<Vec<ImportView>> {
    may_import(user)?;
    let rows: Vec<ImportRow> = sqlx::query_as(&format!(
        "{IMPORT_SELECT} WHERE i.account_id = $1 AND i.status <> 'uploading' ORDER BY i.id DESC LIMIT 50"
    ))
    .bind(user.account_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ImportView {
            preview: Vec::new(),
            ..r.view()
        })
        .collect())
}

/// Checks `settings` against the file's columns and the account: one field per column, each
/// field (but "ignore") on one column at most, something to import, and a stage of the
/// account.
pub(crate) async fn check_settings(
    tx: &mut Tx,
    actor: Actor,
    headers: &[String],
    settings: &ImportSettings,
) -> ServiceResult<()> {
    if settings.mapping.len() != headers.len() {
        return Err(ServiceError::invalid(
            "mapping",
            Problem::Text(format!("map each of the {} columns", headers.len())),
        ));
    }
    let mut seen: Vec<Field> = Vec::new();
    for (i, field) in settings.mapping.iter().enumerate() {
        if *field == Field::Ignore {
            continue;
        }
        if seen.contains(field) {
            return Err(ServiceError::invalid(
                format!("column_{i}"),
                Problem::Text(format!(
                    "\"{}\" is mapped to a field another column already fills",
                    headers[i]
                )),
            ));
        }
        seen.push(*field);
    }
    if seen.is_empty() {
        return Err(ServiceError::invalid("mapping", Problem::Required));
    }
    match settings.stage_id {
        Some(stage) => {
            pipelines::get_stage(&mut **tx, actor.account_id, stage)
                .await
                .map_err(|_| ServiceError::invalid("stage_id", Problem::NoSuch(Thing::Stage)))?;
        }
        None => return Err(ServiceError::invalid("stage_id", Problem::Required)),
    }
    Ok(())
}

/// Saves `settings` and starts a dry run or the import as a background job, from the first
/// row. Refused while the import runs.
pub async fn start(
    db: &Db,
    user: &CurrentUser,
    id: i64,
    mode: Mode,
    settings: &ImportSettings,
    locale: Locale,
) -> ServiceResult<()> {
    may_import(user)?;
    let actor: Actor = user.into();
    let mut tx = db.begin().await?;
    // The import's row first: two starts queue here, the second sees the first's status.
    sqlx::query("UPDATE imports SET updated_at = $1 WHERE id = $2 AND account_id = $3")
        .bind(db::now())
        .bind(id)
        .bind(actor.account_id)
        .execute(&mut *tx)
        .await?;
    let row = load(&mut *tx, actor, id).await?;
    if row.status().is_active() {
        return Err(ServiceError::Conflict(
            "the import is already running; wait for it to finish".into(),
        ));
    }
    check_settings(&mut tx, actor, &row.headers(), settings).await?;
    let (chunks,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM import_chunks WHERE import_id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
    if chunks == 0 {
        // Housekeeping deleted the file of an import finished long ago.
        return Err(ServiceError::Conflict(
            "this import's file is no longer kept; upload it again".into(),
        ));
    }
    sqlx::query("DELETE FROM import_rows WHERE import_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "UPDATE imports SET settings = $1, mode = $2, locale = $3, status = 'queued', total_rows = NULL, \
         rows_done = 0, created_count = 0, updated_count = 0, unchanged_count = 0, skipped_count = 0, \
         refused_count = 0, error = NULL, started_at = NULL, finished_at = NULL, user_id = $4, updated_at = $5 \
         WHERE id = $6",
    )
    .bind(json(settings))
    .bind(mode.key())
    .bind(locale.tag())
    .bind(user.id)
    .bind(db::now())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    jobs::enqueue(
        &mut tx,
        None,
        JOB,
        &serde_json::json!({ "import_id": id }),
        Utc::now(),
    )
    .await?;
    if mode != Mode::DryRun {
        audit::record(
            &mut *tx,
            actor,
            AuditAction::ImportStarted,
            &row.file_name,
            None,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A page (1-based) of the rows' outcomes, in file order, of one outcome or all.
pub async fn report(
    db: &Db,
    user: &CurrentUser,
    id: i64,
    outcome: Option<Outcome>,
    page: i64,
) -> ServiceResult<Vec<RowReport>> {
    may_import(user)?;
    load(&db.pool, user.into(), id).await?;
    let page = page.clamp(1, 1_000_000);
    let mut q = db::SqlBuilder::new(
        "SELECT line, outcome, summary, field, reason FROM import_rows WHERE import_id = ",
    );
    q.bind_int(id);
    if let Some(o) = outcome {
        q.push(" AND outcome = ").bind_text(o.key());
    }
    q.push(" ORDER BY line LIMIT ")
        .bind_int(REPORT_PAGE)
        .push(" OFFSET ")
        .bind_int((page - 1) * REPORT_PAGE);
    #[derive(sqlx::FromRow)]
    struct Stored {
        line: i64,
        outcome: String,
        summary: String,
        field: Option<String>,
        reason: Option<String>,
    }
    let rows: Vec<Stored> = q.query_as().fetch_all(&db.pool).await?;
    Ok(rows
        .into_iter()
        .map(|r| RowReport {
            line: r.line,
            outcome: Outcome::parse(&r.outcome).unwrap_or(Outcome::Refused),
            summary: r.summary,
            field: r.field.as_deref().and_then(Field::parse),
            reason: r.reason,
        })
        .collect())
}

/// A refused row: its line, the field at fault (its key), why, and its cells as read.
pub struct RefusedRow {
    pub line: i64,
    pub field: Option<Field>,
    pub reason: String,
    pub cells: Vec<String>,
}

#[derive(sqlx::FromRow)]
struct StoredRefusal {
    line: i64,
    field: Option<String>,
    reason: Option<String>,
    cells: Option<String>,
}

/// The refused rows after `line`, up to `limit`, in file order.
pub async fn refused_after(
    db: &Db,
    actor: Actor,
    id: i64,
    line: i64,
    limit: i64,
) -> ServiceResult<Vec<RefusedRow>> {
    load(&db.pool, actor, id).await?;
    let rows: Vec<StoredRefusal> = sqlx::query_as(
        "SELECT line, field, reason, cells FROM import_rows WHERE import_id = $1 AND outcome = 'refused' \
         AND line > $2 ORDER BY line LIMIT $3",
    )
    .bind(id)
    .bind(line)
    .bind(limit)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| RefusedRow {
            line: r.line,
            field: r.field.as_deref().and_then(Field::parse),
            reason: r.reason.unwrap_or_default(),
            cells: r.cells.as_deref().map(parsed).unwrap_or_default(),
        })
        .collect())
}

/// Deletes an import (its file and report; never what it imported). Refused while it runs.
pub async fn delete(db: &Db, user: &CurrentUser, id: i64) -> ServiceResult<()> {
    may_import(user)?;
    let mut tx = db.begin().await?;
    let row = load(&mut *tx, user.into(), id).await?;
    if row.status().is_active() {
        return Err(ServiceError::Conflict(
            "the import is running; wait for it to finish".into(),
        ));
    }
    sqlx::query("DELETE FROM imports WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Saves the import's settings under `name` (replacing a mapping of that name).
pub async fn save_mapping(
    db: &Db,
    user: &CurrentUser,
    name: &str,
    headers: &[String],
    settings: &ImportSettings,
) -> ServiceResult<()> {
    may_import(user)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(ServiceError::invalid(
            "mapping_name",
            Problem::Length { min: 1, max: 80 },
        ));
    }
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM import_mappings WHERE account_id = $1 AND name = $2")
        .bind(user.account_id)
        .bind(name)
        .execute(&mut *tx)
        .await?;
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM import_mappings WHERE account_id = $1")
            .bind(user.account_id)
            .fetch_one(&mut *tx)
            .await?;
    if count >= MAX_MAPPINGS {
        return Err(ServiceError::invalid(
            "mapping_name",
            Problem::TooManyItems {
                max: MAX_MAPPINGS as usize,
            },
        ));
    }
    sqlx::query(
        "INSERT INTO import_mappings (account_id, name, headers, settings, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(user.account_id)
    .bind(name)
    .bind(json(&headers))
    .bind(json(settings))
    .bind(db::now())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The account's saved mappings, by name.
pub async fn mappings(db: &Db, user: &CurrentUser) -> ServiceResult<Vec<SavedMapping>> {
    may_import(user)?;
    let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT id, name, headers, settings FROM import_mappings WHERE account_id = $1 ORDER BY name",
    )
    .bind(user.account_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, headers, settings)| SavedMapping {
            id,
            name,
            headers: parsed(&headers),
            settings: parsed(&settings),
        })
        .collect())
}

/// `saved`'s settings laid over a file with `headers`: each column gets the field the saved
/// mapping gave the column of the same name (ignored when it had none).
pub fn apply_mapping(saved: &SavedMapping, headers: &[String]) -> ImportSettings {
    let mapping = headers
        .iter()
        .map(|h| {
            saved
                .headers
                .iter()
                .position(|s| s.trim().eq_ignore_ascii_case(h.trim()))
                .and_then(|i| saved.settings.mapping.get(i).copied())
                .unwrap_or(Field::Ignore)
        })
        .collect();
    ImportSettings {
        mapping,
        ..saved.settings.clone()
    }
}

/// The stored file of an import, read back a chunk at a time (a blocking reader: run it off
/// the async threads; it waits for each chunk on `handle`).
pub(crate) struct ChunkReader {
    db: Db,
    handle: tokio::runtime::Handle,
    import_id: i64,
    next: i64,
    buffer: Vec<u8>,
    at: usize,
    done: bool,
}

impl ChunkReader {
    pub fn new(db: Db, handle: tokio::runtime::Handle, import_id: i64) -> Self {
        ChunkReader {
            db,
            handle,
            import_id,
            next: 0,
            buffer: Vec::new(),
            at: 0,
            done: false,
        }
    }
}

impl Read for ChunkReader {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.at == self.buffer.len() {
            if self.done {
                return Ok(0);
            }
            let row: Option<(Vec<u8>,)> = self
                .handle
                .block_on(
                    sqlx::query_as(
                        "SELECT bytes FROM import_chunks WHERE import_id = $1 AND seq = $2",
                    )
                    .bind(self.import_id)
                    .bind(self.next)
                    .fetch_optional(&self.db.pool),
                )
                .map_err(std::io::Error::other)?;
            match row {
                Some((bytes,)) => {
                    self.buffer = bytes;
                    self.at = 0;
                    self.next += 1;
                }
                None => self.done = true,
            }
        }
        let n = out.len().min(self.buffer.len() - self.at);
        out[..n].copy_from_slice(&self.buffer[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// The stage deals go to by default: the first stage of the primary pipeline.
pub async fn default_stage(db: &Db, user: &CurrentUser) -> ServiceResult<Option<StageId>> {
    let pipeline = pipelines::primary_pipeline_id(&db.pool, user.account_id).await?;
    Ok(pipelines::stages_of(&db.pool, user.account_id, pipeline)
        .await?
        .first()
        .map(|s| s.id))
}
