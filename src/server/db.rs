//! The database: one `sqlx::AnyPool` over SQLite or PostgreSQL, with portable SQL.
//!
//! Both dialects share the query text: `$n` placeholders, integer cents, `0/1` flags, JSON and
//! UTC timestamps as text (RFC 3339 with microseconds, so they sort as strings). Migrations are
//! kept per dialect under `migrations/`.

use crate::domain::search::fold;
use crate::domain::AccountId;
use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{Any, AnyPool, Executor, Transaction};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;

use super::error::{ServiceError, ServiceResult};

/// Which database engine a pool talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The dialect of the database a transaction runs on.
    pub fn of(tx: &Tx) -> Self {
        if tx.backend_name().eq_ignore_ascii_case("postgresql") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

/// A connection pool and the dialect behind it.
#[derive(Clone, Debug)]
pub struct Db {
    /// Reads and single-statement writes.
    pub pool: AnyPool,
    /// Where [`Db::begin`] takes its connection: on SQLite a pool of one, so write transactions
    /// queue in order instead of sleeping in SQLite's busy handler; on PostgreSQL `pool`.
    writer: AnyPool,
    pub backend: Backend,
    /// Counts the write transactions ended (committed or not) on a SQLite writer of its own:
    /// the live board looks for changes when it moves, instead of on a clock.
    written: Option<Arc<watch::Sender<u64>>>,
}

static MIGRATOR_SQLITE: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static MIGRATOR_POSTGRES: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

impl Db {
    /// Connects to `url` (`sqlite://file.db` or `postgres://…`). SQLite files are created when
    /// missing and run in WAL mode with a busy timeout.
    pub async fn connect(url: &str) -> ServiceResult<Db> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            return Err(ServiceError::invalid(
                "database_url",
                "must start with sqlite:// or postgres://",
            ));
        };
        match backend {
            Backend::Sqlite => {
                let url = if url.contains('?') {
                    url.to_string()
                } else {
                    format!("{url}?mode=rwc")
                };
                let pool = sqlite_pool(&url, 8, None).await?;
                // An in-memory database lives in its connection: it cannot have a second pool.
                let (writer, written) = if url.contains(":memory:") || url.contains("mode=memory") {
                    (pool.clone(), None)
                } else {
                    let written = Arc::new(watch::Sender::new(0));
                    (
                        sqlite_pool(&url, 1, Some(written.clone())).await?,
                        Some(written),
                    )
                };
                Ok(Db {
                    pool,
                    writer,
                    backend,
                    written,
                })
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .after_connect(|conn, _meta| {
                        Box::pin(async move {
                            // A request waits for a row lock at most this long, then fails
                            // with a retryable error instead of hanging.
                            conn.execute("SET lock_timeout = '15s'").await?;
                            Ok(())
                        })
                    })
                    .connect(url)
                    .await?;
                Ok(Db::from_pool(pool, backend))
            }
        }
    }

    /// A `Db` over an existing pool, which also serves write transactions.
    pub fn from_pool(pool: AnyPool, backend: Backend) -> Db {
        Db {
            writer: pool.clone(),
            pool,
            backend,
            written: None,
        }
    }

    /// Starts a transaction that may write. Every write transaction starts here. On SQLite it
    /// takes the write lock at once (`BEGIN IMMEDIATE`): a transaction that read first and
    /// wrote later would otherwise fail outright (`SQLITE_BUSY`) whenever another connection
    /// wrote in between, instead of waiting its turn.
    pub async fn begin(&self) -> ServiceResult<Tx> {
        Ok(match self.backend {
            Backend::Sqlite => self.writer.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.writer.begin().await?,
        })
    }

    /// A count that moves each time a write transaction has ended, on a SQLite database with
    /// a writer of its own (`None` elsewhere: PostgreSQL notifies by itself, and an in-memory
    /// database shares one pool for everything).
    pub fn written(&self) -> Option<watch::Receiver<u64>> {
        self.written.as_ref().map(|w| w.subscribe())
    }

    /// How many of this build's migrations the database lacks.
    pub async fn pending_migrations(&self) -> ServiceResult<usize> {
        let migrator = match self.backend {
            Backend::Sqlite => &MIGRATOR_SQLITE,
            Backend::Postgres => &MIGRATOR_POSTGRES,
        };
        let applied: Vec<(i64,)> =
            sqlx::query_as("SELECT version FROM _sqlx_migrations WHERE success = TRUE")
                .fetch_all(&self.pool)
                .await?;
        Ok(migrator
            .iter()
            .filter(|m| !applied.iter().any(|(v,)| *v == m.version))
            .count())
    }

    /// Commits a one-row write (the readiness probe's row); `Err` says why the database
    /// cannot take writes (read-only file or server, full disk, …).
    pub async fn probe_write(&self) -> ServiceResult<()> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO readiness_probe (id, checked_at) VALUES (1, $1) \
             ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at",
        )
        .bind(now())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Applies the pending migrations of this dialect, then fills in the folded search copies
    /// of rows written before those columns existed.
    pub async fn migrate(&self) -> ServiceResult<()> {
        let migrator = match self.backend {
            Backend::Sqlite => &MIGRATOR_SQLITE,
            Backend::Postgres => &MIGRATOR_POSTGRES,
        };
        migrator
            .run(&self.pool)
            .await
            .map_err(|e| ServiceError::Internal(format!("migration failed: {e}")))?;
        self.fill_search_keys().await
    }

    /// Writes `fold(text)` into every search key still empty, 500 rows per transaction; a
    /// no-op once every row has one (each write sets its key beside its text).
    async fn fill_search_keys(&self) -> ServiceResult<()> {
        for (table, text, key) in SEARCH_KEYS {
            loop {
                let rows: Vec<(i64, String)> = sqlx::query_as(&format!(
                    "SELECT id, {text} FROM {table} WHERE {key} IS NULL ORDER BY id LIMIT 500"
                ))
                .fetch_all(&self.writer)
                .await?;
                if rows.is_empty() {
                    break;
                }
                let mut tx = self.begin().await?;
                for (id, value) in rows {
                    sqlx::query(&format!("UPDATE {table} SET {key} = $1 WHERE id = $2"))
                        .bind(fold(&value))
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
            }
        }
        Ok(())
    }
}

/// The texts searches compare folded: (table, text column, folded copy).
const SEARCH_KEYS: [(&str, &str, &str); 3] = [
    ("deals", "title", "title_key"),
    ("contacts", "full_name", "name_key"),
    ("organizations", "name", "name_key"),
];

/// A SQLite pool of at most `connections`, in WAL mode with a busy timeout. Its connections
/// are to a local file and never go stale, so they are not pinged before each use (a ping is
/// a round trip to the connection's thread, as dear as a statement). `released` counts each
/// time a connection comes back to the pool — for the writer, after its transaction ended.
async fn sqlite_pool(
    url: &str,
    connections: u32,
    released: Option<Arc<watch::Sender<u64>>>,
) -> ServiceResult<AnyPool> {
    let mut options = AnyPoolOptions::new();
    if let Some(released) = released {
        options = options.after_release(move |_conn, _meta| {
            released.send_modify(|n| *n = n.wrapping_add(1));
            Box::pin(async { Ok(true) })
        });
    }
    Ok(options
        .max_connections(connections)
        .acquire_timeout(Duration::from_secs(30))
        .test_before_acquire(false)
        .after_connect(|conn, _meta| {
            Box::pin(async move {
                conn.execute("PRAGMA journal_mode = WAL").await?;
                conn.execute("PRAGMA busy_timeout = 10000").await?;
                conn.execute("PRAGMA synchronous = NORMAL").await?;
                conn.execute("PRAGMA foreign_keys = ON").await?;
                Ok(())
            })
        })
        .connect(url)
        .await?)
}

/// Reads through `&Db` go to the read pool, so a query helper generic over [`Executor`]
/// serves both a page (`&db`) and a step inside a use case's transaction (`&mut **tx`).
impl<'p> Executor<'p> for &'p Db {
    type Database = Any;

    fn fetch_many<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> futures_util::stream::BoxStream<
        'e,
        Result<sqlx::Either<sqlx::any::AnyQueryResult, AnyRow>, sqlx::Error>,
    >
    where
        'p: 'e,
        E: 'q + sqlx::Execute<'q, Any>,
    {
        (&self.pool).fetch_many(query)
    }

    fn fetch_optional<'e, 'q: 'e, E>(
        self,
        query: E,
    ) -> futures_util::future::BoxFuture<'e, Result<Option<AnyRow>, sqlx::Error>>
    where
        'p: 'e,
        E: 'q + sqlx::Execute<'q, Any>,
    {
        (&self.pool).fetch_optional(query)
    }

    fn prepare_with<'e, 'q: 'e>(
        self,
        sql: &'q str,
        parameters: &'e [sqlx::any::AnyTypeInfo],
    ) -> futures_util::future::BoxFuture<'e, Result<sqlx::any::AnyStatement<'q>, sqlx::Error>>
    where
        'p: 'e,
    {
        (&self.pool).prepare_with(sql, parameters)
    }

    fn describe<'e, 'q: 'e>(
        self,
        sql: &'q str,
    ) -> futures_util::future::BoxFuture<'e, Result<sqlx::Describe<Any>, sqlx::Error>>
    where
        'p: 'e,
    {
        (&self.pool).describe(sql)
    }
}

/// `Ok` when a write touched a row; "not found" (`what`) when it touched none: another
/// account's id, or no such row at all.
pub fn touched(result: sqlx::any::AnyQueryResult, what: &'static str) -> ServiceResult<()> {
    if result.rows_affected() == 0 {
        Err(ServiceError::NotFound(what))
    } else {
        Ok(())
    }
}

/// A write transaction: every use case that writes runs in one, from [`Db::begin`] to its
/// commit, and passes `&mut Tx` down to its steps.
pub type Tx = Transaction<'static, Any>;

/// The current time in storage form.
pub fn now() -> String {
    ts(Utc::now())
}

/// A timestamp in storage form: `2026-01-02T03:04:05.000000Z`.
pub fn ts(t: DateTime<Utc>) -> String {
    crate::domain::dates::stored_time(t)
}

/// Parses a stored timestamp.
pub fn parse_ts(s: &str) -> Option<DateTime<Utc>> {
    crate::domain::dates::parse_time(s)
}

/// A stored timestamp as API clients see it: `2026-01-02T03:04:05Z`.
pub fn api_ts(s: &str) -> String {
    parse_ts(s)
        .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
        .unwrap_or_else(|| s.to_string())
}

/// Reads a column, mapping decode errors into the service error.
pub fn col<'r, T>(row: &'r AnyRow, name: &str) -> ServiceResult<T>
where
    T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    use sqlx::Row;
    row.try_get(name).map_err(ServiceError::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_round_trip_and_sort() {
        let a = parse_ts("2026-01-02T03:04:05Z").map(ts);
        assert_eq!(a.as_deref(), Some("2026-01-02T03:04:05.000000Z"));
        assert!(ts(Utc::now()).as_str() > "2026-01-01T00:00:00.000000Z");
        assert_eq!(
            api_ts("2026-01-02T03:04:05.123456Z"),
            "2026-01-02T03:04:05Z"
        );
    }

    #[test]
    fn an_order_without_an_index_keeps_its_terms_and_directions() {
        assert_eq!(
            unindexed("d.created_at DESC, d.id DESC"),
            "COALESCE(d.created_at, d.created_at) DESC, COALESCE(d.id, d.id) DESC"
        );
        assert_eq!(unindexed("d.id"), "COALESCE(d.id, d.id)");
        assert_eq!(
            unindexed("(d.x IS NULL), f(a, b) asc"),
            "COALESCE((d.x IS NULL), (d.x IS NULL)), COALESCE(f(a, b), f(a, b)) asc"
        );
    }

    #[test]
    fn a_cursor_reads_back_what_it_was_made_from_and_nothing_else() {
        let c = Cursor {
            page: 500,
            sort: "2026-01-02T03:04:05.000000Z".into(),
            key: 99_123,
        };
        let text = c.encode();
        assert!(
            text.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
            "URL-safe: {text}"
        );
        assert_eq!(Cursor::decode(&text), Ok(c.clone()));
        assert_eq!(
            c.start(),
            Start::After {
                sort: Arg::Text(Some(c.sort.clone())),
                key: 99_123
            }
        );
        assert_eq!(c.start_numeric(), None, "not a number");
        let n = Cursor {
            sort: "-1500".into(),
            ..c.clone()
        };
        assert_eq!(
            n.start_numeric(),
            Some(Start::After {
                sort: Arg::Int(Some(-1500)),
                key: 99_123
            })
        );
        // The next page's cursor: only after a full page with rows after it.
        let rows = [("a", 1), ("b", 2)];
        let last = |r: &(&str, i64)| (r.0.to_string(), r.1);
        assert_eq!(
            Cursor::after(&rows, 3, 2, 7, last),
            Some(Cursor {
                page: 4,
                sort: "b".into(),
                key: 2
            })
        );
        assert_eq!(Cursor::after(&rows, 3, 2, 6, last), None, "the last page");
        assert_eq!(Cursor::after(&rows[..1], 3, 2, 9, last), None, "not full");
        assert_eq!(Cursor::after(&rows[..0], 1, 2, 9, last), None);
        assert_eq!(Cursor::read("after", Some("  ")).ok(), Some(None));
        assert_eq!(Cursor::read("after", None).ok(), Some(None));
        assert_eq!(
            Cursor::read("after", Some(&text)).ok(),
            Some(Some(c.clone()))
        );
        assert!(matches!(
            Cursor::read("after", Some("nope")),
            Err(ServiceError::Validation { field, .. }) if field == "after"
        ));
        let made = |t: &str| data_encoding::BASE64URL_NOPAD.encode(t.as_bytes());
        for bad in [
            String::new(),
            "not a cursor!".into(),
            made("0\n1\n2026"),
            made("1\nx\n2026"),
            made("1\n2\n"),
            made("1\n2"),
            made("1\n2\n20\u{0}26"),
            "A".repeat(201),
        ] {
            assert!(Cursor::decode(&bad).is_err(), "{bad:?}");
        }
    }
}

/// A bound value of a [`SqlBuilder`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    Int(Option<i64>),
    Text(Option<String>),
}

/// Builds SQL with `$n` placeholders (valid on both dialects) and its bound values.
#[derive(Debug, Clone, Default)]
pub struct SqlBuilder {
    pub sql: String,
    args: Vec<Arg>,
}

impl SqlBuilder {
    pub fn new(sql: &str) -> Self {
        Self {
            sql: sql.to_string(),
            args: Vec::new(),
        }
    }

    /// Appends SQL text.
    pub fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.push_str(sql);
        self
    }

    /// Appends a placeholder bound to `arg`.
    pub fn bind(&mut self, arg: Arg) -> &mut Self {
        self.args.push(arg);
        self.sql.push_str(&format!("${}", self.args.len()));
        self
    }

    /// Binds `arg` without writing its placeholder; answers the placeholder (`$n`), for SQL
    /// that names one value more than once.
    pub fn placeholder(&mut self, arg: Arg) -> String {
        self.args.push(arg);
        format!("${}", self.args.len())
    }

    pub fn bind_int(&mut self, v: impl Into<i64>) -> &mut Self {
        self.bind(Arg::Int(Some(v.into())))
    }

    pub fn bind_text(&mut self, v: impl Into<String>) -> &mut Self {
        self.bind(Arg::Text(Some(v.into())))
    }

    /// Appends `(…), (…)`: one parenthesized group of placeholders per row.
    pub fn values(&mut self, rows: impl IntoIterator<Item = Vec<Arg>>) -> &mut Self {
        for (i, row) in rows.into_iter().enumerate() {
            self.push(if i == 0 { "(" } else { ", (" });
            for (j, arg) in row.into_iter().enumerate() {
                if j > 0 {
                    self.push(", ");
                }
                self.bind(arg);
            }
            self.push(")");
        }
        self
    }

    /// The query with its values bound.
    pub fn query(&self) -> sqlx::query::Query<'_, sqlx::Any, sqlx::any::AnyArguments<'_>> {
        let mut q = sqlx::query(&self.sql);
        for a in &self.args {
            q = match a {
                Arg::Int(v) => q.bind(*v),
                Arg::Text(v) => q.bind(v.clone()),
            };
        }
        q
    }

    /// The query mapping rows to `T`.
    pub fn query_as<T>(&self) -> sqlx::query::QueryAs<'_, sqlx::Any, T, sqlx::any::AnyArguments<'_>>
    where
        T: for<'r> sqlx::FromRow<'r, AnyRow>,
    {
        let mut q = sqlx::query_as(&self.sql);
        for a in &self.args {
            q = match a {
                Arg::Int(v) => q.bind(*v),
                Arg::Text(v) => q.bind(v.clone()),
            };
        }
        q
    }
}

pub use crate::domain::ransack::escape_like as like_escape;

/// A list of an account's rows read a page at a time: `select` and `count` both end in
/// `WHERE <account column> = ` (the account is bound there), the same filter narrows both,
/// and the page's rows come in `order`.
#[derive(Debug, Clone, Copy)]
pub struct Listing<'a> {
    pub count: &'a str,
    pub select: &'a str,
    pub order: &'a str,
    /// The key column of `select` and the query of keys alone
    /// (`SELECT d.id FROM deals d WHERE d.account_id = `): when given, the page's keys are read
    /// first (with the filter, in order, from an index where one serves) and only their rows
    /// are built, so a page deep in the list skips index entries instead of built rows.
    pub keys: Option<(&'a str, &'a str)>,
    /// The total, when it is known without counting (`None`: counted with `count`).
    pub total: Option<i64>,
    /// The text column and the key column `order` is (`d.created_at DESC, d.id DESC`): when
    /// given, a page can start right after a row ([`Start::After`]), found from the index
    /// however deep in the list it is.
    pub seek: Option<Seek<'a>>,
}

/// The columns a listing is ordered by, for pages that start after a row.
#[derive(Debug, Clone, Copy)]
pub struct Seek<'a> {
    /// A column that is never empty (text or whole numbers, as [`Start::After`] holds it).
    pub sort: &'a str,
    /// The row's key, breaking ties.
    pub key: &'a str,
    /// Both columns descending (else both ascending).
    pub descending: bool,
}

/// Where a page of a [`Listing`] starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Start {
    /// Page `n`, from 1: the rows of the pages before it are skipped.
    Page(i64),
    /// Right after the row with these values of the listing's [`Seek`] columns.
    After { sort: Arg, key: i64 },
}

/// A page's place in a [`Listing`] with [`Seek`] columns, handed to clients as opaque text
/// (a list's `next_cursor`): the page's number and the order values of the row before it. A
/// page read from a cursor costs the same however deep it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    /// The page's number, from 1 (for the page fields of the answer).
    pub page: i64,
    /// The previous row's [`Seek::sort`] value.
    pub sort: String,
    /// The previous row's key.
    pub key: i64,
}

impl Cursor {
    /// Longest cursor text read.
    const MAX_LEN: usize = 200;

    /// The cursor as URL-safe text.
    pub fn encode(&self) -> String {
        let text = format!("{}\n{}\n{}", self.page, self.key, self.sort);
        data_encoding::BASE64URL_NOPAD.encode(text.as_bytes())
    }

    /// Reads a cursor made by [`Cursor::encode`]; says what is wrong with any other text.
    pub fn decode(text: &str) -> Result<Self, String> {
        let bad = || "is not a cursor this list gave".to_string();
        if text.len() > Self::MAX_LEN {
            return Err(bad());
        }
        let bytes = data_encoding::BASE64URL_NOPAD
            .decode(text.trim().as_bytes())
            .map_err(|_| bad())?;
        let text = String::from_utf8(bytes).map_err(|_| bad())?;
        let mut parts = text.splitn(3, '\n');
        let page = parts.next().and_then(|p| p.parse::<i64>().ok());
        let key = parts.next().and_then(|k| k.parse::<i64>().ok());
        let sort = parts.next().filter(|s| !s.is_empty() && !s.contains('\0'));
        match (page, key, sort) {
            (Some(page), Some(key), Some(sort)) if page >= 1 => Ok(Cursor {
                page,
                key,
                sort: sort.to_string(),
            }),
            _ => Err(bad()),
        }
    }

    /// The cursor `field` gives (`None` when it is absent or blank); text no list gave is
    /// refused naming `field`.
    pub fn read(field: &'static str, text: Option<&str>) -> ServiceResult<Option<Cursor>> {
        match text.map(str::trim) {
            Some(t) if !t.is_empty() => Cursor::decode(t)
                .map(Some)
                .map_err(|m| ServiceError::invalid(field, m)),
            _ => Ok(None),
        }
    }

    /// The cursor of the page after page `page` of `per_page` rows (`rows`, of `total`), from
    /// its last row's order values: `None` on the last page.
    pub fn after<T>(
        rows: &[T],
        page: i64,
        per_page: i64,
        total: i64,
        order_values: impl FnOnce(&T) -> (String, i64),
    ) -> Option<Cursor> {
        let last = rows.last()?;
        if (rows.len() as i64) < per_page || page.saturating_mul(per_page) >= total {
            return None;
        }
        let (sort, key) = order_values(last);
        Some(Cursor {
            page: page + 1,
            sort,
            key,
        })
    }

    /// Where the page it names starts, in a listing ordered by a text column.
    pub fn start(&self) -> Start {
        Start::After {
            sort: Arg::Text(Some(self.sort.clone())),
            key: self.key,
        }
    }

    /// Where the page it names starts, in a listing ordered by a column of whole numbers;
    /// `None` when the cursor holds no number.
    pub fn start_numeric(&self) -> Option<Start> {
        Some(Start::After {
            sort: Arg::Int(Some(self.sort.parse().ok()?)),
            key: self.key,
        })
    }
}

impl Listing<'_> {
    /// Page `page` (from 1) of `per_page` rows, and how many rows match in all.
    pub async fn page<T, F>(
        &self,
        db: &Db,
        account_id: AccountId,
        filter: F,
        page: i64,
        per_page: i64,
    ) -> ServiceResult<(Vec<T>, i64)>
    where
        F: Fn(&mut SqlBuilder) -> ServiceResult<()>,
        T: for<'r> sqlx::FromRow<'r, AnyRow> + Send + Unpin,
    {
        self.page_from(db, account_id, filter, &Start::Page(page), per_page)
            .await
    }

    /// `per_page` rows from `start`, and how many rows match in all.
    pub async fn page_from<T, F>(
        &self,
        db: &Db,
        account_id: AccountId,
        filter: F,
        start: &Start,
        per_page: i64,
    ) -> ServiceResult<(Vec<T>, i64)>
    where
        F: Fn(&mut SqlBuilder) -> ServiceResult<()>,
        T: for<'r> sqlx::FromRow<'r, AnyRow> + Send + Unpin,
    {
        let total = match self.total {
            Some(total) => total,
            None => {
                let mut count = SqlBuilder::new(self.count);
                count.bind_int(account_id);
                filter(&mut count)?;
                let (total,): (i64,) = count.query_as().fetch_one(&db.pool).await?;
                total
            }
        };
        let offset = match start {
            Start::Page(page) => ((*page).max(1) - 1).saturating_mul(per_page),
            Start::After { .. } => 0,
        };
        if offset >= total {
            return Ok((Vec::new(), total));
        }
        // After a row, the page is the rows tied with it on `sort` with a key beyond its key,
        // then the rows beyond its `sort`: two ranges each index seeks to, read in that order
        // (the second only for what the first did not fill). One row-value comparison would say
        // the same, but SQLite seeks no index on one whose last column is the rowid, and walks
        // every row tied with the cursor's (an import writes a batch at one instant).
        let ranges: &[Option<SeekRange>] = match start {
            Start::Page(_) => &[None],
            Start::After { .. } => &[Some(SeekRange::Tied), Some(SeekRange::Beyond)],
        };
        let mut rows: Vec<T> = Vec::new();
        for range in ranges {
            let wanted = per_page - rows.len() as i64;
            if wanted <= 0 {
                break;
            }
            let mut q = SqlBuilder::new(self.select);
            q.bind_int(account_id);
            if let Some((column, keys)) = self.keys {
                q.push(&format!(" AND {column} IN (")).push(keys);
                q.bind_int(account_id);
            }
            filter(&mut q)?;
            if let (Some(range), Start::After { sort, key }) = (range, start) {
                let seek = self
                    .seek
                    .ok_or_else(|| ServiceError::invalid("cursor", "this list has no cursors"))?;
                let beyond = if seek.descending { "<" } else { ">" };
                match range {
                    SeekRange::Tied => {
                        q.push(&format!(" AND {} = ", seek.sort)).bind(sort.clone());
                        q.push(&format!(" AND {} {beyond} ", seek.key))
                            .bind_int(*key);
                    }
                    SeekRange::Beyond => {
                        q.push(&format!(" AND {} {beyond} ", seek.sort))
                            .bind(sort.clone());
                    }
                }
            }
            q.push(" ORDER BY ").push(self.order);
            // The page size is written into the statement, not bound: PostgreSQL's generic plan
            // of a prepared statement (used after a few runs) cannot see a bound limit, and
            // joins the page's keys to every row of the account instead of looking them up.
            q.push(&format!(" LIMIT {wanted}"));
            if offset > 0 {
                q.push(" OFFSET ").bind_int(offset);
            }
            if self.keys.is_some() {
                q.push(") ORDER BY ").push(&unindexed(self.order));
            }
            rows.extend(q.query_as::<T>().fetch_all(&db.pool).await?);
        }
        Ok((rows, total))
    }
}

/// The two ranges of a page that starts after a row (see [`Listing::page_from`]).
#[derive(Debug, Clone, Copy)]
enum SeekRange {
    /// Rows with the row's `sort` value and a key beyond its key.
    Tied,
    /// Rows with a `sort` value beyond the row's.
    Beyond,
}

/// `order` (`a DESC, b`) with each term an expression no index serves (`COALESCE(a, a) DESC,
/// COALESCE(b, b)`), the same order: for the few rows a page's keys name, so that the
/// planner looks them up by key instead of walking an index in that order past every row.
pub fn unindexed(order: &str) -> String {
    let mut terms = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, ch) in order.char_indices() {
        match ch {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                terms.push(&order[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    terms.push(&order[start..]);
    terms
        .into_iter()
        .map(|term| {
            let term = term.trim();
            let (expr, dir) = match term.rsplit_once(' ') {
                Some((e, d)) if d.eq_ignore_ascii_case("asc") || d.eq_ignore_ascii_case("desc") => {
                    (e.trim(), format!(" {d}"))
                }
                _ => (term, String::new()),
            };
            format!("COALESCE({expr}, {expr}){dir}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl SqlBuilder {
    /// Appends ` AND (…)` with a parsed Ransack search's conditions (nothing when it has none).
    /// Columns come from the search's attribute whitelist, values are always bound. On SQLite a
    /// `cont` of at least three characters on an attribute with a trigram table is narrowed
    /// through it first (PostgreSQL's trigram index serves the `LIKE` itself).
    pub fn push_search(
        &mut self,
        search: &crate::domain::ransack::Search,
        backend: Backend,
    ) -> &mut Self {
        use crate::domain::ransack::{Operand, Test};
        if search.conditions.is_empty() {
            return self;
        }
        let joiner = if search.any { " OR " } else { " AND " };
        self.push(" AND (");
        for (i, c) in search.conditions.iter().enumerate() {
            if i > 0 {
                self.push(joiner);
            }
            let col = c.attribute.column;
            let bind = |q: &mut SqlBuilder, v: &Operand| {
                match v {
                    Operand::Int(n) => q.bind_int(*n),
                    Operand::Text(s) => q.bind_text(s.clone()),
                };
            };
            match &c.test {
                Test::Compare(op, v) => {
                    self.push(&format!("{col} {op} "));
                    bind(self, v);
                }
                Test::Like {
                    pattern,
                    negate,
                    contains,
                } => {
                    let not = if *negate { "NOT " } else { "" };
                    let trigram = match (c.attribute.text_index, contains, backend) {
                        (Some(index), Some(text), Backend::Sqlite) if text.chars().count() >= 3 => {
                            Some((index, text))
                        }
                        _ => None,
                    };
                    if let Some((index, text)) = trigram {
                        // An FTS5 phrase: the text as one quoted string.
                        let phrase = format!("\"{}\"", text.replace('"', "\"\""));
                        self.push(&format!(
                            "({} IN (SELECT rowid FROM {} WHERE {1} MATCH ",
                            index.row_id, index.table
                        ))
                        .bind_text(phrase)
                        .push(") AND ");
                    }
                    let compared = match c.attribute.folded {
                        Some(folded) => folded.to_string(),
                        None => format!("LOWER({col})"),
                    };
                    self.push(&format!("{compared} {not}LIKE "))
                        .bind_text(pattern.clone())
                        .push(" ESCAPE '\\'");
                    if trigram.is_some() {
                        self.push(")");
                    }
                }
                Test::In { values, negate } => {
                    let not = if *negate { "NOT " } else { "" };
                    self.push(&format!("{col} {not}IN ("));
                    for (j, v) in values.iter().enumerate() {
                        if j > 0 {
                            self.push(", ");
                        }
                        bind(self, v);
                    }
                    self.push(")");
                }
                Test::Null(true) => {
                    self.push(&format!("{col} IS NULL"));
                }
                Test::Null(false) => {
                    self.push(&format!("{col} IS NOT NULL"));
                }
                Test::Blank(true) => {
                    self.push(&format!("({col} IS NULL OR {col} = '')"));
                }
                Test::Blank(false) => {
                    self.push(&format!("({col} IS NOT NULL AND {col} <> '')"));
                }
            }
        }
        self.push(")");
        self
    }
}
