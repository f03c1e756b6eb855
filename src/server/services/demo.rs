//! Demo data: an account to try Dealflow with. Loading it twice changes nothing.

use crate::domain::{AccountId, ContactId, DealStatus, Plan, ProductId, Role, StageId, UserId};
use crate::i18n::Locale;
use crate::server::db::{self, Db};
use crate::server::error::ServiceResult;

use super::deals::{create_deal, NewDeal};
use super::deals::{links as deal_links, notes, products as deal_products};
use super::pipelines::{create_pipeline, NewStage};
use super::{accounts, activities, Actor};

/// The demo owner's login.
pub const DEMO_OWNER_EMAIL: &str = "owner@demo.test";
/// The password of every demo user.
pub const DEMO_PASSWORD: &str = "dealflow-demo";

/// What `demo` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoOutcome {
    pub account_id: AccountId,
    pub created: bool,
}

/// A small deterministic generator, so the demo looks the same on every machine.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const COMPANIES: &[&str] = &[
    "Acme Corp",
    "Globex",
    "Initech",
    "Umbrella Health",
    "Stark Logistics",
    "Wayne Foods",
    "Tech Innovators S.A.",
    "Nimbus Cloud",
    "Blue Harbor",
    "Verdant Energy",
    "Orion Retail",
    "Helix Labs",
];
const FIRST: &[&str] = &[
    "Ana", "Bruno", "Carla", "Diego", "Elena", "Felipe", "Gabriela", "Hugo", "Inés", "João",
    "Karen", "Luis", "María", "Nora", "Oscar", "Paula",
];
const LAST: &[&str] = &[
    "Lima", "Souza", "García", "Martins", "López", "Pereira", "Santos", "Rossi", "Müller", "Costa",
];
const DEAL_KINDS: &[&str] = &[
    "CRM rollout",
    "Annual licence",
    "Support renewal",
    "Onboarding package",
    "Data migration",
    "Training days",
    "Enterprise upgrade",
    "Pilot project",
    "Integration work",
    "Consulting retainer",
];
const ACTIVITY_KINDS: &[(&str, &str)] = &[
    ("call", "Call about"),
    ("meeting", "Meeting on"),
    ("email", "Send proposal for"),
    ("task", "Prepare contract for"),
];
const PRODUCTS: &[(&str, &str, i64)] = &[
    ("Dealflow Seat", "SEAT-01", 4_900),
    ("Onboarding", "SRV-ONB", 150_000),
    ("Premium Support", "SRV-SUP", 90_000),
    ("Data Migration", "SRV-MIG", 250_000),
    ("Training Day", "SRV-TRN", 120_000),
    ("API Add-on", "ADD-API", 30_000),
];

/// Loads the demo account in English unless it exists already.
pub async fn load_demo(db: &Db) -> ServiceResult<DemoOutcome> {
    load_demo_in(db, Locale::En).await
}

/// Loads the demo account unless it exists already, in `locale`: its pipelines and stages
/// named in that language, its money in the currency of the language's main market (BRL for
/// Brazilian Portuguese, EUR for Spanish) and its users reading the app in it.
pub async fn load_demo_in(db: &Db, locale: Locale) -> ServiceResult<DemoOutcome> {
    let outcome = load_english(db).await?;
    if outcome.created && locale != Locale::En {
        localize(db, outcome.account_id, locale).await?;
    }
    Ok(outcome)
}

/// A demo name in `locale`: pipelines by name, stages by key.
fn localized(name: &str, locale: Locale) -> Option<&'static str> {
    let names: &[(&str, &str, &str)] = &[
        // (English name or stage key, Spanish, Brazilian Portuguese)
        ("Sales", "Ventas", "Vendas"),
        ("Partnerships", "Alianzas", "Parcerias"),
        ("new", "Nuevo", "Novo"),
        ("contacted", "Contactado", "Contatado"),
        ("qualified", "Calificado", "Qualificado"),
        ("proposal", "Propuesta", "Proposta"),
        ("negotiation", "Negociación", "Negociação"),
        ("lead", "Prospecto", "Lead"),
        ("talks", "En conversación", "Em conversa"),
        ("signed", "Contrato", "Contrato"),
    ];
    names
        .iter()
        .find(|(en, _, _)| *en == name)
        .map(|(_, es, pt)| match locale {
            Locale::Es => *es,
            _ => *pt,
        })
}

/// Step: [`load_demo_in`]. Renames, re-prices and sets the language in one transaction.
async fn localize(db: &Db, account_id: AccountId, locale: Locale) -> ServiceResult<()> {
    let currency = match locale {
        Locale::PtBr => "BRL",
        Locale::Es => "EUR",
        Locale::En => "USD",
    };
    let mut tx = db.begin().await?;
    let pipelines: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, name FROM pipelines WHERE account_id = $1")
            .bind(account_id)
            .fetch_all(&mut *tx)
            .await?;
    for (id, name) in pipelines {
        if let Some(new) = localized(&name, locale) {
            sqlx::query("UPDATE pipelines SET name = $1 WHERE id = $2")
                .bind(new)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
    }
    let stages: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, key FROM stages WHERE account_id = $1")
            .bind(account_id)
            .fetch_all(&mut *tx)
            .await?;
    for (id, key) in stages {
        if let Some(new) = localized(&key, locale) {
            sqlx::query("UPDATE stages SET name = $1 WHERE id = $2")
                .bind(new)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
    }
    for sql in [
        "UPDATE deals SET currency = $1 WHERE account_id = $2",
        "UPDATE products SET currency = $1 WHERE account_id = $2",
        "UPDATE quotes SET currency = $1 WHERE account_id = $2",
        "UPDATE accounts SET base_currency = $1 WHERE id = $2",
    ] {
        sqlx::query(sql)
            .bind(currency)
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("UPDATE users SET locale = $1 WHERE account_id = $2")
        .bind(locale.tag())
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The demo account as first written, in English.
async fn load_english(db: &Db) -> ServiceResult<DemoOutcome> {
    let existing: Option<(AccountId,)> =
        sqlx::query_as("SELECT account_id FROM users WHERE email = $1")
            .bind(DEMO_OWNER_EMAIL)
            .fetch_optional(&db.pool)
            .await?;
    if let Some((account_id,)) = existing {
        return Ok(DemoOutcome {
            account_id,
            created: false,
        });
    }
    let account_id = accounts::create_account(
        db,
        "Demo",
        Plan::Pro,
        DEMO_OWNER_EMAIL,
        "Olivia Owner",
        DEMO_PASSWORD,
    )
    .await?;
    let owner: (UserId,) = sqlx::query_as("SELECT id FROM users WHERE email = $1")
        .bind(DEMO_OWNER_EMAIL)
        .fetch_one(&db.pool)
        .await?;
    accounts::create_user(
        db,
        account_id,
        "admin@demo.test",
        "Adam Admin",
        DEMO_PASSWORD,
        Role::Admin,
    )
    .await?;
    let mut sellers = vec![owner.0];
    for (email, name) in [
        ("sam@demo.test", "Sam Seller"),
        ("rita@demo.test", "Rita Ramos"),
        ("leo@demo.test", "Leo Park"),
    ] {
        sellers.push(
            accounts::create_user(db, account_id, email, name, DEMO_PASSWORD, Role::Sales).await?,
        );
    }
    let partner_stages: Vec<NewStage> = [
        ("lead", "Lead", 10),
        ("talks", "In talks", 40),
        ("signed", "Contract", 90),
    ]
    .iter()
    .map(|(k, n, p)| NewStage {
        key: k.to_string(),
        name: n.to_string(),
        probability: *p,
        rotting_days: Some(30),
    })
    .collect();
    let partners = create_pipeline(db, account_id, "Partnerships", false, &partner_stages).await?;

    let now = db::now();
    let mut rng = Lcg(42);
    let mut orgs = Vec::new();
    for name in COMPANIES {
        let owner_actor = Actor {
            account_id,
            user_id: Some(owner.0),
        };
        orgs.push(super::organizations::create_organization(db, owner_actor, name).await?);
    }
    let mut contacts = Vec::new();
    for i in 0..30usize {
        let first = FIRST[i % FIRST.len()];
        let last = LAST[(i * 7 + 3) % LAST.len()];
        let org = orgs[i % orgs.len()];
        let email = format!(
            "{}.{}{}@example.com",
            first.to_lowercase(),
            last.to_lowercase().replace(['í', 'ü', 'é', 'á'], "x"),
            i
        );
        let phone = format!("+5511{:09}", 900_000_000 + i as u64 * 7_919);
        let name = format!("{first} {last}");
        let (id,): (ContactId,) = sqlx::query_as(
            "INSERT INTO contacts (account_id, uuid, full_name, email, phone, organization_id, created_at, updated_at, name_key) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8) RETURNING id",
        )
        .bind(account_id)
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(&name)
        .bind(email)
        .bind(phone)
        .bind(org)
        .bind(&now)
        .bind(crate::domain::search::fold(&name))
        .fetch_one(&db.pool)
        .await?;
        contacts.push((id, org));
    }
    let mut products = Vec::new();
    for (name, identifier, cents) in PRODUCTS {
        let (id,): (ProductId,) = sqlx::query_as(
            "INSERT INTO products (account_id, uuid, name, identifier, model, unit_amount_cents, currency, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $4, $5, 'USD', $6, $6) RETURNING id",
        )
        .bind(account_id)
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(*name)
        .bind(*identifier)
        .bind(*cents)
        .bind(&now)
        .fetch_one(&db.pool)
        .await?;
        products.push(id);
    }
    let mut tags = Vec::new();
    let mut sources = Vec::new();
    for (table, names, ids) in [
        (
            "tags",
            &["Enterprise", "Renewal", "Referral bonus", "Urgent"][..],
            &mut tags,
        ),
        (
            "lead_sources",
            &["Website", "Referral", "Trade show", "Outbound"][..],
            &mut sources,
        ),
    ] {
        for name in names {
            let (id,): (i64,) = sqlx::query_as(&format!(
                "INSERT INTO {table} (account_id, uuid, name, created_at) VALUES ($1, $2, $3, $4) RETURNING id"
            ))
            .bind(account_id)
            .bind(uuid::Uuid::new_v4().to_string())
            .bind(*name)
            .bind(&now)
            .fetch_one(&db.pool)
            .await?;
            ids.push(id);
        }
    }
    for reason in [
        "Price too high",
        "Chose a competitor",
        "No budget",
        "No decision",
        "Timing",
    ] {
        sqlx::query("INSERT INTO lost_reasons (account_id, name, created_at) VALUES ($1, $2, $3)")
            .bind(account_id)
            .bind(reason)
            .bind(&now)
            .execute(&db.pool)
            .await?;
    }

    let sales_stages = super::pipelines::stages_of(
        db,
        account_id,
        super::pipelines::primary_pipeline_id(db, account_id).await?,
    )
    .await?;
    let partner_stage_ids: Vec<StageId> = super::pipelines::stages_of(db, account_id, partners)
        .await?
        .iter()
        .map(|s| s.id)
        .collect();
    let total = 72usize;
    for i in 0..total {
        let (contact, org) = contacts[i % contacts.len()];
        let seller = sellers[(rng.below(sellers.len() as u64)) as usize];
        let status = match i {
            i if i >= 66 => DealStatus::Lost,
            i if i >= 60 => DealStatus::Won,
            _ => DealStatus::Open,
        };
        let stage_id = if i % 9 == 8 {
            partner_stage_ids[rng.below(partner_stage_ids.len() as u64) as usize]
        } else {
            sales_stages[rng.below(sales_stages.len() as u64) as usize].id
        };
        let value_cents = (5 + rng.below(120) as i64) * 50_000;
        let month = 1 + rng.below(4) as u32;
        let day = 1 + rng.below(28) as u32;
        let close = chrono::Utc::now().date_naive()
            + chrono::Duration::days((month * 30 + day) as i64 - 30);
        let title = format!(
            "{} - {}",
            DEAL_KINDS[i % DEAL_KINDS.len()],
            COMPANIES[orgs.iter().position(|o| *o == org).unwrap_or(0)]
        );
        let deal = create_deal(
            db,
            Actor {
                account_id,
                user_id: Some(seller),
            },
            NewDeal {
                title,
                value_cents,
                currency: Some("USD".into()),
                stage_id: Some(stage_id),
                contact_id: Some(contact),
                organization_id: Some(org),
                responsible_user_id: Some(seller),
                expected_close_date: Some(close.format("%Y-%m-%d").to_string()),
                temperature: Some(1 + rng.below(3) as i64),
                status,
                lost_reason: "Price too high".into(),
                ..Default::default()
            },
        )
        .await?;
        // Some deals have sat in their stage for a while, so the board shows rotting ones.
        let days_ago = if i % 5 == 0 {
            20 + rng.below(20) as i64
        } else {
            rng.below(10) as i64
        };
        let since = db::ts(chrono::Utc::now() - chrono::Duration::days(days_ago));
        sqlx::query("UPDATE deals SET stage_changed_at = $1, created_at = $1 WHERE id = $2")
            .bind(since)
            .bind(deal.id)
            .execute(&db.pool)
            .await?;
        let seller_actor = Actor {
            account_id,
            user_id: Some(seller),
        };
        sqlx::query("UPDATE deals SET lead_source_id = $1 WHERE id = $2")
            .bind(sources[i % sources.len()])
            .bind(deal.id)
            .execute(&db.pool)
            .await?;
        if i % 4 == 0 {
            let line = deal_products::NewLine {
                product_id: products[i % products.len()],
                quantity: 1 + rng.below(10) as i64,
                unit_amount: String::new(),
            };
            deal_products::add_line(db, seller_actor, deal.id, &line).await?;
        }
        if i % 3 == 1 {
            let tag = deal_links::Link::Tag(tags[i % tags.len()]);
            deal_links::add_link(db, seller_actor, deal.id, tag).await?;
        }
        if i % 7 == 0 {
            let note = notes::add_note(
                db,
                seller_actor,
                deal.id,
                "Decision maker is the CFO; send the proposal before the end of the month.",
            )
            .await?;
            notes::set_pinned(db, seller_actor, note, true).await?;
        }
        // A few activities per deal: some overdue, some today, some ahead, some done.
        if i % 3 == 0 && status == DealStatus::Open {
            let kind = ACTIVITY_KINDS[i % ACTIVITY_KINDS.len()];
            let due =
                chrono::Utc::now() + chrono::Duration::hours(rng.below(24 * 8) as i64 - 24 * 3);
            let activity = activities::create_activity(
                db,
                seller_actor,
                activities::NewActivity {
                    kind: kind.0.into(),
                    title: format!("{} {}", kind.1, deal.title),
                    due_at: Some(db::ts(due)),
                    deal_id: Some(deal.id),
                    user_id: Some(seller),
                    ..Default::default()
                },
            )
            .await?;
            if i % 2 == 0 {
                activities::complete(db, seller_actor, activity.id).await?;
            }
        }
    }
    Ok(DemoOutcome {
        account_id,
        created: true,
    })
}
