//! Companion of `scripts/bench.sh` (the `make bench` suite; not a test).
//!
//! - `bench seed <database url> <deals>` migrates a fresh database and fills one account with a
//!   data set: two pipelines (the board pipeline has 8 stages and up to 1,000 open deals, the
//!   rest are closed deals and a second pipeline), contacts, organizations, users, products on
//!   a quarter of the deals and activities on half. Prints what the load scripts need as one
//!   JSON line.
//! - `bench bare <database url> <addr> <account id>` serves the baselines: bare
//!   axum handlers that run the same SQL as Dealflow's read paths on the same pools (`Db`; no
//!   session, no key check, no service layer), a single raw `UPDATE` transaction for a move and
//!   a single raw `INSERT` transaction for an intake, and each report's plain aggregate SQL.

use dealflow::domain::{AccountId, DealId, Plan, StageId};
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use axum::extract::{Form, Json, Path, State};
use axum::response::Html;
use axum::routing::{get, post};
use axum::Router;
use dealflow::domain::board::COLUMN_PAGE;
use dealflow::domain::positions::GAP;
use dealflow::server::api::accounts_v1::records::PLACE;
use dealflow::server::auth::api_keys;
use dealflow::server::db::{self, like_escape, Db};
use dealflow::server::services::accounts;
use dealflow::server::services::pipelines::{self, NewStage};
use serde::Deserialize;
use serde_json::{json, Value};
use sqlx::Row;

type Failure = Box<dyn std::error::Error + Send + Sync>;

/// Open deals on the measured board (at most).
const BOARD_OPEN: usize = 1000;
/// Stages of the measured board.
const BOARD_STAGES: usize = 8;
/// Rows per multi-row INSERT while seeding.
const CHUNK: usize = 200;

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("seed") if args.len() == 4 => seed(&args[2], args[3].parse()?).await,
        Some("bare") if args.len() == 5 => bare(&args[2], args[3].parse()?, args[4].parse()?).await,
        _ => Err("usage: bench seed <url> <deals> | bench bare <url> <addr> <account>".into()),
    }
}

// ---------------------------------------------------------------------------------------------
// Data sets

/// Inserts `rows` into `table` (`columns`) with multi-row statements of [`CHUNK`] rows.
async fn insert_rows(
    db: &Db,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Value>>,
) -> Result<(), Failure> {
    let mut tx = db.begin().await?;
    for chunk in rows.chunks(CHUNK) {
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        let mut n = 0;
        for (i, _) in chunk.iter().enumerate() {
            sql.push_str(if i == 0 { "(" } else { ", (" });
            for c in 0..columns.len() {
                n += 1;
                let _ = write!(sql, "{}${n}", if c == 0 { "" } else { ", " });
            }
            sql.push(')');
        }
        let mut q = sqlx::query(&sql);
        for row in chunk {
            for v in row {
                q = match v {
                    // The only nullable values seeded are timestamps (text).
                    Value::Null => q.bind(None::<String>),
                    Value::Number(n) => q.bind(n.as_i64().unwrap_or_default()),
                    Value::String(s) => q.bind(s.clone()),
                    other => q.bind(other.to_string()),
                };
            }
        }
        q.execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Ids of the account's rows of `table`, in insertion order.
async fn ids(db: &Db, table: &str, account_id: AccountId) -> Result<Vec<i64>, Failure> {
    let rows: Vec<(i64,)> = sqlx::query_as(&format!(
        "SELECT id FROM {table} WHERE account_id = $1 ORDER BY id"
    ))
    .bind(account_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

fn uuid() -> Value {
    json!(uuid::Uuid::new_v4().to_string())
}

async fn seed(url: &str, n: usize) -> Result<(), Failure> {
    let db = Db::connect(url).await?;
    db.migrate().await?;
    let email = "bench@bench.test";
    let password = "bench-password";
    let account_id =
        accounts::create_account(&db, "Bench", Plan::Pro, email, "Bench Owner", password).await?;
    let stages: Vec<NewStage> = (0..BOARD_STAGES)
        .map(|i| NewStage {
            key: format!("step{i}"),
            name: format!("Step {}", i + 1),
            probability: 10 * (i as i64 + 1),
            rotting_days: Some(30),
        })
        .collect();
    let board = pipelines::create_pipeline(&db, account_id, "Enterprise", false, &stages).await?;
    let board_stages: Vec<StageId> = pipelines::stages_of(&db, account_id, board)
        .await?
        .iter()
        .map(|s| s.id)
        .collect();
    let other = pipelines::list_pipelines(&db, account_id)
        .await?
        .into_iter()
        .find(|p| p.id != board)
        .ok_or("the account has no default pipeline")?;
    let other_stages: Vec<StageId> = pipelines::stages_of(&db, account_id, other.id)
        .await?
        .iter()
        .map(|s| s.id)
        .collect();
    let now = json!(db::now());

    // A sales team, organizations and contacts.
    let users: Vec<Vec<Value>> = (0..5)
        .map(|i| {
            vec![
                json!(account_id),
                uuid(),
                json!(format!("rep{i}@bench.test")),
                json!(format!("Rep {i}")),
                json!("!"),
                json!("sales"),
                now.clone(),
                now.clone(),
            ]
        })
        .collect();
    insert_rows(
        &db,
        "users",
        &[
            "account_id",
            "uuid",
            "email",
            "name",
            "password_hash",
            "role",
            "created_at",
            "updated_at",
        ],
        users,
    )
    .await?;
    let user_ids = ids(&db, "users", account_id).await?;
    let orgs: Vec<Vec<Value>> = (0..(n / 20).max(1))
        .map(|i| {
            vec![
                json!(account_id),
                uuid(),
                json!(format!("Company {i}")),
                now.clone(),
                now.clone(),
            ]
        })
        .collect();
    insert_rows(
        &db,
        "organizations",
        &["account_id", "uuid", "name", "created_at", "updated_at"],
        orgs,
    )
    .await?;
    let org_ids = ids(&db, "organizations", account_id).await?;
    let contacts: Vec<Vec<Value>> = (0..(n / 4).max(1))
        .map(|i| {
            vec![
                json!(account_id),
                uuid(),
                json!(format!("Person {i}")),
                json!(format!("person{i}@bench.test")),
                json!(format!("+1555{i:07}")),
                json!(org_ids[i % org_ids.len()]),
                now.clone(),
                now.clone(),
            ]
        })
        .collect();
    insert_rows(
        &db,
        "contacts",
        &[
            "account_id",
            "uuid",
            "full_name",
            "email",
            "phone",
            "organization_id",
            "created_at",
            "updated_at",
        ],
        contacts,
    )
    .await?;
    let contact_ids = ids(&db, "contacts", account_id).await?;

    // Deals: the board's open deals first, then closed deals of both pipelines and the second
    // pipeline's open deals.
    let open_on_board = BOARD_OPEN.min(n / 2);
    let mut next_position = std::collections::HashMap::<StageId, i64>::new();
    let mut deals = Vec::with_capacity(n);
    for i in 0..n {
        let (pipeline, stage, status) = if i < open_on_board {
            (board, board_stages[i % BOARD_STAGES], "open")
        } else {
            let j = i - open_on_board;
            match j % 3 {
                0 => (other.id, other_stages[j % other_stages.len()], "open"),
                1 => (board, board_stages[j % BOARD_STAGES], "won"),
                _ => (other.id, other_stages[j % other_stages.len()], "lost"),
            }
        };
        let position = next_position.entry(stage).or_insert(0);
        // A year of history for the reports: deals closed over the last 360 days, expected to
        // close from two months back to six ahead.
        let closed_at = if status == "open" {
            Value::Null
        } else {
            json!(db::ts(
                chrono::Utc::now() - chrono::Duration::days((i % 360) as i64)
            ))
        };
        let close_day =
            chrono::Utc::now().date_naive() + chrono::Duration::days((i % 240) as i64 - 60);
        deals.push(vec![
            json!(account_id),
            uuid(),
            json!(i as i64 + 1),
            json!(format!("Deal {i} for Customer {}", i % 997)),
            json!((i as i64 % 500 + 1) * 10_000),
            json!(status),
            json!(pipeline),
            json!(stage),
            json!(*position),
            json!(user_ids[i % user_ids.len()]),
            json!(contact_ids[i % contact_ids.len()]),
            json!(org_ids[i % org_ids.len()]),
            json!((i % 3) as i64 + 1),
            if status == "won" {
                closed_at.clone()
            } else {
                Value::Null
            },
            if status == "lost" {
                closed_at
            } else {
                Value::Null
            },
            json!(close_day.format("%Y-%m-%d").to_string()),
            now.clone(),
            now.clone(),
            now.clone(),
        ]);
        *position += GAP;
    }
    insert_rows(
        &db,
        "deals",
        &[
            "account_id",
            "uuid",
            "code",
            "title",
            "value_cents",
            "status",
            "pipeline_id",
            "stage_id",
            "position",
            "responsible_user_id",
            "contact_id",
            "organization_id",
            "temperature",
            "won_at",
            "lost_at",
            "expected_close_date",
            "stage_changed_at",
            "created_at",
            "updated_at",
        ],
        deals,
    )
    .await?;
    sqlx::query("UPDATE accounts SET next_deal_code = $1 WHERE id = $2")
        .bind(n as i64 + 1)
        .bind(account_id)
        .execute(&db.pool)
        .await?;
    let deal_ids = ids(&db, "deals", account_id).await?;

    // Each deal's timeline, as the reports read it: opened in its pipeline's first stage
    // 30 to 390 days ago, moved once to the stage it is in, then won or lost.
    /// Deal, its stage, its pipeline's first stage, status, won at, lost at.
    type Timeline = (i64, i64, i64, String, Option<String>, Option<String>);
    let rows: Vec<Timeline> = sqlx::query_as(
        "SELECT d.id, d.stage_id, (SELECT MIN(s.id) FROM stages s WHERE s.pipeline_id = d.pipeline_id),          d.status, d.won_at, d.lost_at FROM deals d WHERE d.account_id = $1 ORDER BY d.id",
    )
    .bind(account_id)
    .fetch_all(&db.pool)
    .await?;
    // Three passes, so that each deal's events get ids in the order they happened.
    let back = |days: i64| json!(db::ts(chrono::Utc::now() - chrono::Duration::days(days)));
    let opened_ago = |i: usize| (i % 360) as i64 + 30;
    let (mut opened, mut moved, mut closed) = (Vec::new(), Vec::new(), Vec::new());
    for (i, (id, stage, first, status, won_at, lost_at)) in rows.into_iter().enumerate() {
        let head = || vec![json!(account_id), json!(id)];
        let mut row = head();
        row.extend([
            json!("opened"),
            json!(first),
            json!("{}"),
            back(opened_ago(i)),
        ]);
        opened.push(row);
        if stage != first {
            let mut row = head();
            row.extend([
                json!("stage_changed"),
                json!(first),
                json!(stage),
                json!("{}"),
                back(opened_ago(i) - 10),
            ]);
            moved.push(row);
        }
        let end = match (status.as_str(), won_at, lost_at) {
            ("won", Some(at), _) => Some(("won", at)),
            ("lost", _, Some(at)) => Some(("lost", at)),
            _ => None,
        };
        if let Some((kind, at)) = end {
            let mut row = head();
            row.extend([json!(kind), json!("{}"), json!(at)]);
            closed.push(row);
        }
    }
    let columns = ["account_id", "deal_id", "kind"];
    let with = |more: &[&'static str]| -> Vec<&'static str> {
        columns.iter().chain(more).copied().collect()
    };
    insert_rows(
        &db,
        "deal_events",
        &with(&["to_stage_id", "data", "created_at"]),
        opened,
    )
    .await?;
    insert_rows(
        &db,
        "deal_events",
        &with(&["from_stage_id", "to_stage_id", "data", "created_at"]),
        moved,
    )
    .await?;
    insert_rows(&db, "deal_events", &with(&["data", "created_at"]), closed).await?;

    // Products on a quarter of the deals, activities on half of them.
    let products: Vec<Vec<Value>> = (0..20)
        .map(|i| {
            vec![
                json!(account_id),
                uuid(),
                json!(format!("Product {i}")),
                json!(format!("P-{i}")),
                json!((i as i64 + 1) * 2_500),
                now.clone(),
                now.clone(),
            ]
        })
        .collect();
    insert_rows(
        &db,
        "products",
        &[
            "account_id",
            "uuid",
            "name",
            "identifier",
            "unit_amount_cents",
            "created_at",
            "updated_at",
        ],
        products,
    )
    .await?;
    let product_ids = ids(&db, "products", account_id).await?;
    let lines: Vec<Vec<Value>> = deal_ids
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 4 == 0)
        .map(|(i, id)| {
            let p = i % product_ids.len();
            let unit = (p as i64 + 1) * 2_500;
            vec![
                json!(account_id),
                json!(id),
                json!(product_ids[p]),
                json!(format!("Product {p}")),
                json!(2),
                json!(unit),
                json!(2 * unit),
                now.clone(),
                now.clone(),
            ]
        })
        .collect();
    insert_rows(
        &db,
        "deal_products",
        &[
            "account_id",
            "deal_id",
            "product_id",
            "product_name",
            "quantity",
            "unit_amount_cents",
            "total_amount_cents",
            "created_at",
            "updated_at",
        ],
        lines,
    )
    .await?;
    let kinds = ["call", "meeting", "email", "task", "note"];
    let activities: Vec<Vec<Value>> = deal_ids
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 2 == 0)
        .map(|(i, id)| {
            vec![
                json!(account_id),
                json!(id),
                json!(user_ids[i % user_ids.len()]),
                json!(kinds[i % kinds.len()]),
                json!(format!("Follow up {i}")),
                now.clone(),
                // Half of them done over the last 90 days.
                if i % 4 == 0 {
                    json!(db::ts(
                        chrono::Utc::now() - chrono::Duration::days((i % 90) as i64)
                    ))
                } else {
                    Value::Null
                },
                now.clone(),
                now.clone(),
            ]
        })
        .collect();
    insert_rows(
        &db,
        "activities",
        &[
            "account_id",
            "deal_id",
            "user_id",
            "kind",
            "title",
            "due_at",
            "done_at",
            "created_at",
            "updated_at",
        ],
        activities,
    )
    .await?;

    // The folded search copies of the rows written above (as a server's start would fill them).
    db.migrate().await?;
    if !url.starts_with("sqlite") {
        // The state autovacuum keeps a database in service in: fresh planner statistics, and
        // the visibility map set, without which an index-only scan reads every row's page.
        sqlx::query("VACUUM ANALYZE").execute(&db.pool).await?;
    }
    let key = api_keys::create_key(&db, account_id, None, "bench", &["all".into()], None).await?;
    let board_deals = &deal_ids[..open_on_board];
    println!(
        "{}",
        json!({
            "account_id": account_id, "key": key.token, "email": email, "password": password,
            "board_pipeline": board, "board_stages": board_stages, "board_deals": board_deals,
            "other_pipeline": other.id,
        })
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Baselines

/// The board's card query (as `services::board`), for one pipeline's open deals.
const BOARD: &str = "SELECT d.id, d.stage_id, d.title, d.value_cents, d.currency, d.status, d.temperature, \
     d.expected_close_date, d.stage_changed_at, c.full_name AS contact_name, o.name AS organization_name, \
     u.name AS owner_name, s.rotting_days \
     FROM deals d JOIN stages s ON s.id = d.stage_id \
     LEFT JOIN contacts c ON c.id = d.contact_id LEFT JOIN organizations o ON o.id = d.organization_id \
     LEFT JOIN users u ON u.id = d.responsible_user_id \
     WHERE d.account_id = $1 AND d.pipeline_id = $2 AND d.status = 'open' ORDER BY d.stage_id, d.position, d.id";

/// The list query of `GET /v1/opportunities?per_page=100` (newest first; `$2`: the offset of
/// the page asked for).
const LIST: &str = "SELECT d.uuid, d.title, d.value_cents, d.currency, s.key, d.status, \
     COALESCE(d.probability, s.probability) AS probability, d.expected_close_date, c.uuid AS contact_uuid, \
     u.uuid AS user_uuid, d.created_at, d.updated_at, d.won_at, d.lost_at \
     FROM deals d JOIN stages s ON s.id = d.stage_id \
     LEFT JOIN contacts c ON c.id = d.contact_id LEFT JOIN users u ON u.id = d.responsible_user_id \
     WHERE d.account_id = $1 ORDER BY d.created_at DESC, d.id DESC LIMIT 100 OFFSET $2";

/// The columns of a deals search page.
const SEARCH_COLUMNS: &str = "d.id, d.title, d.status, d.stage_id, d.pipeline_id, d.contact_id, {place}, \
     d.created_by_id, COALESCE((SELECT CAST(SUM(p.total_amount_cents) AS BIGINT) FROM deal_products p WHERE p.deal_id = d.id), 0), \
     d.lost_at, d.won_at, d.lost_reason, d.account_id, d.custom_attributes, d.created_at, d.updated_at";

/// The condition of `{"name_cont": $4, "status_eq": $3}` as Dealflow writes it: on SQLite
/// narrowed through the trigram table (`$2` is the FTS5 phrase), on PostgreSQL a `LIKE` that
/// the trigram index serves.
fn search_condition(sqlite: bool) -> &'static str {
    if sqlite {
        "d.account_id = $1 AND ((d.id IN (SELECT rowid FROM deals_title_fts WHERE deals_title_fts MATCH $2) \
         AND d.title_key LIKE $4 ESCAPE '\\') AND d.status = $3)"
    } else {
        "d.account_id = $1 AND (d.title_key LIKE $4 ESCAPE '\\' AND d.status = $3) AND $2 = $2"
    }
}

#[derive(Clone)]
struct Bare {
    /// Same settings as Dealflow's: writes go through `Db::begin`.
    db: Db,
    sqlite: bool,
    account_id: AccountId,
    next_code: Arc<AtomicI64>,
}

async fn bare_board(State(b): State<Bare>, Path(pipeline_id): Path<i64>) -> Html<String> {
    let stages: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, name FROM stages WHERE account_id = $1 AND pipeline_id = $2 ORDER BY position",
    )
    .bind(b.account_id)
    .bind(pipeline_id)
    .fetch_all(&b.db.pool)
    .await
    .unwrap_or_default();
    let rows = sqlx::query(BOARD)
        .bind(b.account_id)
        .bind(pipeline_id)
        .fetch_all(&b.db.pool)
        .await
        .unwrap_or_default();
    // As the board: every card counted and summed, a column's first page of them shown.
    let mut html = String::from("<!DOCTYPE html><html><body><main>");
    for (stage_id, name) in &stages {
        let cards: Vec<_> = rows
            .iter()
            .filter(|r| r.get::<i64, _>(1) == *stage_id)
            .collect();
        let total: i64 = cards.iter().map(|r| r.get::<i64, _>(3)).sum();
        let _ = write!(
            html,
            "<section><h2>{name}</h2><p>{} deals, {}</p>",
            cards.len(),
            total as f64 / 100.0
        );
        for r in cards.iter().take(COLUMN_PAGE) {
            let _ = write!(
                html,
                "<article id=\"deal-{}\"><a href=\"/deals/{0}\">{}</a><p>{} {}</p><p>{}</p><p>{}</p><p>{}</p><p>{}</p></article>",
                r.get::<i64, _>(0),
                r.get::<String, _>(2),
                r.get::<i64, _>(3) as f64 / 100.0,
                r.get::<String, _>(4),
                r.get::<Option<String>, _>(9).unwrap_or_default(),
                r.get::<Option<String>, _>(10).unwrap_or_default(),
                r.get::<Option<String>, _>(11).unwrap_or_default(),
                r.get::<String, _>(8),
            );
        }
        html.push_str("</section>");
    }
    html.push_str("</main></body></html>");
    Html(html)
}

async fn bare_list(
    State(b): State<Bare>,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Json<Value> {
    let page: i64 = q
        .get("page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1)
        .max(1);
    let (total,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM deals WHERE account_id = $1")
        .bind(b.account_id)
        .fetch_one(&b.db.pool)
        .await
        .unwrap_or((0,));
    let rows = sqlx::query(LIST)
        .bind(b.account_id)
        .bind((page - 1) * 100)
        .fetch_all(&b.db.pool)
        .await
        .unwrap_or_default();
    let data: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({
                "id": format!("opp_{}", r.get::<String, _>(0).replace('-', "")),
                "name": r.get::<String, _>(1),
                "value": r.get::<i64, _>(2) as f64 / 100.0,
                "currency": r.get::<String, _>(3),
                "stage": r.get::<String, _>(4),
                "status": r.get::<String, _>(5),
                "probability": r.get::<i64, _>(6),
                "expected_close_date": r.get::<Option<String>, _>(7),
                "lead_id": r.get::<Option<String>, _>(8),
                "assigned_to": r.get::<Option<String>, _>(9),
                "created_at": r.get::<String, _>(10),
                "updated_at": r.get::<String, _>(11),
                "won_at": r.get::<Option<String>, _>(12),
                "lost_at": r.get::<Option<String>, _>(13),
            })
        })
        .collect();
    Json(json!({ "data": data, "meta": { "page": page, "per_page": 100, "total": total } }))
}

async fn bare_search(State(b): State<Bare>, Json(body): Json<Value>) -> Json<Value> {
    let name = body["query"]["name_cont"]
        .as_str()
        .unwrap_or("")
        .to_lowercase();
    let status = body["query"]["status_eq"]
        .as_str()
        .unwrap_or("open")
        .to_string();
    let pattern = format!("%{}%", like_escape(&name));
    let phrase = format!("\"{}\"", name.replace('"', "\"\""));
    let condition = search_condition(b.sqlite);
    let columns = SEARCH_COLUMNS.replace("{place}", PLACE);
    let (count,): (i64,) =
        sqlx::query_as(&format!("SELECT COUNT(*) FROM deals d WHERE {condition}"))
            .bind(b.account_id)
            .bind(&phrase)
            .bind(&status)
            .bind(&pattern)
            .fetch_one(&b.db.pool)
            .await
            .unwrap_or((0,));
    let rows = sqlx::query(&format!(
        "SELECT {columns} FROM deals d WHERE {condition} ORDER BY d.id LIMIT 20 OFFSET 0"
    ))
    .bind(b.account_id)
    .bind(&phrase)
    .bind(&status)
    .bind(&pattern)
    .fetch_all(&b.db.pool)
    .await
    .unwrap_or_default();
    let data: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!({
                "id": r.get::<i64, _>(0), "name": r.get::<String, _>(1), "status": r.get::<String, _>(2),
                "stage_id": r.get::<i64, _>(3), "pipeline_id": r.get::<i64, _>(4),
                "contact_id": r.get::<Option<i64>, _>(5), "position": r.get::<i64, _>(6),
                "created_by_id": r.get::<Option<i64>, _>(7),
                "total_deal_products_amount_in_cents": r.get::<i64, _>(8),
                "lost_at": r.get::<Option<String>, _>(9), "won_at": r.get::<Option<String>, _>(10),
                "lost_reason": r.get::<String, _>(11), "account_id": r.get::<i64, _>(12),
                "custom_attributes": serde_json::from_str::<Value>(&r.get::<String, _>(13)).unwrap_or(Value::Null),
                "created_at": r.get::<String, _>(14), "updated_at": r.get::<String, _>(15),
            })
        })
        .collect();
    let items = data.len() as i64;
    Json(json!({ "data": data, "pagination": { "page": 1, "items": items, "count": count } }))
}

#[derive(Deserialize)]
struct Move {
    deal_id: DealId,
    stage_id: StageId,
}

/// One raw `UPDATE` in its own transaction: the least a persisted move costs.
async fn bare_move(State(b): State<Bare>, Form(m): Form<Move>) -> Result<Json<Value>, String> {
    let mut tx = b.db.begin().await.map_err(|e| e.to_string())?;
    sqlx::query(
        "UPDATE deals SET stage_id = $1, position = $2, stage_changed_at = $3, updated_at = $3 \
         WHERE id = $4 AND account_id = $5",
    )
    .bind(m.stage_id)
    .bind(-m.deal_id.0) // unique per deal, below every position the seed and Dealflow give
    .bind(db::now())
    .bind(m.deal_id)
    .bind(b.account_id)
    .execute(&mut *tx)
    .await
    .map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(Json(Value::Null))
}

/// One raw `INSERT` of a deal in its own transaction, into the first stage of the primary
/// pipeline as the intake does: the least an intake costs.
async fn bare_intake(
    State(b): State<Bare>,
    Json(body): Json<Value>,
) -> Result<Json<Value>, String> {
    let title = body["title"].as_str().unwrap_or("Lead").to_string();
    let code = b.next_code.fetch_add(1, Ordering::Relaxed);
    let now = db::now();
    let id = uuid::Uuid::new_v4().to_string();
    let mut tx = b.db.begin().await.map_err(|e| e.to_string())?;
    sqlx::query(
        "INSERT INTO deals (account_id, uuid, code, title, value_cents, pipeline_id, stage_id, position, \
         stage_changed_at, created_at, updated_at) \
         SELECT $1, $2, $3, $4, $5, s.pipeline_id, s.id, $7, $6, $6, $6 FROM stages s \
         JOIN pipelines p ON p.id = s.pipeline_id WHERE p.account_id = $1 AND p.is_primary = 1 \
         ORDER BY s.position LIMIT 1",
    )
    .bind(b.account_id)
    .bind(&id)
    .bind(code)
    .bind(&title)
    .bind(120_050_i64)
    .bind(&now)
    .bind(-code) // unique, below every position the seed and Dealflow give
    .execute(&mut *tx)
    .await
    .map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(Json(json!({ "id": id, "code": code, "title": title })))
}

/// Each report's plain aggregate over the primary pipeline (or the account's activities)
/// since the period's start (`from`, a stored instant): one GROUP BY, no scope, no timeline
/// walk, rows as JSON arrays.
const REPORTS: [(&str, &str); 5] = [
    (
        "forecast",
        "SELECT d.stage_id, SUBSTR(COALESCE(d.expected_close_date, ''), 1, 7), COUNT(*), CAST(SUM(d.value_cents) AS BIGINT) \
         FROM deals d WHERE d.account_id = $1 AND d.pipeline_id = $2 AND d.status = 'open' AND $3 = $3 GROUP BY 1, 2",
    ),
    (
        "funnel",
        "SELECT e.to_stage_id, COUNT(DISTINCT e.deal_id), 0, 0 FROM deal_events e JOIN stages s ON s.id = e.to_stage_id \
         WHERE e.account_id = $1 AND s.pipeline_id = $2 AND e.kind IN ('opened', 'stage_changed') AND e.created_at >= $3 GROUP BY 1",
    ),
    (
        "velocity",
        "SELECT e.from_stage_id, COUNT(*), 0, 0 FROM deal_events e JOIN stages s ON s.id = e.from_stage_id \
         WHERE e.account_id = $1 AND s.pipeline_id = $2 AND e.kind = 'stage_changed' AND e.created_at >= $3 GROUP BY 1",
    ),
    (
        "won-lost",
        "SELECT d.status, SUBSTR(COALESCE(d.won_at, d.lost_at), 1, 7), COUNT(*), 0 FROM deals d \
         WHERE d.account_id = $1 AND d.pipeline_id = $2 AND d.status IN ('won', 'lost') \
         AND COALESCE(d.won_at, d.lost_at) >= $3 GROUP BY 1, 2",
    ),
    (
        "activity",
        "SELECT a.user_id, a.kind, COUNT(*), 0 FROM activities a \
         WHERE a.account_id = $1 AND $2 = $2 AND a.done_at >= $3 GROUP BY 1, 2",
    ),
];

async fn bare_report(
    State(b): State<Bare>,
    Path(report): Path<String>,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Json<Value> {
    let Some((_, sql)) = REPORTS.iter().find(|(name, _)| *name == report) else {
        return Json(json!({ "error": "no such report" }));
    };
    let (pipeline,): (i64,) = sqlx::query_as(
        "SELECT id FROM pipelines WHERE account_id = $1 ORDER BY is_primary DESC, position, id LIMIT 1",
    )
    .bind(b.account_id)
    .fetch_one(&b.db.pool)
    .await
    .unwrap_or((0,));
    let from = q.get("from").cloned().unwrap_or_default();
    let rows = sqlx::query(sql)
        .bind(b.account_id)
        .bind(pipeline)
        .bind(format!("{from}T00:00:00.000000Z"))
        .fetch_all(&b.db.pool)
        .await
        .unwrap_or_default();
    let data: Vec<Value> = rows
        .iter()
        .map(|r| {
            json!([
                r.try_get::<i64, _>(0)
                    .map(Value::from)
                    .or_else(|_| r.try_get::<String, _>(0).map(Value::from))
                    .unwrap_or_default(),
                r.try_get::<String, _>(1)
                    .map(Value::from)
                    .or_else(|_| r.try_get::<i64, _>(1).map(Value::from))
                    .unwrap_or_default(),
                r.try_get::<i64, _>(2).unwrap_or_default(),
                r.try_get::<i64, _>(3).unwrap_or_default(),
            ])
        })
        .collect();
    Json(json!({ "data": data }))
}

async fn bare(url: &str, addr: SocketAddr, account_id: AccountId) -> Result<(), Failure> {
    // The same pool settings as Dealflow's (`Db::connect`), without the application around it.
    let state = Bare {
        db: Db::connect(url).await?,
        sqlite: url.starts_with("sqlite"),
        account_id,
        next_code: Arc::new(AtomicI64::new(1_000_000_000)),
    };
    let app = Router::new()
        .route("/board/{pipeline}", get(bare_board))
        .route("/v1/opportunities", get(bare_list))
        .route("/search", post(bare_search))
        .route("/move", post(bare_move))
        .route("/intake", post(bare_intake))
        .route("/reports/{report}", get(bare_report))
        .with_state(state);
    let listener = tokio::net::TcpListener::bind(addr).await?;
    println!("ready");
    axum::serve(listener, app).await?;
    Ok(())
}
