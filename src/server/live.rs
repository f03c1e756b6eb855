//! The live board: which pipelines changed, pushed to open boards as server-sent events.
//!
//! A change is any write to a pipeline's deals or order. On PostgreSQL, triggers on `deals` and
//! `pipelines` call `pg_notify('dealflow_board', '<schema>:<account>:<pipeline>')`, which is
//! delivered when the writing transaction commits, to every app instance listening — whichever
//! instance, API call or automation made the change; an instance keeps the changes of its own
//! schema (a channel is database-wide). On SQLite (one process, one writer) the writer's
//! connection wakes a watcher each time it comes back from a transaction, after the commit;
//! the watcher then compares each watched pipeline's version (`lock_version`, latest deal
//! change, deal count) and reports the ones that moved. While nothing is written it reads
//! nothing. (An in-memory database, whose one pool also serves reads, is compared on a clock.)

use crate::domain::{AccountId, PipelineId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;
use tokio::sync::{broadcast, Notify};

use super::db::{Backend, Db};

/// PostgreSQL channel of board changes.
pub const CHANNEL: &str = "dealflow_board";
/// How often the watcher of an in-memory database looks.
const WATCH_EVERY: Duration = Duration::from_millis(300);
/// The least time between two looks of the SQLite watcher: a burst of writes is one look.
const LOOK_GAP: Duration = Duration::from_millis(100);

/// One pipeline of one account changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BoardChange {
    pub account_id: AccountId,
    pub pipeline_id: PipelineId,
}

impl BoardChange {
    /// Parses a notification payload `<schema>:<account>:<pipeline>`; `None` unless it is of
    /// `schema`.
    pub fn parse(payload: &str, schema: &str) -> Option<BoardChange> {
        let mut parts = payload.rsplitn(3, ':');
        let (p, a) = (parts.next()?, parts.next()?);
        if parts.next()? != schema {
            return None;
        }
        Some(BoardChange {
            account_id: a.trim().parse().ok()?,
            pipeline_id: p.trim().parse().ok()?,
        })
    }
}

/// The instance's feed of board changes, and who watches which account.
#[derive(Clone, Debug)]
pub struct LiveBoard {
    tx: broadcast::Sender<BoardChange>,
    watched: Arc<Mutex<HashMap<AccountId, usize>>>,
    /// Wakes the watcher when a board starts watching.
    wake: Arc<Notify>,
}

/// A subscription; dropping it stops watching the account.
pub struct Watch {
    pub changes: broadcast::Receiver<BoardChange>,
    account_id: AccountId,
    watched: Arc<Mutex<HashMap<AccountId, usize>>>,
}

impl Drop for Watch {
    fn drop(&mut self) {
        if let Ok(mut w) = self.watched.lock() {
            if let Some(n) = w.get_mut(&self.account_id) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    w.remove(&self.account_id);
                }
            }
        }
    }
}

impl LiveBoard {
    /// Starts the feed: LISTEN on PostgreSQL when `listen_url` names it, else the watcher.
    pub fn start(db: Db, listen_url: Option<String>) -> LiveBoard {
        let (tx, _) = broadcast::channel(1024);
        let live = LiveBoard {
            tx,
            watched: Arc::default(),
            wake: Arc::default(),
        };
        match (db.backend, listen_url) {
            (Backend::Postgres, Some(url)) => {
                tokio::spawn(listen(url, live.tx.clone()));
            }
            _ => {
                tokio::spawn(watch(db, live.clone()));
            }
        }
        live
    }

    /// Follows the changes of one account's pipelines.
    pub fn subscribe(&self, account_id: AccountId) -> Watch {
        if let Ok(mut w) = self.watched.lock() {
            *w.entry(account_id).or_default() += 1;
        }
        // The watcher records where the account's pipelines stand now, so that the next
        // write is compared with it.
        self.wake.notify_one();
        Watch {
            changes: self.tx.subscribe(),
            account_id,
            watched: self.watched.clone(),
        }
    }

    fn watched_accounts(&self) -> Vec<AccountId> {
        self.watched
            .lock()
            .map(|w| w.keys().copied().collect())
            .unwrap_or_default()
    }
}

/// LISTENs on [`CHANNEL`], reconnecting after a lost connection.
async fn listen(url: String, tx: broadcast::Sender<BoardChange>) {
    loop {
        match sqlx::postgres::PgListener::connect(&url).await {
            Ok(mut listener) => {
                // The schema this instance's `deals` are in (as its search path finds them),
                // as the triggers name it.
                let schema: Result<(String,), _> = sqlx::query_as(
                    "SELECT n.nspname::text FROM pg_class c \
                     JOIN pg_namespace n ON n.oid = c.relnamespace \
                     WHERE c.oid = 'deals'::regclass",
                )
                .fetch_one(&mut listener)
                .await;
                let schema = match schema {
                    Ok((schema,)) => schema,
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot read the schema to listen for");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                        continue;
                    }
                };
                if let Err(e) = listener.listen(CHANNEL).await {
                    tracing::warn!(error = %e, "LISTEN failed");
                } else {
                    loop {
                        match listener.recv().await {
                            Ok(n) => {
                                if let Some(change) = BoardChange::parse(n.payload(), &schema) {
                                    let _ = tx.send(change);
                                }
                            }
                            Err(e) => {
                                tracing::warn!(error = %e, "board change feed lost; reconnecting");
                                break;
                            }
                        }
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e, "cannot listen for board changes"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// `(pipeline, account, lock version, latest deal change, deal count)`.
type Version = (PipelineId, AccountId, i64, Option<String>, i64);

/// Compares the versions of the watched accounts' pipelines after each write (at most once
/// per [`LOOK_GAP`]), or every [`WATCH_EVERY`] when the database cannot say it was written.
async fn watch(db: Db, live: LiveBoard) {
    let mut written = db.written();
    let mut seen: HashMap<PipelineId, Version> = HashMap::new();
    loop {
        match written.as_mut() {
            Some(count) => {
                tokio::time::sleep(LOOK_GAP).await;
                tokio::select! {
                    moved = count.changed() => if moved.is_err() { written = None },
                    () = live.wake.notified() => {}
                }
            }
            None => tokio::time::sleep(WATCH_EVERY).await,
        }
        let accounts = live.watched_accounts();
        // Versions of accounts nobody watches any more are forgotten: when someone watches
        // again, the first look only records, instead of reporting changes made meanwhile.
        seen.retain(|_, v| accounts.contains(&v.1));
        for account_id in accounts {
            let rows: Vec<Version> = match sqlx::query_as(
                "SELECT p.id, p.account_id, p.lock_version, \
                 (SELECT MAX(d.updated_at) FROM deals d WHERE d.account_id = p.account_id AND d.pipeline_id = p.id), \
                 (SELECT COUNT(*) FROM deals d WHERE d.account_id = p.account_id AND d.pipeline_id = p.id) \
                 FROM pipelines p WHERE p.account_id = $1",
            )
            .bind(account_id)
            .fetch_all(&db.pool)
            .await
            {
                Ok(rows) => rows,
                Err(e) => {
                    tracing::warn!(error = %e, "board watcher query failed");
                    continue;
                }
            };
            for row in rows {
                let changed = seen.get(&row.0).is_some_and(|old| *old != row);
                if changed {
                    let _ = live.tx.send(BoardChange {
                        account_id: row.1,
                        pipeline_id: row.0,
                    });
                }
                seen.insert(row.0, row);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::BoardChange;
    use crate::domain::{AccountId, PipelineId};

    #[test]
    fn payloads_parse() {
        let change = Some(BoardChange {
            account_id: AccountId(7),
            pipeline_id: PipelineId(42),
        });
        assert_eq!(BoardChange::parse("public:7:42", "public"), change);
        assert_eq!(BoardChange::parse("a:b:7:42", "a:b"), change);
        // Another schema's change, or a payload without one, is not this instance's.
        assert_eq!(BoardChange::parse("t_9:7:42", "public"), None);
        assert_eq!(BoardChange::parse("7:42", "public"), None);
        assert_eq!(BoardChange::parse("7", "public"), None);
        assert_eq!(BoardChange::parse("public:x:1", "public"), None);
    }
}
