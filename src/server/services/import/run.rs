//! The import job: reads the stored file as a stream on a blocking thread (one row in memory
//! at a time, a bounded queue between it and the writer), and writes rows in batches. Each
//! batch is one transaction holding its rows' records, their outcomes, the import's counts
//! and checkpoint (`rows_done`) and the renewal of the job's lease: a run killed at any point
//! resumes after the last committed batch, so every row is imported once. A row's new deal
//! waits to be created with the batch's others; a row that writes at once does it in a
//! savepoint, so a refused row leaves nothing behind (`records`).
//!
//! A dry run goes the same way writing only outcomes; one interrupted starts again from the
//! first row (its memory of earlier rows is gone).

use crate::domain::audit::AuditAction;
use crate::domain::import::{Counts, Field, ImportStatus, Mode, Outcome};
use crate::domain::Problem;
use crate::i18n::Locale;
use crate::server::db::{self, Arg, Db, SqlBuilder, Tx};
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::services::audit;
use crate::server::services::jobs::{self, Job, MAX_ATTEMPTS};
use crate::server::services::{contacts, Actor};

use super::records::{self, Context, Refused};
use super::rows::{self, Reading, RowValues};
use super::source::Source;
use super::store::{ChunkReader, ImportRow, IMPORT_SELECT};

/// Rows per transaction.
pub const BATCH: usize = 250;
/// Rows read ahead of the writer.
const READ_AHEAD: usize = 1024;

/// A row as the reader hands it over: its line, and its cells or why it cannot be read.
type Line = (i64, Result<Vec<String>, Problem>);

/// Runs (or resumes) the import the job names.
pub async fn run(db: &Db, job: &Job, worker: &str) -> ServiceResult<()> {
    let Some(import_id) = job.payload["import_id"].as_i64() else {
        return Ok(());
    };
    let result = run_import(db, job, worker, import_id).await;
    if let Err(e) = &result {
        if job.attempts >= MAX_ATTEMPTS {
            mark(db, import_id, ImportStatus::Failed, Some(&e.to_string())).await?;
        }
    }
    result
}

async fn mark(
    db: &Db,
    import_id: i64,
    status: ImportStatus,
    error: Option<&str>,
) -> ServiceResult<()> {
    let mut tx = db.begin().await?;
    sqlx::query(
        "UPDATE imports SET status = $1, error = $2, finished_at = $3, updated_at = $3 WHERE id = $4",
    )
    .bind(status.key())
    .bind(error)
    .bind(db::now())
    .bind(import_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

async fn run_import(db: &Db, job: &Job, worker: &str, import_id: i64) -> ServiceResult<()> {
    let row: Option<ImportRow> = sqlx::query_as(&format!("{IMPORT_SELECT} WHERE i.id = $1"))
        .bind(import_id)
        .fetch_optional(&db.pool)
        .await?;
    let Some(import) = row else { return Ok(()) };
    if !import.status().is_active() {
        return Ok(());
    }
    let actor = Actor {
        account_id: import.account_id,
        user_id: Some(import.user_id),
    };
    let settings = import.settings();
    let mode = import.mode();
    let locale = import.locale();
    let Some(stage) = settings.stage_id else {
        return mark(
            db,
            import_id,
            ImportStatus::Failed,
            Some("no default stage"),
        )
        .await;
    };

    let mut counts = import.counts();
    let mut done = import.rows_done;
    {
        let mut tx = db.begin().await?;
        if mode == Mode::DryRun && done > 0 {
            sqlx::query("DELETE FROM import_rows WHERE import_id = $1")
                .bind(import_id)
                .execute(&mut *tx)
                .await?;
            counts = Counts::default();
            done = 0;
        }
        sqlx::query(
            "UPDATE imports SET status = 'running', started_at = COALESCE(started_at, $1), rows_done = $2, \
             created_count = $3, updated_count = $4, unchanged_count = $5, skipped_count = $6, \
             refused_count = $7, updated_at = $1 WHERE id = $8",
        )
        .bind(db::now())
        .bind(done)
        .bind(counts.created)
        .bind(counts.updated)
        .bind(counts.unchanged)
        .bind(counts.skipped)
        .bind(counts.refused)
        .bind(import_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
    }

    if import.total_rows.is_none() {
        let total = count_rows(db, import_id).await?;
        let mut tx = db.begin().await?;
        sqlx::query("UPDATE imports SET total_rows = $1 WHERE id = $2")
            .bind(total)
            .bind(import_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }

    let reading = Reading {
        mapping: settings.mapping.clone(),
        dates: settings.dates,
        decimal_comma: settings.decimal_comma,
        country: contacts::account_country(&db.pool, actor).await?,
    };
    let mut ctx = {
        let mut tx = db.begin().await?;
        let ctx = Context::load(
            &mut tx,
            actor,
            stage,
            settings.duplicates,
            mode == Mode::DryRun,
        )
        .await;
        tx.rollback().await?;
        match ctx {
            Ok(ctx) => ctx,
            Err(e) => return mark(db, import_id, ImportStatus::Failed, Some(&e.to_string())).await,
        }
    };

    let mut lines = read_rows(db.clone(), import_id, done);
    loop {
        let mut batch: Vec<Line> = Vec::with_capacity(BATCH);
        while batch.len() < BATCH {
            match lines.recv().await {
                Some(line) => batch.push(line),
                None => break,
            }
        }
        if batch.is_empty() {
            break;
        }
        let read: Vec<(i64, Result<RowValues, Report>)> = batch
            .iter()
            .map(|(line, cells)| (*line, read_row(&reading, locale, *line, cells)))
            .collect();
        let mut tx = db.begin().await?;
        ctx.prepare(&mut tx, read.iter().filter_map(|(_, r)| r.as_ref().ok()))
            .await?;
        let mut reports = Vec::with_capacity(batch.len());
        for ((line, read), (_, cells)) in read.into_iter().zip(&batch) {
            let report = match read {
                Ok(values) => {
                    write_row(&mut tx, &mut ctx, locale, line, cells, &values, mode).await?
                }
                Err(report) => report,
            };
            counts.add(report.outcome);
            reports.push(report);
        }
        records::flush(&mut tx, &mut ctx).await?;
        store_reports(&mut tx, import_id, &reports).await?;
        done += batch.len() as i64;
        sqlx::query(
            "UPDATE imports SET rows_done = $1, created_count = $2, updated_count = $3, unchanged_count = $4, \
             skipped_count = $5, refused_count = $6, updated_at = $7 WHERE id = $8 AND status = 'running'",
        )
        .bind(done)
        .bind(counts.created)
        .bind(counts.updated)
        .bind(counts.unchanged)
        .bind(counts.skipped)
        .bind(counts.refused)
        .bind(db::now())
        .bind(import_id)
        .execute(&mut *tx)
        .await?;
        if !jobs::renew(&mut tx, job, worker).await? {
            // Another worker took the job over: it goes on from the last checkpoint.
            tx.rollback().await?;
            return Ok(());
        }
        tx.commit().await?;
    }
    if let Some(e) = lines.failure().await {
        return Err(e);
    }

    let mut tx = db.begin().await?;
    sqlx::query(
        "UPDATE imports SET status = 'done', total_rows = $1, finished_at = $2, updated_at = $2 WHERE id = $3",
    )
    .bind(done)
    .bind(db::now())
    .bind(import_id)
    .execute(&mut *tx)
    .await?;
    if mode != Mode::DryRun {
        let detail = format!(
            "{done} rows: {} created, {} updated, {} unchanged, {} skipped, {} refused",
            counts.created, counts.updated, counts.unchanged, counts.skipped, counts.refused
        );
        audit::record(
            &mut *tx,
            actor,
            AuditAction::ImportFinished,
            &import.file_name,
            Some(&detail),
        )
        .await?;
    }
    tx.commit().await?;
    tracing::info!(import = import_id, rows = done, "import finished");
    Ok(())
}

/// A row's outcome as stored.
struct Report {
    line: i64,
    outcome: Outcome,
    summary: String,
    field: Option<Field>,
    reason: Option<String>,
    cells: Option<Vec<String>>,
}

fn refused(line: i64, field: Option<Field>, reason: String, cells: &[String]) -> Report {
    Report {
        line,
        outcome: Outcome::Refused,
        summary: String::new(),
        field,
        reason: Some(reason),
        cells: Some(cells.to_vec()),
    }
}

/// The column field a step's complaint is about.
fn field_of(name: &str) -> Option<Field> {
    let name = name.rsplit('.').next().unwrap_or(name);
    Some(match name {
        "title" => Field::DealTitle,
        "value" | "value_cents" => Field::DealValue,
        "currency" => Field::DealCurrency,
        "stage_id" | "pipeline_id" => Field::DealStage,
        "expected_close_date" => Field::DealExpectedClose,
        "responsible_user_id" => Field::DealOwner,
        "lost_reason" => Field::DealLostReason,
        "full_name" => Field::ContactName,
        "email" => Field::ContactEmail,
        "phone" => Field::ContactPhone,
        "name" => Field::OrganizationName,
        _ => return None,
    })
}

/// Reads and checks one row: its values, or the report of its refusal.
fn read_row(
    reading: &Reading,
    locale: Locale,
    line: i64,
    cells: &Result<Vec<String>, Problem>,
) -> Result<RowValues, Report> {
    let cells = match cells {
        Ok(cells) => cells,
        Err(problem) => return Err(refused(line, None, problem.in_locale(locale), &[])),
    };
    rows::read(cells, reading).map_err(|r| {
        let field = (r.field != Field::Ignore).then_some(r.field);
        refused(line, field, r.message.in_locale(locale), cells)
    })
}

/// Writes one read row (in a savepoint when it writes at once).
async fn write_row(
    tx: &mut Tx,
    ctx: &mut Context,
    locale: Locale,
    line: i64,
    cells: &Result<Vec<String>, Problem>,
    values: &RowValues,
    mode: Mode,
) -> ServiceResult<Report> {
    if mode == Mode::Import {
        records::before_row(tx, ctx, values).await?;
    }
    let refusal = match records::apply(tx, ctx, values).await {
        Ok(done) => {
            return Ok(Report {
                line,
                outcome: done.outcome,
                summary: done.summary,
                field: None,
                reason: None,
                cells: None,
            });
        }
        Err(Refused::Value(r)) => (Some(r.field), r.message.in_locale(locale)),
        Err(Refused::Step(ServiceError::Validation { field, message })) => {
            (field_of(&field), message.in_locale(locale))
        }
        Err(Refused::Step(
            e
            @ (ServiceError::NotFound(_) | ServiceError::Conflict(_) | ServiceError::Forbidden(_)),
        )) => (None, e.to_string()),
        // The database or a bug: the batch stops and the job tries again from its checkpoint.
        Err(Refused::Step(e)) => return Err(e),
    };
    let cells = cells.as_deref().unwrap_or_default();
    Ok(refused(line, refusal.0, refusal.1, cells))
}

async fn store_reports(tx: &mut Tx, import_id: i64, reports: &[Report]) -> ServiceResult<()> {
    if reports.is_empty() {
        return Ok(());
    }
    let mut q = SqlBuilder::new(
        "INSERT INTO import_rows (import_id, line, outcome, summary, field, reason, cells) VALUES ",
    );
    q.values(reports.iter().map(|r| {
        vec![
            Arg::Int(Some(import_id)),
            Arg::Int(Some(r.line)),
            Arg::Text(Some(r.outcome.key().to_string())),
            Arg::Text(Some(r.summary.clone())),
            Arg::Text(r.field.map(|f| f.key().to_string())),
            Arg::Text(r.reason.clone()),
            Arg::Text(
                r.cells
                    .as_ref()
                    .map(|c| serde_json::to_string(c).unwrap_or_default()),
            ),
        ]
    }));
    q.query().execute(&mut **tx).await?;
    Ok(())
}

/// Counts the file's rows (a pass over the stored file on a blocking thread).
async fn count_rows(db: &Db, import_id: i64) -> ServiceResult<i64> {
    let (db, handle) = (db.clone(), tokio::runtime::Handle::current());
    tokio::task::spawn_blocking(move || {
        let source = Source::open(ChunkReader::new(db, handle, import_id))?;
        Ok(source.count() as i64)
    })
    .await
    .map_err(|e| ServiceError::Internal(format!("the row count stopped: {e}")))?
}

/// The file's rows after the first `skip`, read on a blocking thread.
struct Lines {
    rows: tokio::sync::mpsc::Receiver<Line>,
    reader: tokio::task::JoinHandle<ServiceResult<()>>,
}

impl Lines {
    async fn recv(&mut self) -> Option<Line> {
        self.rows.recv().await
    }

    /// Why the reader stopped early, if it did.
    async fn failure(self) -> Option<ServiceError> {
        match self.reader.await {
            Ok(Ok(())) => None,
            Ok(Err(e)) => Some(e),
            Err(e) => Some(ServiceError::Internal(format!(
                "the file reader stopped: {e}"
            ))),
        }
    }
}

fn read_rows(db: Db, import_id: i64, skip: i64) -> Lines {
    let (send, rows) = tokio::sync::mpsc::channel(READ_AHEAD);
    let handle = tokio::runtime::Handle::current();
    let reader = tokio::task::spawn_blocking(move || {
        let mut source = Source::open(ChunkReader::new(db, handle, import_id))?;
        let mut index = 0i64;
        while let Some(row) = source.next() {
            index += 1;
            if index <= skip {
                continue;
            }
            if send.blocking_send((source.line as i64, row)).is_err() {
                // The writer stopped.
                break;
            }
        }
        Ok(())
    });
    Lines { rows, reader }
}
