//! `dealflow backup` / `dealflow restore` for SQLite. A backup is a consistent copy taken with
//! `VACUUM INTO`, safe while the server runs; a restore checks the file (SQLite integrity and
//! Dealflow's migrations) and puts it in place of the database, which must not be in use.
//! PostgreSQL has its own tools (`pg_dump` / `pg_restore`); the commands say so.

use std::path::{Path, PathBuf};

use sqlx::Connection;

use super::db::{Backend, Db};
use super::error::{ServiceError, ServiceResult};

const POSTGRES_HINT: &str =
    "for PostgreSQL use its own tools: pg_dump --format=custom -f dealflow.dump DATABASE_URL, \
     and pg_restore --clean --if-exists -d DATABASE_URL dealflow.dump with the app stopped";

/// The file behind a `sqlite://` URL.
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty()).then(|| PathBuf::from(path))
}

/// Writes a consistent copy of the database to `target` (which must not exist).
pub async fn backup(db: &Db, target: &Path) -> ServiceResult<()> {
    if db.backend == Backend::Postgres {
        return Err(ServiceError::invalid("database_url", POSTGRES_HINT));
    }
    if target.exists() {
        return Err(ServiceError::invalid(
            "file",
            format!("{} exists; choose a new file", target.display()),
        ));
    }
    let target = target
        .to_str()
        .ok_or_else(|| ServiceError::invalid("file", "the path is not valid UTF-8"))?;
    sqlx::query(&format!("VACUUM INTO '{}'", target.replace('\'', "''")))
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Marks the SQLite database at `url` as in use by this process until the answer is dropped:
/// a shared lock on the file, which every running server holds and [`restore`] needs to be
/// free. The operating system lets go of it when the process ends, however it ends.
pub fn hold_in_use(url: &str) -> ServiceResult<Option<std::fs::File>> {
    let Some(path) = sqlite_path(url).filter(|p| p.is_file()) else {
        return Ok(None);
    };
    let file = std::fs::File::open(&path)
        .map_err(|e| ServiceError::Internal(format!("cannot open {}: {e}", path.display())))?;
    file.lock_shared()
        .map_err(|e| ServiceError::Internal(format!("cannot lock {}: {e}", path.display())))?;
    Ok(Some(file))
}

/// Replaces the SQLite database at `url` with the backup `source`, after checking it. Refused
/// while a server uses the database (see [`hold_in_use`]): its acknowledged writes would be
/// lost.
pub async fn restore(url: &str, source: &Path) -> ServiceResult<()> {
    let Some(target) = sqlite_path(url) else {
        return Err(ServiceError::invalid("database_url", POSTGRES_HINT));
    };
    // Held until the new file is in place, so no server starts on the old one meanwhile.
    let _unused = if target.exists() {
        let file = std::fs::File::open(&target).map_err(|e| {
            ServiceError::Internal(format!("cannot open {}: {e}", target.display()))
        })?;
        match file.try_lock() {
            Ok(()) => Some(file),
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(ServiceError::Conflict(format!(
                    "{} is in use by a running Dealflow server; stop it first (Ctrl-C where it \
                     runs, `systemctl stop dealflow`, or `kill` its process; every instance), \
                     then restore again",
                    target.display()
                )))
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(ServiceError::Internal(format!(
                    "cannot lock {}: {e}",
                    target.display()
                )))
            }
        }
    } else {
        None
    };
    check_backup(source).await?;
    let tmp = target.with_extension("restoring");
    std::fs::copy(source, &tmp)
        .map_err(|e| ServiceError::Internal(format!("cannot copy {}: {e}", source.display())))?;
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", target.display()));
        if side.exists() {
            std::fs::remove_file(&side).map_err(|e| {
                ServiceError::Internal(format!("cannot remove {}: {e}", side.display()))
            })?;
        }
    }
    std::fs::rename(&tmp, &target)
        .map_err(|e| ServiceError::Internal(format!("cannot replace {}: {e}", target.display())))?;
    Ok(())
}

/// Refuses a file that is not a sound SQLite database made by Dealflow.
async fn check_backup(source: &Path) -> ServiceResult<()> {
    let bad = |why: String| ServiceError::invalid("file", why);
    if !source.is_file() {
        return Err(bad(format!("{} is not a file", source.display())));
    }
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(source)
        .read_only(true);
    let mut conn = sqlx::SqliteConnection::connect_with(&options)
        .await
        .map_err(|e| {
            bad(format!(
                "{} is not a SQLite database: {e}",
                source.display()
            ))
        })?;
    let (integrity,): (String,) = sqlx::query_as("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .map_err(|e| {
            bad(format!(
                "{} is not a SQLite database: {e}",
                source.display()
            ))
        })?;
    if integrity != "ok" {
        return Err(bad(format!("{} is damaged: {integrity}", source.display())));
    }
    let migrated: Result<(i64,), _> = sqlx::query_as("SELECT COUNT(*) FROM _sqlx_migrations")
        .fetch_one(&mut conn)
        .await;
    match migrated {
        Ok((n,)) if n > 0 => Ok(()),
        _ => Err(bad(format!(
            "{} is not a Dealflow database",
            source.display()
        ))),
    }
}
