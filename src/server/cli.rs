//! The `dealflow` command line: serve, migrate, demo data, accounts, API keys, backup and
//! restore.

use crate::domain::{AccountId, Plan, UserId};
use std::net::SocketAddr;

use clap::{Args, Parser, Subcommand};
use leptos::config::{Env, LeptosOptions};

use super::auth::api_keys;
use super::db::Db;
use super::error::{ServiceError, ServiceResult};
use super::services::{accounts, demo};
use super::state::AppState;

/// Dealflow, a self-hosted sales-pipeline CRM.
#[derive(Debug, Parser)]
#[command(name = "dealflow", version, about)]
pub struct Cli {
    /// Database to use: sqlite://FILE or postgres://…
    #[arg(
        long,
        global = true,
        env = "DATABASE_URL",
        default_value = "sqlite://dealflow.db"
    )]
    pub database_url: String,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database and serve the app.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "DEALFLOW_ADDR", default_value = "127.0.0.1:3000")]
        addr: SocketAddr,
    },
    /// Apply pending database migrations.
    Migrate,
    /// Load the demo account (does nothing when it exists).
    Demo {
        /// The language of its names, money and users: en, es or pt-BR.
        #[arg(long, default_value = "en")]
        locale: String,
    },
    /// Manage accounts.
    Account {
        #[command(subcommand)]
        command: AccountCommand,
    },
    /// Manage API keys.
    ApiKey {
        #[command(subcommand)]
        command: ApiKeyCommand,
    },
    /// Write a consistent copy of the SQLite database to FILE (safe while the server runs).
    Backup {
        /// A new file.
        file: std::path::PathBuf,
    },
    /// Replace the SQLite database with the backup FILE (stop the server first).
    Restore { file: std::path::PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Create an account with its owner; prints the account id last.
    Create(AccountCreate),
}

#[derive(Debug, Args)]
pub struct AccountCreate {
    #[arg(long)]
    pub name: String,
    #[arg(long)]
    pub owner_email: String,
    #[arg(long)]
    pub owner_password: String,
    #[arg(long, default_value = "Owner")]
    pub owner_name: String,
    /// free or pro
    #[arg(long, default_value = "free")]
    pub plan: String,
}

#[derive(Debug, Subcommand)]
pub enum ApiKeyCommand {
    /// Create an API key; prints the token last (it is shown only once).
    Create(ApiKeyCreate),
}

#[derive(Debug, Args)]
pub struct ApiKeyCreate {
    #[arg(long)]
    pub account_id: AccountId,
    #[arg(long)]
    pub name: String,
    /// A scope to grant; repeat for several.
    #[arg(long = "scope")]
    pub scopes: Vec<String>,
    /// Only requests whose Origin/Referer is this domain are accepted.
    #[arg(long)]
    pub allowed_domain: Option<String>,
}

/// Leptos options from the environment (set by cargo-leptos), with our defaults.
pub fn leptos_options(addr: SocketAddr) -> LeptosOptions {
    let env = match std::env::var("LEPTOS_ENV").as_deref() {
        Ok("DEV") | Ok("dev") | Ok("development") => Env::DEV,
        _ => Env::PROD,
    };
    LeptosOptions::builder()
        .output_name("dealflow")
        .site_root(std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into()))
        .site_pkg_dir(std::env::var("LEPTOS_SITE_PKG_DIR").unwrap_or_else(|_| "pkg".into()))
        .site_addr(addr)
        .env(env)
        .build()
}

/// Serves the app on `addr` (with the background worker) until Ctrl-C / SIGTERM, finishing
/// in-flight requests and the job in hand.
pub async fn serve(db: Db, addr: SocketAddr, database_url: &str) -> ServiceResult<()> {
    let delivery = super::delivery::Delivery::from_env().map_err(ServiceError::Internal)?;
    let worker = super::worker::spawn(db.clone(), delivery);
    let guard = super::guard::Guard::from_env().map_err(ServiceError::Internal)?;
    // Kept open while serving: `restore` refuses a database in use.
    let _in_use = super::backup::hold_in_use(database_url)?;
    let live = super::live::LiveBoard::start(db.clone(), Some(database_url.to_string()));
    let state = AppState {
        db,
        leptos_options: leptos_options(addr),
        live,
        guard,
    };
    let app = super::http::router(state);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| ServiceError::Internal(format!("cannot listen on {addr}: {e}")))?;
    // With port 0 the system picks one; print the address actually bound.
    let bound = listener.local_addr().unwrap_or(addr);
    println!("Dealflow listening on http://{bound}");
    let app = app.into_make_service_with_connect_info::<SocketAddr>();
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| ServiceError::Internal(e.to_string()));
    // In-flight requests are done; let the job in hand finish too.
    worker.shutdown().await;
    served
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// Runs a parsed command.
pub async fn run(cli: Cli) -> ServiceResult<()> {
    if let Command::Restore { file } = &cli.command {
        super::backup::restore(&cli.database_url, file).await?;
        println!("restored {} from {}", cli.database_url, file.display());
        return Ok(());
    }
    let db = Db::connect(&cli.database_url).await?;
    db.migrate().await?;
    match cli.command {
        Command::Serve { addr } => serve(db, addr, &cli.database_url).await,
        Command::Migrate => {
            println!("migrations applied");
            Ok(())
        }
        Command::Backup { file } => {
            super::backup::backup(&db, &file).await?;
            println!("backup written to {}", file.display());
            Ok(())
        }
        Command::Restore { .. } => Ok(()),
        Command::Demo { locale } => {
            let locale = crate::i18n::Locale::parse(&locale).ok_or_else(|| {
                ServiceError::invalid("locale", format!("\"{locale}\" is not en, es or pt-BR"))
            })?;
            let outcome = demo::load_demo_in(&db, locale).await?;
            if outcome.created {
                println!("demo account created (id {})", outcome.account_id);
            } else {
                println!("demo account already present (id {})", outcome.account_id);
            }
            println!(
                "log in as {} (or admin@demo.test, sam@demo.test, rita@demo.test, leo@demo.test) with password {}",
                demo::DEMO_OWNER_EMAIL,
                demo::DEMO_PASSWORD
            );
            Ok(())
        }
        Command::Account {
            command: AccountCommand::Create(a),
        } => {
            let plan: Plan = a
                .plan
                .parse()
                .map_err(|m: String| ServiceError::invalid("plan", m))?;
            let id = accounts::create_account(
                &db,
                &a.name,
                plan,
                &a.owner_email,
                &a.owner_name,
                &a.owner_password,
            )
            .await?;
            println!("account created");
            println!("{id}");
            Ok(())
        }
        Command::ApiKey {
            command: ApiKeyCommand::Create(k),
        } => {
            let owner: Option<(UserId,)> = sqlx::query_as(
                "SELECT id FROM users WHERE account_id = $1 AND role = 'owner' ORDER BY id LIMIT 1",
            )
            .bind(k.account_id)
            .fetch_optional(&db.pool)
            .await?;
            let key = api_keys::create_key(
                &db,
                k.account_id,
                owner.map(|(id,)| id),
                &k.name,
                &k.scopes,
                k.allowed_domain.as_deref(),
            )
            .await?;
            println!(
                "API key {} created; store the token now, it is not shown again:",
                key.id
            );
            println!("{}", key.token);
            Ok(())
        }
    }
}
