//! `/v1/reports/*` — the reports of the reports page, for keys with `opportunities:read`: a
//! key made for a user reports on that user's deals (the whole team's when they are an owner
//! or admin); a key made for no user on the team's.

use axum::extract::{Query, State};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{Key, OpportunitiesRead};
use super::doc::{AuthErrors, NotFound, SALES};
use super::error::ApiError;
use super::exports_v1::id_of;
use crate::domain::money::cents_to_f64;
use crate::domain::public_id::public_id;
use crate::domain::report::Amounts;
use crate::domain::{PipelineId, StageId, UserId};
use crate::server::services::pipelines;
use crate::server::services::reports::{
    self, activity, forecast, funnel, velocity, won_lost, ReportFilter,
};
use crate::server::AppState;

/// The routes of this surface.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(forecast_report))
        .routes(routes!(funnel_report))
        .routes(routes!(velocity_report))
        .routes(routes!(won_lost_report))
        .routes(routes!(activity_report))
}

/// The filters every report takes; each left out or empty is no filter.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// A pipeline (`pipe_…`); the primary one when left out.
    pipeline: Option<String>,
    /// The responsible user (`user_…`); only owners' and admins' keys (and keys made for no
    /// user) report on others.
    owner: Option<String>,
    /// Deals with this tag (`tag_…`).
    tag: Option<String>,
    /// First day of the period (`YYYY-MM-DD`, UTC); 89 days before `to` by default.
    from: Option<String>,
    /// Last day of the period (`YYYY-MM-DD`, UTC), included; today by default.
    to: Option<String>,
}

/// One stage of the funnel.
#[derive(Debug, Serialize, ToSchema)]
pub struct FunnelStageBody {
    #[schema(example = "stage_3f2a9c1e0b7d4e5f8a6b2c1d0e9f8a7b")]
    pub stage_id: String,
    #[schema(example = "Qualified")]
    pub name: String,
    /// Deals that entered the stage during the period (created in it or moved into it).
    #[schema(example = 40)]
    pub entered: i64,
    /// Of those, the ones that went on afterwards: to a later stage, or won.
    #[schema(example = 22)]
    pub went_on: i64,
    /// `went_on` as a whole percent of `entered`; `null` when none entered.
    #[schema(example = 55)]
    pub percent_on: Option<i64>,
}

/// A pipeline's conversion funnel over a period.
#[derive(Debug, Serialize, ToSchema)]
pub struct FunnelBody {
    #[schema(example = "pipe_9b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e")]
    pub pipeline_id: String,
    #[schema(example = "Sales")]
    pub pipeline: String,
    #[schema(example = "2026-09-07")]
    pub from: String,
    #[schema(example = "2026-12-05")]
    pub to: String,
    /// In the pipeline's order.
    pub stages: Vec<FunnelStageBody>,
}

/// The public ids of a report's pipeline and its stages.
struct PublicIds {
    pipeline: String,
    stages: Vec<(StageId, String)>,
}

impl PublicIds {
    async fn of(
        state: &AppState,
        actor: crate::server::services::Actor,
        pipeline_id: PipelineId,
    ) -> Result<Self, ApiError> {
        let stages = pipelines::stages_of(&state.db.pool, actor.account_id, pipeline_id).await?;
        let (uuid,): (String,) =
            sqlx::query_as("SELECT uuid FROM pipelines WHERE id = $1 AND account_id = $2")
                .bind(pipeline_id)
                .bind(actor.account_id)
                .fetch_one(&state.db.pool)
                .await
                .map_err(crate::server::ServiceError::from)?;
        Ok(PublicIds {
            pipeline: public_id("pipe", &uuid),
            stages: stages
                .into_iter()
                .map(|s| (s.id, public_id("stage", &s.uuid)))
                .collect(),
        })
    }

    fn stage(&self, id: StageId) -> String {
        self.stages
            .iter()
            .find(|(s, _)| *s == id)
            .map(|(_, p)| p.clone())
            .unwrap_or_default()
    }
}

/// The filter of the query, its ids resolved within the key's account.
async fn filter_of(
    state: &AppState,
    key: &Key<OpportunitiesRead>,
    q: &ReportParams,
) -> Result<ReportFilter, ApiError> {
    let actor = key.actor();
    let pipeline = id_of(
        state,
        actor,
        ("pipelines", "pipe", "pipeline"),
        q.pipeline.as_deref(),
    )
    .await?
    .map(PipelineId);
    let owner = id_of(state, actor, ("users", "user", "owner"), q.owner.as_deref())
        .await?
        .map(UserId);
    let tag = id_of(state, actor, ("tags", "tag", "tag"), q.tag.as_deref()).await?;
    let today = chrono::Utc::now().date_naive();
    let (from, to) = reports::period(
        today,
        q.from.as_deref().unwrap_or_default(),
        q.to.as_deref().unwrap_or_default(),
    )?;
    Ok(ReportFilter {
        pipeline,
        owner,
        tag,
        from,
        to,
        zone: chrono_tz::Tz::UTC,
    })
}

/// The conversion funnel: per stage, the deals that entered it in the period and how many
/// of them went on.
#[utoipa::path(get, path = "/v1/reports/funnel", tag = SALES, operation_id = "reportFunnel",
    params(ReportParams),
    responses(
        (status = 200, description = "The funnel", body = FunnelBody),
        (status = 422, description = "A filter cannot be read; `field` names it (`VALIDATION_ERROR`)", body = super::error::ErrorBody),
        NotFound, AuthErrors,
    ))]
pub async fn funnel_report(
    State(state): State<AppState>,
    key: Key<OpportunitiesRead>,
    Query(q): Query<ReportParams>,
) -> Result<Json<FunnelBody>, ApiError> {
    let filter = filter_of(&state, &key, &q).await?;
    let actor = key.actor();
    let report = funnel::funnel(&state.db, actor, &filter).await?;
    let ids = PublicIds::of(&state, actor, report.pipeline_id).await?;
    Ok(Json(FunnelBody {
        pipeline_id: ids.pipeline.clone(),
        pipeline: report.pipeline,
        from: report.from,
        to: report.to,
        stages: report
            .stages
            .into_iter()
            .map(|s| FunnelStageBody {
                stage_id: ids.stage(s.stage_id),
                percent_on: s.percent_on(),
                name: s.name,
                entered: s.entered,
                went_on: s.went_on,
            })
            .collect(),
    }))
}

/// Time spent in one stage.
#[derive(Debug, Serialize, ToSchema)]
pub struct VelocityStageBody {
    #[schema(example = "stage_3f2a9c1e0b7d4e5f8a6b2c1d0e9f8a7b")]
    pub stage_id: String,
    #[schema(example = "Proposal")]
    pub name: String,
    /// Stays in the stage that ended during the period (the deal moved on, was won or lost).
    #[schema(example = 31)]
    pub stays: i64,
    /// Median days of those stays (to a tenth); `null` without any.
    #[schema(example = 6.5)]
    pub median_days: Option<f64>,
    /// 90th percentile of those stays, by nearest rank.
    #[schema(example = 21.0)]
    pub p90_days: Option<f64>,
    /// Open deals in the stage now.
    #[schema(example = 12)]
    pub open_deals: i64,
    /// Median days they have been in it.
    #[schema(example = 9.2)]
    pub open_median_days: Option<f64>,
    /// The longest any of them has been in it.
    #[schema(example = 48.7)]
    pub open_longest_days: Option<f64>,
}

/// A pipeline's velocity over a period.
#[derive(Debug, Serialize, ToSchema)]
pub struct VelocityBody {
    #[schema(example = "pipe_9b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e")]
    pub pipeline_id: String,
    #[schema(example = "Sales")]
    pub pipeline: String,
    #[schema(example = "2026-09-07")]
    pub from: String,
    #[schema(example = "2026-12-05")]
    pub to: String,
    /// In the pipeline's order.
    pub stages: Vec<VelocityStageBody>,
}

/// Days spent in each stage: the median and 90th percentile of the stays that ended in the
/// period, and the open deals in it now.
#[utoipa::path(get, path = "/v1/reports/velocity", tag = SALES, operation_id = "reportVelocity",
    params(ReportParams),
    responses(
        (status = 200, description = "The velocity", body = VelocityBody),
        (status = 422, description = "A filter cannot be read; `field` names it (`VALIDATION_ERROR`)", body = super::error::ErrorBody),
        NotFound, AuthErrors,
    ))]
pub async fn velocity_report(
    State(state): State<AppState>,
    key: Key<OpportunitiesRead>,
    Query(q): Query<ReportParams>,
) -> Result<Json<VelocityBody>, ApiError> {
    let filter = filter_of(&state, &key, &q).await?;
    let actor = key.actor();
    let report = velocity::velocity(&state.db, actor, &filter).await?;
    let ids = PublicIds::of(&state, actor, report.pipeline_id).await?;
    Ok(Json(VelocityBody {
        pipeline_id: ids.pipeline.clone(),
        pipeline: report.pipeline,
        from: report.from,
        to: report.to,
        stages: report
            .stages
            .into_iter()
            .map(|s| VelocityStageBody {
                stage_id: ids.stage(s.stage_id),
                name: s.name,
                stays: s.stays,
                median_days: s.median_days,
                p90_days: s.p90_days,
                open_deals: s.open_deals,
                open_median_days: s.open_median_days,
                open_longest_days: s.open_longest_days,
            })
            .collect(),
    }))
}

/// Won and lost deals in one month.
#[derive(Debug, Serialize, ToSchema)]
pub struct MonthCount {
    #[schema(example = "2026-10")]
    pub month: String,
    pub won: i64,
    pub lost: i64,
}

/// Lost deals in one stage.
#[derive(Debug, Serialize, ToSchema)]
pub struct StageLost {
    pub stage_id: String,
    pub name: String,
    pub lost: i64,
}

/// Lost deals for one reason.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReasonLost {
    /// As given when the deal was lost ("" when none was).
    #[schema(example = "Price")]
    pub reason: String,
    pub lost: i64,
}

/// Won and lost deals from one lead source.
#[derive(Debug, Serialize, ToSchema)]
pub struct SourceCount {
    /// The lead source's name ("" for deals without one).
    #[schema(example = "Website")]
    pub source: String,
    pub won: i64,
    pub lost: i64,
}

/// Deals won and lost during a period.
#[derive(Debug, Serialize, ToSchema)]
pub struct WonLostBody {
    pub pipeline_id: String,
    pub pipeline: String,
    pub from: String,
    pub to: String,
    /// Every month the period touches, in order.
    pub months: Vec<MonthCount>,
    /// In the pipeline's order.
    pub lost_by_stage: Vec<StageLost>,
    /// Most first.
    pub lost_by_reason: Vec<ReasonLost>,
    /// Most first.
    pub by_source: Vec<SourceCount>,
}

/// Deals won and lost in the period: by month, by the stage lost deals were in, by lost
/// reason and by lead source.
#[utoipa::path(get, path = "/v1/reports/won-lost", tag = SALES, operation_id = "reportWonLost",
    params(ReportParams),
    responses(
        (status = 200, description = "Won and lost", body = WonLostBody),
        (status = 422, description = "A filter cannot be read; `field` names it (`VALIDATION_ERROR`)", body = super::error::ErrorBody),
        NotFound, AuthErrors,
    ))]
pub async fn won_lost_report(
    State(state): State<AppState>,
    key: Key<OpportunitiesRead>,
    Query(q): Query<ReportParams>,
) -> Result<Json<WonLostBody>, ApiError> {
    let filter = filter_of(&state, &key, &q).await?;
    let actor = key.actor();
    let report = won_lost::won_lost(&state.db, actor, &filter).await?;
    let ids = PublicIds::of(&state, actor, report.pipeline_id).await?;
    Ok(Json(WonLostBody {
        pipeline_id: ids.pipeline.clone(),
        pipeline: report.pipeline,
        from: report.from,
        to: report.to,
        months: report
            .months
            .into_iter()
            .map(|(month, won, lost)| MonthCount { month, won, lost })
            .collect(),
        lost_by_stage: report
            .lost_by_stage
            .into_iter()
            .map(|(id, name, lost)| StageLost {
                stage_id: ids.stage(id),
                name,
                lost,
            })
            .collect(),
        lost_by_reason: report
            .lost_by_reason
            .into_iter()
            .map(|(reason, lost)| ReasonLost { reason, lost })
            .collect(),
        by_source: report
            .by_source
            .into_iter()
            .map(|(source, won, lost)| SourceCount { source, won, lost })
            .collect(),
    }))
}

/// Open deals: how many, their value and their value weighted by stage probability.
#[derive(Debug, Serialize, ToSchema)]
pub struct AmountsBody {
    #[schema(example = 4)]
    pub deals: i64,
    /// In the report's currency.
    #[schema(example = 12500.0)]
    pub total: f64,
    #[schema(example = 5000.0)]
    pub weighted: f64,
}

impl From<Amounts> for AmountsBody {
    fn from(a: Amounts) -> Self {
        AmountsBody {
            deals: a.deals,
            total: cents_to_f64(a.total_cents),
            weighted: cents_to_f64(a.weighted_cents),
        }
    }
}

/// One stage's deals expected to close in a month.
#[derive(Debug, Serialize, ToSchema)]
pub struct ForecastCellBody {
    pub stage_id: String,
    #[serde(flatten)]
    pub amounts: AmountsBody,
}

/// One month of the forecast.
#[derive(Debug, Serialize, ToSchema)]
pub struct ForecastMonthBody {
    #[schema(example = "2026-12")]
    pub month: String,
    /// Open deals expected to close in the month, in all.
    #[serde(flatten)]
    pub open: AmountsBody,
    /// The same per stage, in the pipeline's order.
    pub stages: Vec<ForecastCellBody>,
    /// Deals won in the month up to the report's last day, and their final value.
    pub won_deals: i64,
    #[schema(example = 8000.0)]
    pub won: f64,
}

/// A stage and the probability the forecast weights it with.
#[derive(Debug, Serialize, ToSchema)]
pub struct ForecastStageBody {
    pub stage_id: String,
    pub name: String,
    #[schema(example = 40)]
    pub probability: i64,
    /// `learned` when the figure was learned from the pipeline's closed deals (then
    /// `learned_from` says how many), else `configured`.
    #[schema(example = "learned")]
    pub probability_source: &'static str,
    pub learned_from: Option<i64>,
}

/// Deals in a currency the forecast could not convert.
#[derive(Debug, Serialize, ToSchema)]
pub struct CurrencyCount {
    #[schema(example = "EUR")]
    pub currency: String,
    pub deals: i64,
}

/// A pipeline's forecast.
#[derive(Debug, Serialize, ToSchema)]
pub struct ForecastBody {
    pub pipeline_id: String,
    pub pipeline: String,
    /// The account's base currency, which every amount is in (converted at today's rate for
    /// open deals, at the rate of the day won for won ones).
    #[schema(example = "USD")]
    pub currency: String,
    pub stages: Vec<ForecastStageBody>,
    /// The month of `to` and the five after.
    pub months: Vec<ForecastMonthBody>,
    /// Open deals expected to close before the first month.
    pub overdue: AmountsBody,
    /// Open deals without an expected close day.
    pub undated: AmountsBody,
    /// Deals in a currency without a rate for their day (today for open deals, the day won
    /// for won ones), left out of every sum.
    pub other_currencies: Vec<CurrencyCount>,
}

/// The forecast: open deals by expected-close month (the month of `to` and the five after),
/// per stage, as plain and weighted sums, with what was won in each month up to `to`.
#[utoipa::path(get, path = "/v1/reports/forecast", tag = SALES, operation_id = "reportForecast",
    params(ReportParams),
    responses(
        (status = 200, description = "The forecast", body = ForecastBody),
        (status = 422, description = "A filter cannot be read; `field` names it (`VALIDATION_ERROR`)", body = super::error::ErrorBody),
        NotFound, AuthErrors,
    ))]
pub async fn forecast_report(
    State(state): State<AppState>,
    key: Key<OpportunitiesRead>,
    Query(q): Query<ReportParams>,
) -> Result<Json<ForecastBody>, ApiError> {
    let filter = filter_of(&state, &key, &q).await?;
    let actor = key.actor();
    let report = forecast::forecast(&state.db, actor, &filter).await?;
    let ids = PublicIds::of(&state, actor, report.pipeline_id).await?;
    let stage_ids: Vec<String> = report
        .stages
        .iter()
        .map(|s| ids.stage(s.stage_id))
        .collect();
    Ok(Json(ForecastBody {
        pipeline_id: ids.pipeline.clone(),
        pipeline: report.pipeline,
        currency: report.currency,
        stages: report
            .stages
            .into_iter()
            .map(|s| ForecastStageBody {
                stage_id: ids.stage(s.stage_id),
                name: s.name,
                probability: s.probability,
                probability_source: if s.learned_from.is_some() {
                    "learned"
                } else {
                    "configured"
                },
                learned_from: s.learned_from,
            })
            .collect(),
        months: report
            .months
            .into_iter()
            .map(|m| ForecastMonthBody {
                month: m.month,
                open: m.open.into(),
                stages: m
                    .stages
                    .into_iter()
                    .zip(&stage_ids)
                    .map(|(a, id)| ForecastCellBody {
                        stage_id: id.clone(),
                        amounts: a.into(),
                    })
                    .collect(),
                won_deals: m.won_deals,
                won: cents_to_f64(m.won_cents),
            })
            .collect(),
        overdue: report.overdue.into(),
        undated: report.undated.into(),
        other_currencies: report
            .other_currencies
            .into_iter()
            .map(|(currency, deals)| CurrencyCount { currency, deals })
            .collect(),
    }))
}

/// One week's completed activities.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityWeekBody {
    /// The Monday the week starts on.
    #[schema(example = "2026-11-30")]
    pub week: String,
    /// By type (`call`, `meeting`, `email`, `task`, `note`).
    pub done: std::collections::BTreeMap<String, i64>,
}

/// One person's work over the period.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityPersonBody {
    pub user_id: String,
    pub name: String,
    /// Completed activities by type.
    pub done: std::collections::BTreeMap<String, i64>,
    /// Points earned in the period.
    pub points: i64,
    /// Activities past due and not done, now.
    pub overdue: i64,
}

/// Who did the work over a period.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityBody {
    pub from: String,
    pub to: String,
    /// Every week the period touches.
    pub weeks: Vec<ActivityWeekBody>,
    /// By name.
    pub people: Vec<ActivityPersonBody>,
}

/// Completed activities by week and type, and per person with points earned and activities
/// overdue; across every pipeline (`pipeline` and `tag` do not apply).
#[utoipa::path(get, path = "/v1/reports/activity", tag = SALES, operation_id = "reportActivity",
    params(ReportParams),
    responses(
        (status = 200, description = "The activity report", body = ActivityBody),
        (status = 422, description = "A filter cannot be read; `field` names it (`VALIDATION_ERROR`)", body = super::error::ErrorBody),
        NotFound, AuthErrors,
    ))]
pub async fn activity_report(
    State(state): State<AppState>,
    key: Key<OpportunitiesRead>,
    Query(q): Query<ReportParams>,
) -> Result<Json<ActivityBody>, ApiError> {
    let filter = filter_of(&state, &key, &q).await?;
    let report = activity::activity(&state.db, key.actor(), &filter).await?;
    let by_kind = |done: Vec<i64>| report.kinds.iter().cloned().zip(done).collect();
    let uuids: Vec<(UserId, String)> =
        sqlx::query_as("SELECT id, uuid FROM users WHERE account_id = $1")
            .bind(key.actor().account_id)
            .fetch_all(&state.db.pool)
            .await
            .map_err(crate::server::ServiceError::from)?;
    Ok(Json(ActivityBody {
        from: report.from.clone(),
        to: report.to.clone(),
        weeks: report
            .weeks
            .iter()
            .map(|w| ActivityWeekBody {
                week: w.week.clone(),
                done: by_kind(w.done.clone()),
            })
            .collect(),
        people: report
            .people
            .iter()
            .map(|p| ActivityPersonBody {
                user_id: uuids
                    .iter()
                    .find(|(id, _)| *id == p.user_id)
                    .map(|(_, u)| public_id("user", u))
                    .unwrap_or_default(),
                name: p.name.clone(),
                done: by_kind(p.done.clone()),
                points: p.points,
                overdue: p.overdue,
            })
            .collect(),
    }))
}
