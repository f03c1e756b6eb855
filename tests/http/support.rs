//! Test support: a real server on a loopback port over a fresh SQLite file or PostgreSQL schema.

use dealflow::domain::{AccountId, DealId, Plan, StageId};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, Once};

use dealflow::server::db::{Backend, Db};
use dealflow::server::delivery::Delivery;
use dealflow::server::guard::Guard;
use dealflow::server::live::LiveBoard;
use dealflow::server::services::accounts;
use dealflow::server::{cli, http, worker, AppState};

/// Where PostgreSQL tests connect unless `TEST_POSTGRES_URL` says otherwise.
pub const DEFAULT_PG_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn unique(prefix: &str) -> String {
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!(
        "{prefix}_{}_{}_{n}",
        std::process::id(),
        chrono::Utc::now().timestamp_micros()
    )
}

/// A fresh, migrated database of the given kind, or `None` for PostgreSQL when none answers
/// (and `DEALFLOW_REQUIRE_POSTGRES` is not set; CI sets it so a missing server fails loudly).
pub async fn fresh_db(backend: Backend) -> Option<Db> {
    let url = fresh_url(backend).await?;
    Some(Db::connect(&url).await.expect("connect"))
}

/// Like [`fresh_db`], but answers the database's URL (for tests that start processes).
pub async fn fresh_url(backend: Backend) -> Option<String> {
    let url = match backend {
        Backend::Sqlite => {
            let dir = std::env::temp_dir().join("dealflow-tests");
            std::fs::create_dir_all(&dir).expect("temp dir");
            let path = dir.join(format!("{}.db", unique("t")));
            format!("sqlite://{}", path.display())
        }
        Backend::Postgres => {
            let base = std::env::var("TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_PG_URL.into());
            let admin = match Db::connect(&base).await {
                Ok(db) => db,
                Err(e) if std::env::var_os("DEALFLOW_REQUIRE_POSTGRES").is_none() => {
                    eprintln!("PostgreSQL not reachable at {base} ({e}); skipping");
                    return None;
                }
                Err(e) => panic!("PostgreSQL required but not reachable at {base}: {e}"),
            };
            drop_stale_schemas(&admin).await;
            let schema = unique("t");
            sqlx::query(&format!("CREATE SCHEMA {schema}"))
                .execute(&admin.pool)
                .await
                .expect("create schema");
            admin.pool.close().await;
            let sep = if base.contains('?') { '&' } else { '?' };
            format!("{base}{sep}options=-c%20search_path%3D{schema}")
        }
    };
    let db = Db::connect(&url).await.expect("connect");
    db.migrate().await.expect("migrate");
    db.pool.close().await;
    Some(url)
}

/// The URLs of both databases that are available here.
pub async fn backend_urls() -> Vec<String> {
    let mut out = vec![fresh_url(Backend::Sqlite).await.expect("sqlite")];
    out.extend(fresh_url(Backend::Postgres).await);
    out
}

/// Drops the schemas of earlier test processes that are gone (`t_<pid>_…`).
async fn drop_stale_schemas(admin: &Db) {
    let names: Vec<(String,)> =
        sqlx::query_as("SELECT CAST(schema_name AS TEXT) FROM information_schema.schemata WHERE schema_name LIKE 't\\_%'")
            .fetch_all(&admin.pool)
            .await
            .unwrap_or_default();
    for (name,) in names {
        let pid = name.split('_').nth(1).and_then(|p| p.parse::<u32>().ok());
        let alive = pid.is_some_and(|p| std::path::Path::new(&format!("/proc/{p}")).exists());
        if pid.is_some() && !alive {
            let _ = sqlx::query(&format!("DROP SCHEMA IF EXISTS {name} CASCADE"))
                .execute(&admin.pool)
                .await;
        }
    }
}

/// A Python test tool (`openapi-spec-validator`, `schemathesis`) from the virtualenv that
/// `scripts/setup.sh` makes under the tools cache (`DEALFLOW_TOOLS`, default
/// `~/.cache/dealflow-tools`).
pub fn python_tool(name: &str) -> std::path::PathBuf {
    let tools = std::env::var_os("DEALFLOW_TOOLS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::PathBuf::from(std::env::var_os("HOME").unwrap_or_default())
                .join(".cache/dealflow-tools")
        });
    tools.join("py/bin").join(name)
}

/// Both backends that are available here.
pub async fn backends() -> Vec<Db> {
    let mut out = vec![fresh_db(Backend::Sqlite).await.expect("sqlite")];
    out.extend(fresh_db(Backend::Postgres).await);
    out
}

/// Panics seen in this process since the first server started: (thread, message).
static PANICS: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());

/// Records every panic of the process (then reports it as usual), so that a test whose
/// server panicked fails even when its client got an answer (a retried request, a task that
/// died in the background).
fn watch_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        // What the servers log (warnings and errors) shows in the output of a failing test.
        let _ = tracing_subscriber::fmt()
            .with_env_filter(
                tracing_subscriber::EnvFilter::try_from_default_env()
                    .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
            )
            .with_test_writer()
            .try_init();
        let report = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let thread = std::thread::current()
                .name()
                .unwrap_or("<unnamed>")
                .to_string();
            if let Ok(mut seen) = PANICS.lock() {
                seen.push((thread, info.to_string()));
            }
            report(info);
        }));
    });
}

fn panics_so_far() -> usize {
    PANICS.lock().map(|p| p.len()).unwrap_or(0)
}

/// The database a test runs on, as its failures name it.
pub fn backend_name(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "SQLite",
        Backend::Postgres => "PostgreSQL",
    }
}

/// Names the database of a test that fails while this is alive: a test looping over both
/// databases says which one failed.
pub struct OnBackend(pub Backend);

impl Drop for OnBackend {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("note: this failure was on {}", backend_name(self.0));
        }
    }
}

/// Creates a PRO account with an owner; returns (account id, owner e-mail, password).
pub async fn new_account(db: &Db, name: &str) -> (AccountId, String, String) {
    let email = format!(
        "{}@example.test",
        unique(&name.to_lowercase().replace(' ', "-"))
    );
    let password = "correct horse battery".to_string();
    let id = accounts::create_account(db, name, Plan::Pro, &email, "Owner Person", &password)
        .await
        .expect("account");
    (id, email, password)
}

/// A database for tests that call the services directly (no server). A failing test says
/// which database it ran on.
#[allow(dead_code)] // the service-level tests' (tests/services)
pub struct TestDb {
    pub db: Db,
}

#[allow(dead_code)]
impl TestDb {
    pub fn new(db: Db) -> TestDb {
        TestDb { db }
    }

    /// Creates an account with an owner; returns (account id, owner e-mail, password).
    pub async fn account(&self, name: &str) -> (AccountId, String, String) {
        new_account(&self.db, name).await
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!(
                "note: this failure was on {}",
                backend_name(self.db.backend)
            );
        }
    }
}

/// A running server. Dropping it fails the test when the server panicked meanwhile (on the
/// test's thread, where a test runtime runs the server's tasks, or on a runtime or database
/// worker thread), and a failing test says which database it ran on.
pub struct TestApp {
    pub db: Db,
    pub base: String,
    /// The test's thread and how many panics the process had seen when the server started.
    thread: Option<String>,
    panics_before: usize,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let backend = backend_name(self.db.backend);
        if std::thread::panicking() {
            eprintln!("note: this failure was on {backend}");
            return;
        }
        let server_thread = |t: &str| {
            Some(t) == self.thread.as_deref()
                || t.starts_with("tokio-")
                || t.starts_with("sqlx-")
                || t == "<unnamed>"
        };
        let panics: Vec<String> = PANICS
            .lock()
            .map(|p| {
                p.iter()
                    .skip(self.panics_before)
                    .filter(|(thread, _)| server_thread(thread))
                    .map(|(thread, message)| format!("thread '{thread}': {message}"))
                    .collect()
            })
            .unwrap_or_default();
        assert!(
            panics.is_empty(),
            "the server panicked on {backend}:\n{}",
            panics.join("\n")
        );
    }
}

impl TestApp {
    /// Serves the whole router on a free loopback port.
    pub async fn start(db: Db) -> TestApp {
        TestApp::start_listening(db, None).await
    }

    /// Like [`TestApp::start`]; with `listen_url` on PostgreSQL the live board LISTENs for
    /// changes (as an app instance does) instead of watching versions.
    pub async fn start_listening(db: Db, listen_url: Option<String>) -> TestApp {
        TestApp::serve(db, listen_url, Guard::unlimited()).await
    }

    /// Like [`TestApp::start`], with the given rate limits and trusted proxies.
    pub async fn start_guarded(db: Db, guard: Guard) -> TestApp {
        TestApp::serve(db, None, guard).await
    }

    async fn serve(db: Db, listen_url: Option<String>, guard: Guard) -> TestApp {
        watch_panics();
        let panics_before = panics_so_far();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr: SocketAddr = listener.local_addr().expect("addr");
        let state = AppState {
            db: db.clone(),
            leptos_options: cli::leptos_options(addr),
            live: LiveBoard::start(db.clone(), listen_url),
            guard,
        };
        let app = http::router(state).into_make_service_with_connect_info::<SocketAddr>();
        tokio::spawn(async move {
            axum::serve(listener, app).await.expect("serve");
        });
        TestApp {
            db,
            base: format!("http://{addr}"),
            thread: std::thread::current().name().map(str::to_string),
            panics_before,
        }
    }

    /// Serves the router and runs a background worker (jobs, automations, e-mail) with
    /// `delivery`.
    pub async fn start_with_worker(db: Db, delivery: Delivery) -> TestApp {
        let app = TestApp::start(db).await;
        worker::spawn(app.db.clone(), delivery);
        app
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A browser-like client (cookies kept, redirects not followed). A request that gets no
    /// answer within a minute fails the test instead of hanging it.
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(60))
            .build()
            .expect("client")
    }

    /// Creates an account with an owner; returns (account id, owner e-mail, password).
    pub async fn account(&self, name: &str) -> (AccountId, String, String) {
        new_account(&self.db, name).await
    }

    /// Signs in a new client that chose the language `lang` before (its `dealflow_lang`
    /// cookie is set); panics unless the login succeeds.
    pub async fn signed_in_speaking(
        &self,
        email: &str,
        password: &str,
        lang: &str,
    ) -> reqwest::Client {
        let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
        let base: reqwest::Url = self.base.parse().expect("the app's URL");
        jar.add_cookie_str(&format!("dealflow_lang={lang}; Path=/"), &base);
        let client = reqwest::Client::builder()
            .cookie_provider(jar)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(60))
            .build()
            .expect("client");
        let res = self.login(&client, email, password).await;
        assert!(
            res.status().is_success() || res.status().is_redirection(),
            "login failed: {}",
            res.status()
        );
        client
    }

    /// Signs a new client in; panics unless the login succeeds.
    pub async fn signed_in(&self, email: &str, password: &str) -> reqwest::Client {
        let client = self.client();
        let res = self.login(&client, email, password).await;
        assert!(
            res.status().is_success() || res.status().is_redirection(),
            "login failed: {}",
            res.status()
        );
        client
    }

    /// Posts the login form the way a browser without JavaScript does.
    pub async fn login(
        &self,
        client: &reqwest::Client,
        email: &str,
        password: &str,
    ) -> reqwest::Response {
        client
            .post(self.url("/rpc/login"))
            .header("accept", "application/json")
            .form(&[("email", email), ("password", password), ("next", "/")])
            .send()
            .await
            .expect("login request")
    }

    /// Calls a server function with form fields; returns status and body.
    pub async fn rpc(
        &self,
        client: &reqwest::Client,
        name: &str,
        form: &[(&str, String)],
    ) -> (u16, String) {
        let res = client
            .post(self.url(&format!("/rpc/{name}")))
            .header("accept", "application/json")
            .form(form)
            .send()
            .await
            .expect("rpc");
        let status = res.status().as_u16();
        (status, res.text().await.unwrap_or_default())
    }

    /// GETs a page; returns status and HTML. A page that missed its render deadline (503 with
    /// `Retry-After`, see `http::page_deadline`) is asked for once more, as a browser user would.
    pub async fn page(&self, client: &reqwest::Client, path: &str) -> (u16, String) {
        for attempt in 0..2 {
            let res = client.get(self.url(path)).send().await.expect("page");
            let status = res.status().as_u16();
            if status == 503 && attempt == 0 && res.headers().contains_key("retry-after") {
                eprintln!("{path}: missed its render deadline; reloading once");
                continue;
            }
            return (status, res.text().await.unwrap_or_default());
        }
        unreachable!("the loop returns on its second attempt")
    }
}

impl TestApp {
    /// Sends an API request with `key` as a Bearer token (none when `None`) and a raw JSON
    /// body; returns status and parsed JSON (panics when the answer is not JSON).
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        key: Option<&str>,
        body: Option<&str>,
    ) -> (u16, serde_json::Value) {
        self.call_with(
            method,
            path,
            key.map(|k| ("Authorization", format!("Bearer {k}"))),
            body,
        )
        .await
    }

    /// Like [`TestApp::call`] with one header of the caller's choosing.
    pub async fn call_with(
        &self,
        method: &str,
        path: &str,
        header: Option<(&str, String)>,
        body: Option<&str>,
    ) -> (u16, serde_json::Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
        let mut req = self.client().request(method, self.url(path));
        if let Some((name, value)) = header {
            req = req.header(name, value);
        }
        if let Some(b) = body {
            req = req
                .header("content-type", "application/json")
                .body(b.to_string());
        }
        let res = req.send().await.expect("request");
        let status = res.status().as_u16();
        let csv = res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/csv"));
        let text = res.text().await.unwrap_or_default();
        // An answer without a body (204) reads as `null`, a CSV file as one string.
        let json = if text.is_empty() && status == 204 {
            serde_json::Value::Null
        } else if csv {
            serde_json::Value::String(text)
        } else {
            serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}"))
        };
        (status, json)
    }

    /// A new API key of the account with these scopes.
    pub async fn api_key(&self, account_id: AccountId, scopes: &[&str]) -> String {
        let scopes: Vec<String> = scopes.iter().map(|s| s.to_string()).collect();
        dealflow::server::auth::api_keys::create_key(
            &self.db, account_id, None, "test", &scopes, None,
        )
        .await
        .expect("key")
        .token
    }
}

/// The ids of `data-card` elements in page order, per `data-column`.
pub fn board_from_html(html: &str) -> Vec<(StageId, Vec<DealId>)> {
    let mut out: Vec<(StageId, Vec<DealId>)> = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("data-") {
        rest = &rest[i + 5..];
        let attr_value = |s: &str, name: &str| -> Option<i64> {
            let s = s.strip_prefix(name)?.strip_prefix("=\"")?;
            s[..s.find('"')?].parse().ok()
        };
        if let Some(col) = attr_value(rest, "column") {
            out.push((StageId(col), Vec::new()));
        } else if let Some(card) = attr_value(rest, "card") {
            if let Some(last) = out.last_mut() {
                last.1.push(DealId(card));
            }
        }
    }
    out
}

/// Picks a free loopback port.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// Waits until `check` answers something, for at most `limit`.
pub async fn wait_for<T, F, Fut>(limit: std::time::Duration, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let start = std::time::Instant::now();
    loop {
        if let Some(v) = check().await {
            return v;
        }
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// A `dealflow serve` process (the release of this build, multi-threaded as in production)
/// with its log in a file. Dropping it stops the process and fails the test when the log
/// shows a panic.
pub struct Instance {
    child: std::process::Child,
    log: std::path::PathBuf,
    pub port: u16,
}

impl Instance {
    /// Starts `dealflow serve` on the database at `url` and port `port`; waits until it answers.
    pub async fn start(url: &str, port: u16) -> Instance {
        Instance::start_with_env(url, port, &[]).await
    }

    /// Like [`Instance::start`], with more environment variables.
    pub async fn start_with_env(url: &str, port: u16, env: &[(&str, &str)]) -> Instance {
        let dir = std::env::temp_dir().join("dealflow-tests");
        std::fs::create_dir_all(&dir).expect("temp dir");
        let log = dir.join(format!("{}.log", unique("serve")));
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_dealflow"))
            .args([
                "--database-url",
                url,
                "serve",
                "--addr",
                &format!("127.0.0.1:{port}"),
            ])
            .env("RUST_LOG", "warn")
            .env("DEALFLOW_JOB_LEASE_SECONDS", "2")
            // Tests sign in far faster than people do; the other budgets stay as shipped.
            .env("DEALFLOW_RATE_LIMITS", "sign_in=600")
            .envs(env.iter().copied())
            .env("LEPTOS_SITE_ROOT", std::env::temp_dir())
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(&log).expect("log file"))
            .spawn()
            .expect("start dealflow serve");
        let instance = Instance { child, log, port };
        let client = reqwest::Client::new();
        let health = instance.url("/healthz");
        wait_for(std::time::Duration::from_secs(30), "the server", || {
            let (client, health) = (client.clone(), health.clone());
            async move {
                client
                    .get(health)
                    .send()
                    .await
                    .ok()
                    .filter(|r| r.status().is_success())
            }
        })
        .await;
        instance
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base())
    }

    /// Kills the process at once (SIGKILL), as a crash would.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// What the process wrote to its log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.kill();
        let log = self.log();
        if !std::thread::panicking() {
            assert!(
                !log.contains("panicked at"),
                "the server on port {} panicked; its log:\n{log}",
                self.port
            );
        }
        let _ = std::fs::remove_file(&self.log);
    }
}

/// Every row of every table of the database (but sessions and API keys, which a request
/// touches on its own), as text: equal snapshots taken before and after a request show that
/// it left the database exactly as it was.
pub async fn snapshot(db: &Db) -> std::collections::BTreeMap<String, Vec<String>> {
    let tables: Vec<(String,)> = match db.backend {
        Backend::Sqlite => sqlx::query_as(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name NOT LIKE '%fts%' ORDER BY name",
        ),
        Backend::Postgres => sqlx::query_as(
            "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1",
        ),
    }
    .fetch_all(&db.pool)
    .await
    .expect("tables");
    let mut out = std::collections::BTreeMap::new();
    for (table,) in tables {
        if ["sessions", "api_keys", "_sqlx_migrations"].contains(&table.as_str()) {
            continue;
        }
        let columns: Vec<(String,)> = match db.backend {
            Backend::Sqlite => sqlx::query_as("SELECT name FROM pragma_table_info($1) ORDER BY cid"),
            Backend::Postgres => sqlx::query_as(
                "SELECT CAST(column_name AS TEXT) FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
            ),
        }
        .bind(&table)
        .fetch_all(&db.pool)
        .await
        .expect("columns");
        let row = columns
            .iter()
            .map(|(c,)| format!("COALESCE(CAST(\"{c}\" AS TEXT), '∅')"))
            .collect::<Vec<_>>()
            .join(" || '|' || ");
        let mut rows: Vec<String> =
            sqlx::query_as::<_, (String,)>(&format!("SELECT {row} FROM \"{table}\""))
                .fetch_all(&db.pool)
                .await
                .unwrap_or_else(|e| panic!("rows of {table}: {e}"))
                .into_iter()
                .map(|(r,)| r)
                .collect();
        rows.sort();
        out.insert(table, rows);
    }
    out
}

/// Asserts two snapshots are equal, naming the tables that differ.
pub fn assert_same(
    before: &std::collections::BTreeMap<String, Vec<String>>,
    after: &std::collections::BTreeMap<String, Vec<String>>,
    what: &str,
) {
    let changed: Vec<String> = after
        .iter()
        .filter(|(table, rows)| before.get(*table) != Some(*rows))
        .map(|(table, rows)| {
            let was = before.get(table).cloned().unwrap_or_default();
            let added: Vec<&String> = rows.iter().filter(|r| !was.contains(r)).collect();
            let gone: Vec<&String> = was.iter().filter(|r| !rows.contains(r)).collect();
            format!("{table}: added {added:?}, gone {gone:?}")
        })
        .collect();
    assert!(
        changed.is_empty(),
        "{what} left the database changed:\n{}",
        changed.join("\n")
    );
}

/// A fault for tests: from now on, every `op` (`INSERT` or `UPDATE OF <column>`) on `table`
/// whose new row meets `when` (SQL over `NEW`) fails in the database, as a lost connection or
/// a full disk would fail it at that step. Made through the writer's connection, which runs
/// every write on SQLite.
pub async fn inject_fault(db: &Db, table: &str, op: &str, when: &str) {
    let name = format!("injected_fault_{table}");
    let statements: Vec<String> = match db.backend {
        Backend::Sqlite => vec![format!(
            "CREATE TRIGGER {name} BEFORE {op} ON {table} WHEN {when} \
             BEGIN SELECT RAISE(ABORT, 'injected fault'); END"
        )],
        Backend::Postgres => vec![
            "CREATE OR REPLACE FUNCTION injected_fault() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN RAISE EXCEPTION 'injected fault'; END $$"
                .to_string(),
            format!(
                "CREATE TRIGGER {name} BEFORE {op} ON {table} FOR EACH ROW \
                 WHEN ({when}) EXECUTE FUNCTION injected_fault()"
            ),
        ],
    };
    let mut tx = db.begin().await.expect("writer");
    for sql in statements {
        sqlx::query(&sql)
            .execute(&mut *tx)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
    tx.commit().await.expect("fault");
}

/// Removes the fault [`inject_fault`] made on `table`.
pub async fn clear_fault(db: &Db, table: &str) {
    let sql = match db.backend {
        Backend::Sqlite => format!("DROP TRIGGER injected_fault_{table}"),
        Backend::Postgres => format!("DROP TRIGGER injected_fault_{table} ON {table}"),
    };
    let mut tx = db.begin().await.expect("writer");
    sqlx::query(&sql)
        .execute(&mut *tx)
        .await
        .expect("drop fault");
    tx.commit().await.expect("drop fault");
}
