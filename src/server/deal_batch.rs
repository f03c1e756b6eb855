//! `POST /deals/bulk`: the deal table's form for the deals picked on it (`ids`, repeated),
//! with `action` (`assign` + `owner`, `move` + `stage`, `tag` + `tag`, `lose` + `reason`,
//! `delete` + `confirm=yes`) and `back` (the table's URL). A plain form post answered with a
//! redirect back to the table, which says how many deals changed (`bulk_done`) or why nothing
//! did (`bulk_error`, in the reader's language), so it works without script.

use std::collections::HashMap;

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;
use tower_sessions::Session;

use super::services::deals::bulk::{self, BulkAction};
use super::state::AppState;
use super::ServiceError;
use crate::app::error::AppError;
use crate::domain::{url_encode, DealId, Problem, StageId, UserId};

/// The route.
pub fn routes() -> Router<AppState> {
    Router::new().route("/deals/bulk", post(apply))
}

/// The action a form asks for, checked.
fn action(form: &HashMap<String, String>) -> Result<BulkAction, ServiceError> {
    let get = |k: &str| form.get(k).map(|v| v.trim()).unwrap_or_default();
    let id = |field: &'static str| -> Result<i64, ServiceError> {
        get(field)
            .parse()
            .map_err(|_| ServiceError::invalid(field, Problem::Required))
    };
    Ok(match get("action") {
        "assign" => BulkAction::Assign(UserId(id("owner")?)),
        "move" => BulkAction::MoveTo(StageId(id("stage")?)),
        "tag" => BulkAction::AddTag(id("tag")?),
        "lose" => BulkAction::MarkLost(get("reason").to_string()),
        "delete" if get("confirm") == "yes" => BulkAction::Delete,
        "delete" => {
            return Err(ServiceError::invalid(
                "confirm",
                crate::i18n::tr("table-bulk-confirm-needed"),
            ))
        }
        _ => {
            return Err(ServiceError::invalid(
                "action",
                Problem::one_of(&["assign", "move", "tag", "lose", "delete"]),
            ))
        }
    })
}

async fn apply(State(state): State<AppState>, session: Session, body: String) -> Response {
    let user = match super::auth::current_user(&state.db, &session).await {
        Ok(u) => u,
        Err(_) => return Redirect::to("/login?next=/deals").into_response(),
    };
    let pairs: Vec<(String, String)> = form_urlencoded::parse(body.as_bytes())
        .into_owned()
        .collect();
    let mut ids = Vec::new();
    let mut bad_id = false;
    for (k, v) in &pairs {
        if k == "ids" {
            match v.trim().parse() {
                Ok(id) => ids.push(DealId(id)),
                Err(_) => bad_id = true,
            }
        }
    }
    let form: HashMap<String, String> = pairs.into_iter().filter(|(k, _)| k != "ids").collect();
    // Back to the table the form was on (never elsewhere).
    let back = form
        .get("back")
        .filter(|b| b.starts_with("/deals") && !b.starts_with("//"))
        .cloned()
        .unwrap_or_else(|| "/deals".to_string());
    let result = if bad_id {
        Err(ServiceError::invalid(
            "ids",
            Problem::NotANumber {
                value: "ids".into(),
            },
        ))
    } else {
        match action(&form) {
            Ok(action) => bulk::apply(&state.db, (&user).into(), &ids, &action).await,
            Err(e) => Err(e),
        }
    };
    let sep = if back.contains('?') { '&' } else { '?' };
    let to = match result {
        Ok(n) => format!("{back}{sep}bulk_done={n}"),
        Err(e) => format!(
            "{back}{sep}bulk_error={}",
            url_encode(&AppError::describe(&e).for_people())
        ),
    };
    Redirect::to(&to).into_response()
}
