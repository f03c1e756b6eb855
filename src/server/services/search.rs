//! Finding a deal, contact or organization from anywhere (the header's search and Ctrl/⌘-K):
//! deals by title, organization or contact name; contacts by name, e-mail, phone or
//! organization; organizations by name. Matching ignores case and accents (the folded columns
//! of `domain::search`), and deals are only those the actor may see.

use crate::domain::search::{bounded, contains_pattern, phone_digits, Hit, SearchHits};
use crate::domain::DealStatus;
use crate::server::db::{Db, SqlBuilder};
use crate::server::error::{ServiceError, ServiceResult};

use super::{deals, Actor};

/// How many hits each group shows.
pub const PER_GROUP: i64 = 6;

/// The deals, contacts and organizations that match `text`; nothing for blank text.
pub async fn find(db: &Db, actor: Actor, text: &str) -> ServiceResult<SearchHits> {
    let text = bounded(text).map_err(|p| ServiceError::invalid("q", p))?;
    let Some(pattern) = contains_pattern(text) else {
        return Ok(SearchHits::default());
    };
    let phone = phone_digits(text).map(|d| format!("%{d}%"));
    Ok(SearchHits {
        deals: find_deals(db, actor, &pattern).await?,
        contacts: find_contacts(db, actor, &pattern, phone.as_deref()).await?,
        organizations: find_organizations(db, actor, &pattern).await?,
    })
}

async fn find_deals(db: &Db, actor: Actor, pattern: &str) -> ServiceResult<Vec<Hit>> {
    let mut q = SqlBuilder::new(
        "SELECT d.id, d.title, d.status, COALESCE(o.name, ''), COALESCE(c.full_name, '') FROM deals d \
         LEFT JOIN organizations o ON o.id = d.organization_id \
         LEFT JOIN contacts c ON c.id = d.contact_id WHERE d.account_id = ",
    );
    q.bind_int(actor.account_id);
    let p = q.placeholder(crate::server::db::Arg::Text(Some(pattern.to_string())));
    q.push(&format!(
        " AND (d.title_key LIKE {p} ESCAPE '\\' OR o.name_key LIKE {p} ESCAPE '\\' \
         OR c.name_key LIKE {p} ESCAPE '\\')"
    ));
    deals::push_visible(&mut q, "d", actor);
    q.push(" ORDER BY CASE WHEN d.status = 'open' THEN 0 ELSE 1 END, d.updated_at DESC, d.id DESC LIMIT ")
        .bind_int(PER_GROUP);
    let rows: Vec<(i64, String, String, String, String)> = q.query_as().fetch_all(db).await?;
    Ok(rows
        .into_iter()
        .map(|(id, title, status, organization, contact)| Hit {
            href: format!("/deals/{id}"),
            title,
            // Both, so a deal found by its contact's name shows why.
            detail: [organization, contact]
                .into_iter()
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join(" · "),
            status: status.parse::<DealStatus>().ok(),
        })
        .collect())
}

async fn find_contacts(
    db: &Db,
    actor: Actor,
    pattern: &str,
    phone: Option<&str>,
) -> ServiceResult<Vec<Hit>> {
    let mut q = SqlBuilder::new(
        "SELECT c.id, c.full_name, COALESCE(c.email, c.phone, o.name, '') FROM contacts c \
         LEFT JOIN organizations o ON o.id = c.organization_id WHERE c.account_id = ",
    );
    q.bind_int(actor.account_id);
    let p = q.placeholder(crate::server::db::Arg::Text(Some(pattern.to_string())));
    q.push(&format!(
        " AND (c.name_key LIKE {p} ESCAPE '\\' OR LOWER(COALESCE(c.email, '')) LIKE {p} ESCAPE '\\' \
         OR o.name_key LIKE {p} ESCAPE '\\'"
    ));
    if let Some(phone) = phone {
        q.push(" OR c.phone LIKE ").bind_text(phone);
    }
    q.push(") ORDER BY c.name_key, c.id LIMIT ")
        .bind_int(PER_GROUP);
    let rows: Vec<(i64, String, String)> = q.query_as().fetch_all(db).await?;
    Ok(rows
        .into_iter()
        .map(|(id, title, detail)| Hit {
            href: format!("/contacts/{id}"),
            title,
            detail,
            status: None,
        })
        .collect())
}

async fn find_organizations(db: &Db, actor: Actor, pattern: &str) -> ServiceResult<Vec<Hit>> {
    let mut q = SqlBuilder::new("SELECT o.id, o.name FROM organizations o WHERE o.account_id = ");
    q.bind_int(actor.account_id)
        .push(" AND o.name_key LIKE ")
        .bind_text(pattern)
        .push(" ESCAPE '\\' ORDER BY o.name_key, o.id LIMIT ")
        .bind_int(PER_GROUP);
    let rows: Vec<(i64, String)> = q.query_as().fetch_all(db).await?;
    Ok(rows
        .into_iter()
        .map(|(id, title)| Hit {
            href: format!("/organizations/{id}"),
            title,
            detail: String::new(),
            status: None,
        })
        .collect())
}
