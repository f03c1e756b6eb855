//! The OpenAPI document of every API surface. Paths and schemas come from the handlers'
//! `#[utoipa::path]` annotations and the response types they serialize; the router that
//! serves them is built from the same annotations (see `super::routes`), so the document
//! cannot list a route the server lacks or miss one it has.

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoResponses, Modify, OpenApi};

use super::error::{AccountsErrorBody, ErrorBody, ExternalErrorBody};

/// Tag of the `/v1` sales API (opportunities, stages, activities).
pub const SALES: &str = "Sales API (/v1)";
/// Tag of the accounts deals API.
pub const ACCOUNTS: &str = "Accounts deals API (/api/v1)";
/// Tag of the lead intake.
pub const INTAKE: &str = "Lead intake (/integrations)";
/// Tag of the automations API.
pub const AUTOMATIONS: &str = "Automations (/api/automations)";
/// Tag of the stage update.
pub const EXTERNAL: &str = "Stage update (/external/v1)";

/// The document's fixed parts: info, tags, authentication.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Dealflow API",
        description = "The JSON API of Dealflow, a self-hosted sales-pipeline CRM.\n\n\
Every request carries an API key, created under Settings → API keys or with `dealflow api-key create`, \
as `Authorization: Bearer <key>` or `X-API-Key: <key>`. A missing or invalid key answers 401; a key \
without the endpoint's scope answers 403; a key restricted to a domain answers 403 to requests whose \
Origin or Referer names another host. A key sees only its own account: anything else is 404.\n\n\
Errors are JSON on every API path: `{\"error\": {\"code\", \"message\", \"field\"}}`, and on \
`/external/v1` `{\"success\": false, \"error\": {\"code\", \"message\"}}`. A body that is not \
JSON answers 400 `INVALID_JSON`; a wrong method 405 `METHOD_NOT_ALLOWED`; an unknown path 404. \
Every change is made whole or not at all: a request that fails (a refused value, a conflict, or \
500 `INTERNAL_ERROR` when the server could not complete it) leaves the account as it was."
    ),
    tags(
        (name = SALES, description = "Opportunities and everything around them: pipelines and stages, products and product lines, quotes, notes, assignees and followers, activities and their points, the leaderboard, contacts, organizations, users, tags, lead sources and trackers, lost reasons and settings. Ids are public strings: `opp_…`, `lead_…` (contacts), `org_…`, `user_…`, `product_…`, `pipe_…`, `stage_…`, `quote_…`, `act_…`, `note_…`, `line_…`, `tag_…`, `src_…`, `reason_…`. Lists answer a page of 20 by default (`per_page` up to 100). Scopes `opportunities:read|write` (opportunities, their parts, quotes and the catalogs), `activities:read|write`, `contacts:read|write`, `users:read|write` (adding users, roles, turning users off: acts as the key's creator); changes to the account's configuration (pipelines, tags, products, lead sources, trackers, lost reasons, points, settings) need `config:manage`."),
        (name = ACCOUNTS, description = "Deals by numeric id with Ransack-style search, pagination and upsert. Scopes `deals:read|write`."),
        (name = INTAKE, description = "Lead intake from forms and marketing tools. Scope `deals:write`."),
        (name = EXTERNAL, description = "Moving an opportunity by status. Scope `opportunities:write`."),
        (name = AUTOMATIONS, description = "Automations: a trigger, conditions (AND) and actions run in order, optionally delayed. Scope `config:manage`; the account must be on the PRO plan (else 402 `PLAN_REQUIRED`)."),
    ),
    components(schemas(ErrorBody, ExternalErrorBody, AccountsErrorBody)),
    modifiers(&Security),
    security(("bearer" = []), ("api_key" = []))
)]
pub struct ApiDoc;

/// Adds the two ways of passing an API key.
struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("`Authorization: Bearer <API key>`"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-API-Key",
                "`X-API-Key: <API key>`",
            ))),
        );
    }
}

/// Failures every authenticated endpoint of the standard surfaces can answer.
#[derive(IntoResponses)]
#[allow(dead_code)] // documentation only: the variants describe `ApiError` responses
pub enum AuthErrors {
    /// No API key, or one that is invalid or revoked (`UNAUTHORIZED`).
    #[response(status = 401)]
    Unauthorized(ErrorBody),
    /// The key lacks the endpoint's scope or its allowed domain (`FORBIDDEN`).
    #[response(status = 403)]
    Forbidden(ErrorBody),
}

/// Failures of endpoints that take a JSON body.
#[derive(IntoResponses)]
#[allow(dead_code)] // documentation only: the variants describe `ApiError` responses
pub enum BodyErrors {
    /// The body is not a JSON object (`INVALID_JSON`).
    #[response(status = 400)]
    BadJson(ErrorBody),
    /// A field is missing or has a bad value; `field` names it (`VALIDATION_ERROR`).
    #[response(status = 422)]
    Invalid(ErrorBody),
}

/// The record in the path does not exist in the key's account.
#[derive(IntoResponses)]
#[allow(dead_code)] // documentation only: the variant describes an `ApiError` response
pub enum NotFound {
    /// No such record in this account (`NOT_FOUND`).
    #[response(status = 404)]
    Missing(ErrorBody),
}

/// The change conflicts with the record's state.
#[derive(IntoResponses)]
#[allow(dead_code)] // documentation only: the variant describes an `ApiError` response
pub enum Conflict {
    /// The message says what stands in the way (`CONFLICT`).
    #[response(status = 409)]
    Refused(ErrorBody),
}

/// The accounts API's authentication failures, in Woofed's shape (`errors`) and ours (`error`).
#[derive(IntoResponses)]
#[allow(dead_code)] // documentation only: the variants describe `ApiError` responses
pub enum AccountsAuthErrors {
    /// No API key, or one that is invalid or revoked: `{"errors": "Unauthorized", …}`.
    #[response(status = 401)]
    Unauthorized(AccountsErrorBody),
    /// The key lacks the endpoint's scope or its allowed domain (`FORBIDDEN`).
    #[response(status = 403)]
    Forbidden(AccountsErrorBody),
}

/// The accounts API's refusals of a body: `{"errors": ["Stage must exist"], …}`.
#[derive(IntoResponses)]
#[allow(dead_code)] // documentation only: the variants describe `ApiError` responses
pub enum AccountsBodyErrors {
    /// The body is not a JSON object (`INVALID_JSON`).
    #[response(status = 400)]
    BadJson(AccountsErrorBody),
    /// A field is missing or has a bad value; `error.field` names it (`VALIDATION_ERROR`).
    #[response(status = 422)]
    Invalid(AccountsErrorBody),
}

/// The accounts API's "not found": `{"errors": "Not found", …}`.
#[derive(IntoResponses)]
#[allow(dead_code)] // documentation only: the variant describes an `ApiError` response
pub enum AccountsNotFound {
    /// No such record in this account (`NOT_FOUND`).
    #[response(status = 404)]
    Missing(AccountsErrorBody),
}
