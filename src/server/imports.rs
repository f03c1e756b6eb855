//! The import page's requests that are not pages: `POST /import/upload` (a multipart form with
//! the file, streamed into the database a chunk at a time), `POST /import/{id}/start` (the
//! mapping form: `column_<n>` per column, `stage`, `duplicates`, `dates`, `decimal_comma`,
//! `mode` = `dry_run` or `import`, and `save_as` to keep the mapping under a name),
//! `POST /import/{id}/delete`, `GET /import/{id}/refused.csv` (the refused rows with the
//! reason per row) and `GET /import/{id}/progress` (server-sent `progress` events until the
//! run ends). Forms are answered with a redirect, and a refusal comes back to the page as
//! `error`, in the reader's language, so all of it works without script.

use std::collections::HashMap;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use futures_util::stream::{self, StreamExt};
use tower_sessions::Session;

use super::services::export::line;
use super::services::import::store::{self, Upload, MAX_FILE_BYTES};
use super::services::Actor;
use super::state::AppState;
use super::ServiceError;
use crate::domain::import::{DateFormat, Duplicates, Field, ImportSettings, Mode, Progress};
use crate::domain::problem::field_label;
use crate::domain::{url_encode, CurrentUser, Problem, StageId};
use crate::i18n::{self, Locale};

/// The upload, which carries a file larger than other requests may be: it is routed apart
/// from the global body limit and the whole-body NUL check (a file is read row by row, and a
/// NUL in a row refuses that row).
pub fn upload_routes() -> Router<AppState> {
    Router::new()
        .route("/import/upload", post(upload))
        .layer(DefaultBodyLimit::max(MAX_FILE_BYTES + 64 * 1024))
}

/// The other routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/import/{id}/start", post(start))
        .route("/import/{id}/delete", post(delete))
        .route("/import/{id}/refused.csv", get(refused_csv))
        .route("/import/{id}/progress", get(progress))
}

/// A refusal as people read it: the field's name in their language, then why.
fn said(e: &ServiceError, locale: Locale) -> String {
    match e {
        ServiceError::Validation { field, message } => {
            format!(
                "{}: {}",
                field_label(locale, field),
                message.in_locale(locale)
            )
        }
        e => e.message_in(locale),
    }
}

fn back_with_error(path: &str, e: &ServiceError, locale: Locale) -> Response {
    if e.is_server_fault() {
        tracing::error!(error = %e, "import request failed");
    }
    Redirect::to(&format!("{path}?error={}", url_encode(&said(e, locale)))).into_response()
}

async fn user(state: &AppState, session: &Session) -> Result<CurrentUser, Response> {
    super::auth::current_user(&state.db, session)
        .await
        .map_err(|_| Redirect::to("/login?next=/import").into_response())
}

async fn upload(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    mut form: Multipart,
) -> Response {
    let locale = i18n::from_headers(&headers);
    let user = match user(&state, &session).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let result = async {
        while let Some(mut field) = form
            .next_field()
            .await
            .map_err(|e| ServiceError::invalid("file", Problem::Text(e.body_text())))?
        {
            if field.name() != Some("file") {
                continue;
            }
            let name = field.file_name().unwrap_or("import.csv").to_string();
            let mut upload = Upload::begin(&state.db, &user, &name).await?;
            loop {
                let chunk = match field.chunk().await {
                    Ok(Some(c)) => c,
                    Ok(None) => break,
                    Err(e) => {
                        upload.forget().await;
                        return Err(ServiceError::invalid("file", Problem::Text(e.body_text())));
                    }
                };
                if let Err(e) = upload.push(&chunk).await {
                    upload.forget().await;
                    return Err(e);
                }
            }
            return upload.finish().await;
        }
        Err(ServiceError::invalid("file", Problem::Required))
    }
    .await;
    match result {
        Ok(id) => Redirect::to(&format!("/import/{id}")).into_response(),
        Err(e) => back_with_error("/import", &e, locale),
    }
}

/// The settings a mapping form sends, for a file of `columns` columns.
fn settings_of(
    form: &HashMap<String, String>,
    columns: usize,
) -> Result<ImportSettings, ServiceError> {
    let get = |k: &str| form.get(k).map(|v| v.trim()).unwrap_or_default();
    let mapping = (0..columns)
        .map(|i| {
            let key = format!("column_{i}");
            match get(&key) {
                "" => Ok(Field::Ignore),
                v => Field::parse(v).ok_or_else(|| {
                    ServiceError::invalid(
                        key.clone(),
                        Problem::Text(format!("\"{v}\" is no field")),
                    )
                }),
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    let stage_id = match get("stage") {
        "" => None,
        v => Some(StageId(v.parse().map_err(|_| {
            ServiceError::invalid("stage_id", Problem::Required)
        })?)),
    };
    Ok(ImportSettings {
        mapping,
        stage_id,
        duplicates: Duplicates::parse(get("duplicates")).ok_or_else(|| {
            ServiceError::invalid("duplicates", Problem::one_of(&["skip", "update", "create"]))
        })?,
        dates: DateFormat::parse_key(get("dates")).ok_or_else(|| {
            ServiceError::invalid(
                "dates",
                Problem::one_of(&["iso", "day_month_year", "month_day_year"]),
            )
        })?,
        decimal_comma: matches!(get("decimal_comma"), "on" | "1" | "true" | "yes"),
    })
}

async fn start(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path(id): Path<i64>,
    body: String,
) -> Response {
    let locale = i18n::from_headers(&headers);
    let page = format!("/import/{id}");
    let user = match user(&state, &session).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let form: HashMap<String, String> = form_urlencoded::parse(body.as_bytes())
        .into_owned()
        .collect();
    let result = async {
        let import = store::get(&state.db, &user, id).await?;
        let settings = settings_of(&form, import.headers.len())?;
        let save_as = form.get("save_as").map(|s| s.trim()).unwrap_or_default();
        if !save_as.is_empty() {
            store::save_mapping(&state.db, &user, save_as, &import.headers, &settings).await?;
        }
        let mode = match form.get("mode").map(String::as_str) {
            Some("import") => Mode::Import,
            // Only the mapping is saved.
            Some("save") => return Ok(()),
            _ => Mode::DryRun,
        };
        store::start(&state.db, &user, id, mode, &settings, locale).await
    }
    .await;
    match result {
        Ok(()) => Redirect::to(&page).into_response(),
        Err(e @ ServiceError::NotFound(_)) => back_with_error("/import", &e, locale),
        Err(e) => back_with_error(&page, &e, locale),
    }
}

async fn delete(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path(id): Path<i64>,
    body: String,
) -> Response {
    let locale = i18n::from_headers(&headers);
    let user = match user(&state, &session).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let confirmed =
        form_urlencoded::parse(body.as_bytes()).any(|(k, v)| k == "confirm" && v == "yes");
    if !confirmed {
        let e = ServiceError::invalid("confirm", Problem::Required);
        return back_with_error(&format!("/import/{id}"), &e, locale);
    }
    match store::delete(&state.db, &user, id).await {
        Ok(()) => Redirect::to("/import").into_response(),
        Err(e) => back_with_error(&format!("/import/{id}"), &e, locale),
    }
}

/// Refused rows per read.
const REFUSED_PAGE: i64 = 500;

async fn refused_csv(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let locale = i18n::from_headers(&headers);
    let user = match super::auth::current_user(&state.db, &session).await {
        Ok(u) => u,
        Err(e) => return (e.status(), said(&e, locale)).into_response(),
    };
    let import = match store::get(&state.db, &user, id).await {
        Ok(i) => i,
        Err(e) => return (e.status(), said(&e, locale)).into_response(),
    };
    let mut columns = vec![
        i18n::t(locale, "import-col-line"),
        i18n::t(locale, "import-col-field"),
        i18n::t(locale, "import-col-reason"),
    ];
    columns.extend(import.headers.iter().cloned());
    let header = format!("\u{FEFF}{}", line(columns));
    let db = state.db.clone();
    let actor: Actor = (&user).into();
    let rows = stream::unfold(Some(0i64), move |after| {
        let db = db.clone();
        async move {
            let after = after?;
            match store::refused_after(&db, actor, id, after, REFUSED_PAGE).await {
                Ok(rows) if !rows.is_empty() => {
                    let next = (rows.len() as i64 == REFUSED_PAGE)
                        .then(|| rows.last().map(|r| r.line))
                        .flatten();
                    let chunk: String = rows
                        .into_iter()
                        .map(|r| {
                            let field = r
                                .field
                                .map(|f| i18n::t(locale, &format!("import-field-{}", f.key())))
                                .unwrap_or_default();
                            line(
                                [r.line.to_string(), field, r.reason]
                                    .into_iter()
                                    .chain(r.cells),
                            )
                        })
                        .collect();
                    Some((Ok::<_, std::io::Error>(chunk), next))
                }
                Ok(_) => None,
                Err(e) => Some((Err(std::io::Error::other(e.to_string())), None)),
            }
        }
    });
    let body =
        // A body (compressed, say) may ask again after the end.
        Body::from_stream(
            stream::once(async move { Ok::<_, std::io::Error>(header) })
                .chain(rows)
                .fuse(),
        );
    let name = import
        .file_name
        .trim_end_matches(".csv")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect::<String>();
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"refused-{name}.csv\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// How often the progress is read while a run goes on.
const PROGRESS_EVERY: Duration = Duration::from_millis(500);

async fn progress(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<i64>,
) -> Response {
    use axum::response::sse::{Event, KeepAlive, Sse};
    let user = match super::auth::current_user(&state.db, &session).await {
        Ok(u) => u,
        Err(e) => return e.status().into_response(),
    };
    if let Err(e) = store::progress(&state.db, &user, id).await {
        return e.status().into_response();
    }
    let db = state.db.clone();
    // Sends the progress at once, then each time it changes; ends once the run is over.
    let events = stream::unfold((None::<Progress>, false), move |(last, ended)| {
        let (db, user) = (db.clone(), user.clone());
        async move {
            if ended {
                return None;
            }
            loop {
                if last.is_some() {
                    tokio::time::sleep(PROGRESS_EVERY).await;
                }
                let now = store::progress(&db, &user, id).await.ok()?;
                if last.as_ref() != Some(&now) {
                    let event = Event::default()
                        .event("progress")
                        .data(serde_json::to_string(&now).ok()?);
                    let ended = !now.status.is_active();
                    return Some((Ok::<_, std::convert::Infallible>(event), (Some(now), ended)));
                }
            }
        }
    });
    Sse::new(events.fuse())
        .keep_alive(KeepAlive::default())
        .into_response()
}
