//! CSV downloads for people signed in: `/export/deals.csv` (a board with its filters),
//! `/export/table.csv` (the deal table's filters, every pipeline),
//! `/export/contacts.csv` and `/export/organizations.csv` (`q`, the lists' search) and
//! `/export/activities.csv` (`user`, `kind`, `from`, `to`, the activities list's filters) and
//! `/export/audit.csv` (`action`, `user`, `from`, `to`, the audit log's, owners and admins) and
//! `/export/reports/{report}.csv` (`pipeline`, `owner`, `tag`, `from`, `to`, the reports
//! page's: the table under each chart). Each
//! is exactly what its page shows; a bad filter is answered before any byte of the file, in
//! the reader's language (see `services::export`).

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::{Query, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures_util::StreamExt;
use tower_sessions::Session;

use super::db::Db;
use super::error::ServiceResult;
use super::services::export::activities::ActivitySheet;
use super::services::export::deals::{DealSheet, TableSheet};
use super::services::export::people::{ContactSheet, OrganizationSheet};
use super::services::export::{csv, Sheet};
use super::services::{activities, Actor};
use super::state::AppState;
use super::ServiceError;
use crate::app::error::AppError;
use crate::domain::{BoardFilter, CurrentUser, PipelineId};

/// The routes of the downloads.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/export/deals.csv", get(deals))
        .route("/export/table.csv", get(table))
        .route("/export/contacts.csv", get(contacts))
        .route("/export/organizations.csv", get(organizations))
        .route("/export/activities.csv", get(activities))
        .route("/export/audit.csv", get(audit))
        .route("/export/reports/{file}", get(report))
}

/// `sheet` as a CSV attachment named `filename`.
pub fn csv_download(filename: &str, sheet: impl Sheet) -> Response {
    let body = Body::from_stream(
        csv(sheet).map(|chunk| chunk.map_err(|e| std::io::Error::other(e.to_string()))),
    );
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// A refusal as plain text in the reader's language.
fn refused(e: &ServiceError) -> Response {
    (
        e.status(),
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        AppError::describe(e).for_people(),
    )
        .into_response()
}

type Params = Query<HashMap<String, String>>;

/// The signed-in user, or the refusal to answer with.
async fn user(state: &AppState, session: &Session) -> Result<CurrentUser, Response> {
    super::auth::current_user(&state.db, session)
        .await
        .map_err(|e| refused(&e))
}

fn param(query: &HashMap<String, String>, key: &str) -> String {
    query.get(key).cloned().unwrap_or_default()
}

async fn deals(State(state): State<AppState>, session: Session, Query(query): Params) -> Response {
    let user = match user(&state, &session).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let pipeline = match query
        .get("pipeline")
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
    {
        None => None,
        Some(p) => match p.parse() {
            Ok(id) => Some(PipelineId(id)),
            Err(_) => return refused(&ServiceError::NotFound("pipeline")),
        },
    };
    let filter = BoardFilter::from_query(|k| query.get(k).cloned());
    match DealSheet::prepare(&state.db, (&user).into(), pipeline, &filter).await {
        Ok(sheet) => csv_download("deals.csv", sheet),
        Err(e) => refused(&e),
    }
}

async fn table(
    State(state): State<AppState>,
    session: Session,
    RawQuery(query): RawQuery,
) -> Response {
    let user = match user(&state, &session).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let query = super::services::deals::table::parse_query(&query.unwrap_or_default());
    match TableSheet::prepare(&state.db, (&user).into(), &query) {
        Ok(sheet) => csv_download("deals.csv", sheet),
        Err(e) => refused(&e),
    }
}

async fn contacts(state: State<AppState>, session: Session, query: Params) -> Response {
    searched(
        state,
        session,
        query,
        "contacts.csv",
        |db, actor, search| ContactSheet::prepare(&db, actor, search),
    )
    .await
}

async fn organizations(state: State<AppState>, session: Session, query: Params) -> Response {
    searched(
        state,
        session,
        query,
        "organizations.csv",
        |db, actor, search| OrganizationSheet::prepare(&db, actor, search),
    )
    .await
}

/// The download of a list filtered by its search (`q`) alone.
async fn searched<S: Sheet>(
    State(state): State<AppState>,
    session: Session,
    Query(query): Params,
    filename: &str,
    sheet: impl FnOnce(Db, Actor, String) -> ServiceResult<S>,
) -> Response {
    let user = match user(&state, &session).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    match sheet(state.db.clone(), Actor::from(&user), param(&query, "q")) {
        Ok(sheet) => csv_download(filename, sheet),
        Err(e) => refused(&e),
    }
}

async fn activities(
    State(state): State<AppState>,
    session: Session,
    Query(query): Params,
) -> Response {
    let user = match user(&state, &session).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let sheet = activities::page_filter(
        user.id,
        &param(&query, "user"),
        param(&query, "kind"),
        param(&query, "from"),
        param(&query, "to"),
    )
    .and_then(|filter| ActivitySheet::prepare(&state.db, (&user).into(), filter));
    match sheet {
        Ok(sheet) => csv_download("activities.csv", sheet),
        Err(e) => refused(&e),
    }
}

async fn audit(State(state): State<AppState>, session: Session, Query(query): Params) -> Response {
    use super::services::audit::AuditFilter;
    use super::services::export::audit::AuditSheet;
    let user = match user(&state, &session).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let sheet = AuditFilter::parse(
        super::time_zone::of(&user),
        &param(&query, "action"),
        &param(&query, "user"),
        &param(&query, "from"),
        &param(&query, "to"),
    )
    .and_then(|filter| AuditSheet::prepare(&state.db, &user, filter));
    match sheet {
        Ok(sheet) => csv_download("audit.csv", sheet),
        Err(e) => refused(&e),
    }
}

/// `/export/reports/{forecast|funnel|velocity|won-lost|activity}.csv`.
async fn report(
    State(state): State<AppState>,
    session: Session,
    axum::extract::Path(file): axum::extract::Path<String>,
    Query(query): Params,
) -> Response {
    use super::services::export::reports::report_csv;
    use super::services::reports;
    use crate::domain::report_table::ReportKind;
    let Some(kind) = file.strip_suffix(".csv").and_then(ReportKind::parse) else {
        return refused(&ServiceError::NotFound("report"));
    };
    let user = match user(&state, &session).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let filter = reports::from_form(
        super::time_zone::of(&user),
        &param(&query, "pipeline"),
        &param(&query, "owner"),
        &param(&query, "tag"),
        &param(&query, "from"),
        &param(&query, "to"),
    );
    let table = match filter {
        Ok(filter) => reports::table(&state.db, (&user).into(), kind, &filter).await,
        Err(e) => Err(e),
    };
    match table {
        Ok(table) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{}.csv\"", kind.slug()),
                ),
            ],
            report_csv(&table),
        )
            .into_response(),
        Err(e) => refused(&e),
    }
}
