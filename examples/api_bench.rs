//! Benchmark server for the JSON API (driven by `scripts/bench-api.sh`, not a test).
//!
//! `api_bench <sqlite file> <deals> <app port> <bare port>` seeds an account with `deals` deals
//! over two pipelines, prints an API key, then serves the whole Dealflow router on the first
//! port and, as the baseline, a bare axum + sqlx handler running the same queries (no key
//! check, no service layer) on the second.

use std::net::SocketAddr;

use axum::extract::{Json, State};
use axum::routing::{get, post};
use axum::Router;
use dealflow::domain::Plan;
use dealflow::server::auth::api_keys;
use dealflow::server::db::Db;
use dealflow::server::services::{accounts, pipelines};
use dealflow::server::{cli, http, AppState};
use serde_json::{json, Value};
use sqlx::sqlite::SqlitePool;
use sqlx::Row;

type Failure = Box<dyn std::error::Error + Send + Sync>;

/// The list query of `GET /v1/opportunities?per_page=100` (first page, newest first).
const LIST: &str = "SELECT d.uuid, d.title, d.value_cents, d.currency, s.key, d.status, \
     COALESCE(d.probability, s.probability) AS probability, d.expected_close_date, c.uuid AS contact_uuid, \
     u.uuid AS user_uuid, d.created_at, d.updated_at, d.won_at, d.lost_at \
     FROM deals d JOIN stages s ON s.id = d.stage_id \
     LEFT JOIN contacts c ON c.id = d.contact_id LEFT JOIN users u ON u.id = d.responsible_user_id \
     WHERE d.account_id = ?1 ORDER BY d.created_at DESC, d.id DESC LIMIT 100 OFFSET 0";

/// The search of `{"query": {"name_cont": …, "status_eq": …}}` (first page of 20).
const SEARCH: &str = "SELECT d.id, d.title, d.status, d.stage_id, d.pipeline_id, d.contact_id, d.position + 1, \
     d.created_by_id, COALESCE((SELECT CAST(SUM(p.total_amount_cents) AS BIGINT) FROM deal_products p WHERE p.deal_id = d.id), 0), \
     d.lost_at, d.won_at, d.lost_reason, d.account_id, d.custom_attributes, d.created_at, d.updated_at \
     FROM deals d WHERE d.account_id = ?1 AND (LOWER(d.title) LIKE ?2 ESCAPE '\\' AND d.status = ?3) \
     ORDER BY d.id LIMIT 20 OFFSET 0";

#[derive(Clone)]
struct Bare {
    pool: SqlitePool,
    account_id: i64,
}

async fn bare_list(State(b): State<Bare>) -> Json<Value> {
    let (total,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM deals WHERE account_id = ?1")
        .bind(b.account_id)
        .fetch_one(&b.pool)
        .await
        .unwrap_or((0,));
    let rows = sqlx::query(LIST)
        .bind(b.account_id)
        .fetch_all(&b.pool)
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
    Json(json!({ "data": data, "meta": { "page": 1, "per_page": 100, "total": total } }))
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
    let pattern = format!("%{name}%");
    let (count,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM deals d WHERE d.account_id = ?1 AND (LOWER(d.title) LIKE ?2 ESCAPE '\\' AND d.status = ?3)",
    )
    .bind(b.account_id)
    .bind(&pattern)
    .bind(&status)
    .fetch_one(&b.pool)
    .await
    .unwrap_or((0,));
    let rows = sqlx::query(SEARCH)
        .bind(b.account_id)
        .bind(&pattern)
        .bind(&status)
        .fetch_all(&b.pool)
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

/// Inserts `n` deals spread over the stages of the account's pipelines, in one transaction.
async fn seed(db: &Db, account_id: i64, n: usize) -> Result<(), Failure> {
    let mut stages = Vec::new();
    for p in pipelines::list_pipelines(db, account_id).await? {
        stages.extend(pipelines::stages_of(db, account_id, p.id).await?);
    }
    let now = dealflow::server::db::now();
    let mut tx = db.pool.begin().await?;
    for i in 0..n {
        let stage = &stages[i % stages.len()];
        let status = match i % 10 {
            8 => "won",
            9 => "lost",
            _ => "open",
        };
        sqlx::query(
            "INSERT INTO deals (account_id, uuid, code, title, value_cents, status, pipeline_id, stage_id, position, \
             stage_changed_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $10)",
        )
        .bind(account_id)
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(i as i64 + 1)
        .bind(format!("Deal {i} for Customer {}", i % 997))
        .bind((i as i64 % 500 + 1) * 10_000)
        .bind(status)
        .bind(stage.pipeline_id)
        .bind(stage.id)
        .bind((i / stages.len()) as i64)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("UPDATE accounts SET next_deal_code = $1 WHERE id = $2")
        .bind(n as i64 + 1)
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let args: Vec<String> = std::env::args().collect();
    let [_, file, deals, app_port, bare_port] = args.as_slice() else {
        return Err("usage: api_bench <sqlite file> <deals> <app port> <bare port>".into());
    };
    let url = format!("sqlite://{file}");
    let db = Db::connect(&url).await?;
    db.migrate().await?;
    let account_id = accounts::create_account(
        &db,
        "Bench",
        Plan::Pro,
        "bench@bench.test",
        "Bench Owner",
        "bench-password",
    )
    .await?;
    seed(&db, account_id, deals.parse()?).await?;
    let key = api_keys::create_key(&db, account_id, None, "bench", &["all".into()], None).await?;
    println!("{}", key.token);

    let app_addr: SocketAddr = format!("127.0.0.1:{app_port}").parse()?;
    let state = AppState {
        db: db.clone(),
        leptos_options: cli::leptos_options(app_addr),
        live: dealflow::server::live::LiveBoard::start(db.clone(), None),
    };
    let app = http::router(state);
    let bare = Router::new()
        .route("/v1/opportunities", get(bare_list))
        .route("/search", post(bare_search))
        .with_state(Bare {
            pool: SqlitePool::connect(&url).await?,
            account_id,
        });
    let app_listener = tokio::net::TcpListener::bind(app_addr).await?;
    let bare_listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{bare_port}")).await?;
    println!("ready");
    let (a, b) = tokio::join!(
        axum::serve(app_listener, app),
        axum::serve(bare_listener, bare)
    );
    a?;
    b?;
    Ok(())
}
