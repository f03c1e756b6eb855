//! Import and export benchmark (not a test): rows per second of a CSV import and of the deal
//! table's CSV export, each next to a baseline measured in the same run, and the process's peak
//! memory.
//!
//! - `import_bench import <database url> <rows>`: a file of `rows` deals, each with a contact
//!   (300 rows share a person) and an organization, is generated as it is uploaded (never whole
//!   in memory), then imported by the worker exactly as the page starts it (rows/s, from the
//!   job's start to its end). Baseline: the same deals and contacts written with plain
//!   multi-row `INSERT`s of 500 rows, nothing checked or looked up. Peak RSS is the process's
//!   (`VmHWM`), read after the import.
//! - `import_bench export <database url> <rows>`: `rows` deals seeded with plain `INSERT`s,
//!   then the deal table's CSV (`services::export`, page by page, as `/export/table.csv` sends
//!   it) read to the end (rows/s). Baseline: the same rows selected in one query and written
//!   with the csv crate.
//!
//! Prints `key<TAB>value` lines for `scripts/bench.sh`.

use std::time::Instant;

use chrono::Utc;
use dealflow::domain::deal_table::TableQuery;
use dealflow::domain::import::{ImportSettings, Mode};
use dealflow::domain::{AccountId, CurrentUser, Plan, Role, StageId, UserId};
use dealflow::i18n::Locale;
use dealflow::server::db::{Arg, Db, SqlBuilder};
use dealflow::server::delivery::Delivery;
use dealflow::server::services::accounts;
use dealflow::server::services::export::{csv as sheet_csv, deals::TableSheet};
use dealflow::server::services::import::mapping::suggest_all;
use dealflow::server::services::import::store::{self, Upload};
use dealflow::server::worker;
use futures_util::StreamExt;

type Failure = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let mut args = std::env::args().skip(1);
    let what = args.next().unwrap_or_else(|| "import".into());
    let url = args.next().ok_or("a database URL")?;
    let rows: usize = args
        .next()
        .map(|n| n.parse())
        .transpose()?
        .unwrap_or(10_000);
    let db = Db::connect(&url).await?;
    db.migrate().await?;
    let owner = owner(&db, &what).await?;
    match what.as_str() {
        "import" => import(&db, &owner, rows).await,
        "export" => export(&db, &owner, rows).await,
        other => Err(format!("unknown case {other}").into()),
    }
}

async fn owner(db: &Db, name: &str) -> Result<CurrentUser, Failure> {
    let email = format!("bench-{}@{name}.test", Utc::now().timestamp_micros());
    let account_id: AccountId = accounts::create_account(
        db,
        "Bench",
        Plan::Pro,
        &email,
        "Bench Owner",
        "correct horse battery",
    )
    .await?;
    let (id,): (UserId,) = sqlx::query_as("SELECT id FROM users WHERE account_id = $1")
        .bind(account_id)
        .fetch_one(&db.pool)
        .await?;
    Ok(CurrentUser {
        id,
        account_id,
        account_name: "Bench".into(),
        email,
        name: "Bench Owner".into(),
        role: Role::Owner,
        time_zone: None,
    })
}

/// Row `i` of the generated file (a Pipedrive-style export).
fn line(i: usize) -> String {
    format!(
        "bench-{i},\"Negócio {i}, renovação\",{}.{:02},BRL,Pessoa {},pessoa{}@bench.test,Empresa {}\r\n",
        i % 10_000,
        i % 100,
        i / 300,
        i / 300,
        i % 200
    )
}

const HEADER: &str = "Deal - ID,Deal - Title,Deal - Value,Deal - Currency,Person - Name,Person - Email,Organization - Name\r\n";

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

async fn first_stage(db: &Db, account_id: AccountId) -> Result<StageId, Failure> {
    let (id,): (StageId,) = sqlx::query_as(
        "SELECT s.id FROM stages s JOIN pipelines p ON p.id = s.pipeline_id WHERE p.account_id = $1 \
         ORDER BY s.position LIMIT 1",
    )
    .bind(account_id)
    .fetch_one(&db.pool)
    .await?;
    Ok(id)
}

async fn import(db: &Db, owner: &CurrentUser, rows: usize) -> Result<(), Failure> {
    // The upload, generated as it goes.
    let mut upload = Upload::begin(db, owner, "bench.csv").await?;
    let mut buffer = String::from(HEADER);
    for i in 0..rows {
        buffer.push_str(&line(i));
        if buffer.len() > 64 * 1024 {
            upload.push(buffer.as_bytes()).await?;
            buffer.clear();
        }
    }
    upload.push(buffer.as_bytes()).await?;
    let id = upload.finish().await?;
    let headers: Vec<String> = HEADER.trim().split(',').map(str::to_string).collect();
    let settings = ImportSettings {
        mapping: suggest_all(&headers),
        stage_id: Some(first_stage(db, owner.account_id).await?),
        ..ImportSettings::default()
    };
    store::start(db, owner, id, Mode::Import, &settings, Locale::En).await?;
    let started = Instant::now();
    worker::run_due(db, &Delivery::default(), "bench").await?;
    let seconds = started.elapsed().as_secs_f64();
    let progress = store::progress(db, owner, id).await?;
    if progress.counts.created != rows as i64 {
        return Err(format!("imported {:?} of {rows} rows", progress.counts).into());
    }
    let rss = peak_rss_mb();
    println!("import.rows_per_s\t{:.0}", rows as f64 / seconds);
    println!("import.peak_rss_mb\t{rss:.0}");

    // The baseline: the same deals and people, plain multi-row INSERTs.
    let baseline_owner = self::owner(db, "baseline").await?;
    let stage = first_stage(db, baseline_owner.account_id).await?;
    let (pipeline,): (i64,) = sqlx::query_as("SELECT pipeline_id FROM stages WHERE id = $1")
        .bind(stage)
        .fetch_one(&db.pool)
        .await?;
    let started = Instant::now();
    let now = dealflow::server::db::now();
    let people: Vec<usize> = (0..rows.div_ceil(300)).collect();
    for chunk in people.chunks(500) {
        let mut tx = db.begin().await?;
        let mut q = SqlBuilder::new(
            "INSERT INTO contacts (account_id, uuid, full_name, email, created_at, updated_at, name_key) VALUES ",
        );
        q.values(chunk.iter().map(|p| {
            vec![
                Arg::Int(Some(baseline_owner.account_id.into())),
                Arg::Text(Some(uuid::Uuid::new_v4().to_string())),
                Arg::Text(Some(format!("Pessoa {p}"))),
                Arg::Text(Some(format!("pessoa{p}@bench.test"))),
                Arg::Text(Some(now.clone())),
                Arg::Text(Some(now.clone())),
                Arg::Text(Some(format!("pessoa {p}"))),
            ]
        }));
        q.query().execute(&mut *tx).await?;
        tx.commit().await?;
    }
    for chunk in (0..rows).collect::<Vec<_>>().chunks(500) {
        let mut tx = db.begin().await?;
        let mut q = SqlBuilder::new(
            "INSERT INTO deals (account_id, uuid, code, title, value_cents, currency, status, pipeline_id, \
             stage_id, position, visibility, stage_changed_at, created_at, updated_at, title_key, external_id) VALUES ",
        );
        q.values(chunk.iter().map(|i| {
            vec![
                Arg::Int(Some(baseline_owner.account_id.into())),
                Arg::Text(Some(uuid::Uuid::new_v4().to_string())),
                Arg::Int(Some(*i as i64 + 1)),
                Arg::Text(Some(format!("Negócio {i}, renovação"))),
                Arg::Int(Some((i % 10_000 * 100 + i % 100) as i64)),
                Arg::Text(Some("BRL".into())),
                Arg::Text(Some("open".into())),
                Arg::Int(Some(pipeline)),
                Arg::Int(Some(stage.into())),
                Arg::Int(Some((*i as i64 + 1) * 1024)),
                Arg::Int(Some(1)),
                Arg::Text(Some(now.clone())),
                Arg::Text(Some(now.clone())),
                Arg::Text(Some(now.clone())),
                Arg::Text(Some(format!("negocio {i}, renovacao"))),
                Arg::Text(Some(format!("bench-{i}"))),
            ]
        }));
        q.query().execute(&mut *tx).await?;
        tx.commit().await?;
    }
    let baseline = rows as f64 / started.elapsed().as_secs_f64();
    println!("import.baseline_rows_per_s\t{baseline:.0}");
    Ok(())
}

async fn export(db: &Db, owner: &CurrentUser, rows: usize) -> Result<(), Failure> {
    let stage = first_stage(db, owner.account_id).await?;
    let (pipeline,): (i64,) = sqlx::query_as("SELECT pipeline_id FROM stages WHERE id = $1")
        .bind(stage)
        .fetch_one(&db.pool)
        .await?;
    let now = dealflow::server::db::now();
    let all: Vec<usize> = (0..rows).collect();
    for chunk in all.chunks(1000) {
        let mut tx = db.begin().await?;
        let mut q = SqlBuilder::new(
            "INSERT INTO deals (account_id, uuid, code, title, value_cents, currency, status, pipeline_id, \
             stage_id, position, visibility, responsible_user_id, stage_changed_at, created_at, updated_at, title_key) VALUES ",
        );
        q.values(chunk.iter().map(|i| {
            vec![
                Arg::Int(Some(owner.account_id.into())),
                Arg::Text(Some(uuid::Uuid::new_v4().to_string())),
                Arg::Int(Some(*i as i64 + 1)),
                Arg::Text(Some(format!("Negócio {i}, renovação"))),
                Arg::Int(Some((i % 10_000 * 100) as i64)),
                Arg::Text(Some("BRL".into())),
                Arg::Text(Some("open".into())),
                Arg::Int(Some(pipeline)),
                Arg::Int(Some(stage.into())),
                Arg::Int(Some((*i as i64 + 1) * 1024)),
                Arg::Int(Some(1)),
                Arg::Int(Some(owner.id.into())),
                Arg::Text(Some(now.clone())),
                Arg::Text(Some(now.clone())),
                Arg::Text(Some(now.clone())),
                Arg::Text(Some(format!("negocio {i}, renovacao"))),
            ]
        }));
        q.query().execute(&mut *tx).await?;
        tx.commit().await?;
    }

    // Fresh statistics, as a database that has lived with its rows has (and as `bench.rs seed`
    // leaves its data sets).
    sqlx::query("ANALYZE").execute(&db.pool).await?;

    // Dealflow: the table's sheet, as the download streams it.
    let started = Instant::now();
    let sheet = TableSheet::prepare(db, owner.into(), &TableQuery::default())?;
    let mut stream = Box::pin(sheet_csv(sheet));
    let (mut bytes, mut lines) = (0usize, 0usize);
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        bytes += chunk.len();
        lines += chunk.matches("\r\n").count();
    }
    let seconds = started.elapsed().as_secs_f64();
    if lines != rows + 1 {
        return Err(format!("exported {lines} lines for {rows} rows").into());
    }
    println!("export.rows_per_s\t{:.0}", rows as f64 / seconds);
    println!("export.kb\t{}", bytes / 1024);

    // Baseline: the same columns in one query, written by the csv crate.
    let started = Instant::now();
    #[derive(sqlx::FromRow)]
    struct Line {
        id: i64,
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
    let found: Vec<Line> = sqlx::query_as(
        "SELECT d.id, d.title, p.name AS pipeline, s.name AS stage, d.status, d.value_cents, d.currency, \
         d.expected_close_date, c.full_name AS contact, o.name AS organization, u.name AS owner \
         FROM deals d JOIN pipelines p ON p.id = d.pipeline_id \
         JOIN stages s ON s.id = d.stage_id LEFT JOIN contacts c ON c.id = d.contact_id \
         LEFT JOIN organizations o ON o.id = d.organization_id LEFT JOIN users u ON u.id = d.responsible_user_id \
         WHERE d.account_id = $1 ORDER BY d.id",
    )
    .bind(owner.account_id)
    .fetch_all(&db.pool)
    .await?;
    let mut writer = csv::Writer::from_writer(std::io::sink());
    for r in found.iter() {
        writer.write_record([
            r.id.to_string(),
            r.title.clone(),
            r.pipeline.clone(),
            r.stage.clone(),
            r.status.clone(),
            format!("{}.{:02}", r.value_cents / 100, r.value_cents % 100),
            r.currency.clone(),
            r.expected_close_date.clone().unwrap_or_default(),
            r.contact.clone().unwrap_or_default(),
            r.organization.clone().unwrap_or_default(),
            r.owner.clone().unwrap_or_default(),
        ])?;
    }
    writer.flush()?;
    let baseline = found.len() as f64 / started.elapsed().as_secs_f64();
    println!("export.baseline_rows_per_s\t{baseline:.0}");
    Ok(())
}
