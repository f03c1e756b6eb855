//! CSV imports over HTTP on both databases, with the background worker: a Pipedrive-style
//! export (accents, quoted commas, empty cells, a person on two deals, a line repeated, a bad
//! e-mail and a bad date) is uploaded, mapped on its own, dry-run (nothing written), imported
//! (created / unchanged / refused as worked out by hand below), imported again with "update"
//! (nothing changes) and with "skip"; the refused rows download with their reasons; an export
//! imported into another account exports the same; a server killed mid-import resumes and
//! imports every row once.

use std::time::Duration;

use dealflow::server::db::Db;
use dealflow::server::services::accounts;
use serde_json::Value;

use crate::support::{
    backend_urls, backends, free_port, snapshot, wait_for, Instance, OnBackend, TestApp,
};

/// A Pipedrive deals export. By hand, with "update" for duplicates and ISO dates:
/// line 2 creates a deal, its contact and its organization; line 3 a deal, a contact and an
/// organization; line 4 a deal with line 2's person and organization (no new contact);
/// line 5 is refused (the e-mail), line 6 too (the date: 31/12/2026 is not ISO); line 7
/// creates a deal with nothing else; line 8 repeats line 2 (unchanged).
pub const PIPEDRIVE: &str = "\u{FEFF}Deal - ID,Deal - Title,Deal - Value,Deal - Currency,Deal - Stage,Deal - Status,Deal - Expected close date,Person - Name,Person - Email,Person - Phone,Organization - Name\r\n\
101,Renovação anual,1200.50,BRL,New,Open,2026-03-31,Érica Núñez,erica@acme.test,+55 11 98765-4321,\"Acme, Inc.\"\r\n\
102,\"Expansão, fase 2\",3000,BRL,Qualified,Open,,João Santos,joao@beta.test,,Beta Ltda\r\n\
103,Suporte premium,,,,Won,,Érica Núñez,erica@acme.test,,\"Acme, Inc.\"\r\n\
104,Consultoria,500,USD,Proposal,Lost,,Ana Souza,ana(at)gamma,,Gamma\r\n\
105,Treinamento,800,BRL,New,Open,31/12/2026,Ana Souza,ana@gamma.test,,Gamma\r\n\
106,Licenças,,,,,,,,,\r\n\
101,Renovação anual,1200.50,BRL,New,Open,2026-03-31,Érica Núñez,erica@acme.test,+55 11 98765-4321,\"Acme, Inc.\"\r\n";

/// A multipart body with one file field; returns (content type, body).
pub fn multipart(name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "dealflow-test-boundary-7d1f";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
             Content-Type: text/csv\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Uploads `bytes`; returns the import's id.
pub async fn upload(app_url: &str, client: &reqwest::Client, bytes: &[u8]) -> i64 {
    let (content_type, body) = multipart("pipedrive-deals.csv", bytes);
    let res = client
        .post(format!("{app_url}/import/upload"))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303, "{:?}", res.text().await);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    location
        .strip_prefix("/import/")
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("redirected to {location}"))
}

/// The mapping form: a field per column, the stage, the duplicate rule, ISO dates, the mode.
fn form_of(fields: &[String], stage: i64, duplicates: &str, mode: &str) -> Vec<(String, String)> {
    let mut form: Vec<(String, String)> = fields
        .iter()
        .enumerate()
        .map(|(i, f)| (format!("column_{i}"), f.clone()))
        .collect();
    form.extend([
        ("stage".into(), stage.to_string()),
        ("duplicates".into(), duplicates.into()),
        ("dates".into(), "iso".into()),
        ("mode".into(), mode.into()),
    ]);
    form
}

/// Posts the mapping form with the suggested mapping (`columns` of them, as `fields`).
pub async fn start(
    app_url: &str,
    client: &reqwest::Client,
    id: i64,
    fields: &[String],
    stage: i64,
    duplicates: &str,
    mode: &str,
) {
    let res = client
        .post(format!("{app_url}/import/{id}/start"))
        .form(&form_of(fields, stage, duplicates, mode))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303);
    assert_eq!(
        res.headers()["location"].to_str().unwrap(),
        format!("/import/{id}"),
        "the start was refused"
    );
}

/// The import's row: (status, rows_done, created, updated, unchanged, skipped, refused).
async fn state(db: &Db, id: i64) -> (String, i64, [i64; 5]) {
    let (status, done, c, u, n, s, r): (String, i64, i64, i64, i64, i64, i64) = sqlx::query_as(
        "SELECT status, rows_done, created_count, updated_count, unchanged_count, skipped_count, \
         refused_count FROM imports WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    (status, done, [c, u, n, s, r])
}

pub async fn finished(db: &Db, id: i64) -> (i64, [i64; 5]) {
    let (_, done, counts) = wait_for(Duration::from_secs(60), "the import to end", || async {
        let s = state(db, id).await;
        (s.0 == "done" || s.0 == "failed").then_some(s)
    })
    .await;
    assert_eq!(state(db, id).await.0, "done");
    (done, counts)
}

/// The records an import writes, as text (to compare before and after).
async fn records(db: &Db) -> Vec<Vec<String>> {
    let all = snapshot(db).await;
    [
        "deals",
        "contacts",
        "organizations",
        "deal_persons",
        "deal_events",
    ]
    .iter()
    .map(|t| all.get(*t).cloned().unwrap_or_default())
    .collect()
}

pub async fn first_stage(db: &Db, account_id: dealflow::domain::AccountId) -> i64 {
    let (id,): (i64,) = sqlx::query_as(
        "SELECT s.id FROM stages s JOIN pipelines p ON p.id = s.pipeline_id \
         WHERE p.account_id = $1 ORDER BY p.id, s.position LIMIT 1",
    )
    .bind(account_id)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    id
}

/// The suggested mapping of an import, as form values.
pub async fn suggested(db: &Db, id: i64) -> Vec<String> {
    let (settings,): (String,) = sqlx::query_as("SELECT settings FROM imports WHERE id = $1")
        .bind(id)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    let settings: Value = serde_json::from_str(&settings).unwrap();
    settings["mapping"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_string())
        .collect()
}

/// An imported deal as the test reads it back: title, value, currency, status, expected close,
/// external id, contact, organization.
type ImportedDeal = (
    String,
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

#[tokio::test]
async fn a_pipedrive_export_is_dry_run_imported_and_imported_again() {
    for db in backends().await {
        let app = TestApp::start_with_worker(db, crate::receiver::allow_local()).await;
        let (account_id, email, password) = app.account("Importer").await;
        let client = app.signed_in(&email, &password).await;
        let stage = first_stage(&app.db, account_id).await;

        let id = upload(&app.base, &client, PIPEDRIVE.as_bytes()).await;
        let fields = suggested(&app.db, id).await;
        assert_eq!(
            fields,
            [
                "deal_external_id",
                "deal_title",
                "deal_value",
                "deal_currency",
                "deal_stage",
                "deal_status",
                "deal_expected_close",
                "contact_name",
                "contact_email",
                "contact_phone",
                "organization_name"
            ],
            "Pipedrive's columns map themselves"
        );
        let (status, page) = app.page(&client, &format!("/import/{id}")).await;
        assert_eq!(status, 200);
        assert!(page.contains("Renovação anual") && page.contains("Expansão, fase 2"));

        // The dry run reports and writes nothing.
        let before = records(&app.db).await;
        start(&app.base, &client, id, &fields, stage, "update", "dry_run").await;
        assert_eq!(finished(&app.db, id).await, (7, [4, 0, 1, 0, 2]));
        assert_eq!(records(&app.db).await, before, "a dry run writes nothing");

        // The import.
        start(&app.base, &client, id, &fields, stage, "update", "import").await;
        assert_eq!(finished(&app.db, id).await, (7, [4, 0, 1, 0, 2]));
        let deals: Vec<ImportedDeal> =
            sqlx::query_as(
                "SELECT d.title, d.value_cents, d.currency, d.status, d.expected_close_date, d.external_id, \
                 c.full_name, o.name FROM deals d LEFT JOIN contacts c ON c.id = d.contact_id \
                 LEFT JOIN organizations o ON o.id = d.organization_id WHERE d.account_id = $1 ORDER BY d.id",
            )
            .bind(account_id)
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
        let s = |v: &str| Some(v.to_string());
        assert_eq!(
            deals,
            vec![
                (
                    "Renovação anual".into(),
                    120_050,
                    "BRL".into(),
                    "open".into(),
                    s("2026-03-31"),
                    s("101"),
                    s("Érica Núñez"),
                    s("Acme, Inc.")
                ),
                (
                    "Expansão, fase 2".into(),
                    300_000,
                    "BRL".into(),
                    "open".into(),
                    None,
                    s("102"),
                    s("João Santos"),
                    s("Beta Ltda")
                ),
                (
                    "Suporte premium".into(),
                    0,
                    "USD".into(),
                    "won".into(),
                    None,
                    s("103"),
                    s("Érica Núñez"),
                    s("Acme, Inc.")
                ),
                (
                    "Licenças".into(),
                    0,
                    "USD".into(),
                    "open".into(),
                    None,
                    s("106"),
                    None,
                    None
                ),
            ]
        );
        let people: Vec<(String, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT full_name, email, phone FROM contacts WHERE account_id = $1 ORDER BY id",
        )
        .bind(account_id)
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(
            people,
            vec![
                (
                    "Érica Núñez".into(),
                    s("erica@acme.test"),
                    s("+5511987654321")
                ),
                ("João Santos".into(), s("joao@beta.test"), None),
            ],
            "a person on two deals is one contact; a refused row leaves no one behind"
        );
        let (orgs,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM organizations WHERE account_id = $1")
                .bind(account_id)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(orgs, 2, "Gamma came only with refused rows");

        // The refused rows, with the reason per row and the row as it was.
        let res = client
            .get(app.url(&format!("/import/{id}/refused.csv")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200);
        let text = res.text().await.unwrap();
        let lines: Vec<&str> = text
            .trim_start_matches('\u{FEFF}')
            .split("\r\n")
            .filter(|l| !l.is_empty())
            .collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(
            lines[0].starts_with("Line,Field,Reason,Deal - ID"),
            "{}",
            lines[0]
        );
        assert!(lines[1].starts_with("5,Contact e-mail,"), "{}", lines[1]);
        assert!(lines[1].contains("ana(at)gamma"), "{}", lines[1]);
        assert!(
            lines[2].starts_with("6,Expected close date,"),
            "{}",
            lines[2]
        );
        assert!(lines[2].contains("31/12/2026"), "{}", lines[2]);

        // The same file again with "update" changes nothing.
        let before = records(&app.db).await;
        start(&app.base, &client, id, &fields, stage, "update", "import").await;
        assert_eq!(finished(&app.db, id).await, (7, [0, 0, 5, 0, 2]));
        assert_eq!(
            records(&app.db).await,
            before,
            "a second import changes nothing"
        );

        // With "skip", the rows whose deals exist are skipped.
        start(&app.base, &client, id, &fields, stage, "skip", "import").await;
        assert_eq!(finished(&app.db, id).await, (7, [0, 0, 0, 5, 2]));
        assert_eq!(records(&app.db).await, before);

        // An edited file with "update": the changed deal is updated, the rest stays.
        let edited = PIPEDRIVE.replacen("3000,BRL,Qualified", "3500,BRL,Proposal", 1);
        let second = upload(&app.base, &client, edited.as_bytes()).await;
        start(
            &app.base, &client, second, &fields, stage, "update", "import",
        )
        .await;
        assert_eq!(finished(&app.db, second).await, (7, [0, 1, 4, 0, 2]));
        let (value, stage_name): (i64, String) = sqlx::query_as(
            "SELECT d.value_cents, s.name FROM deals d JOIN stages s ON s.id = d.stage_id \
             WHERE d.account_id = $1 AND d.external_id = '102'",
        )
        .bind(account_id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!((value, stage_name.as_str()), (350_000, "Proposal"));
    }
}

/// Each batch reads what its rows look up at once; a row still finds what the rows before
/// it in the same batch created or changed. By hand, with "update":
/// - the people file: line 2 finds Carla by her phone and gives her the new e-mail
///   (updated); line 3 finds her by that new e-mail (unchanged); line 4's old e-mail is
///   no one's any more, so it is a new person (created);
/// - the deals file: line 2 creates "Plano anual" at Delta (and Delta); line 3 finds it by
///   title and organization (unchanged); line 4 has no organization, so it is another deal.
#[tokio::test]
async fn rows_find_what_the_rows_before_them_in_their_batch_wrote() {
    for db in backends().await {
        let app = TestApp::start_with_worker(db, crate::receiver::allow_local()).await;
        let (account_id, email, password) = app.account("Batch").await;
        let client = app.signed_in(&email, &password).await;
        let stage = first_stage(&app.db, account_id).await;
        let people = "Person - Name,Person - Email,Person - Phone\r\n";

        let first = format!("{people}Carla Dias,carla@old.test,+55 11 90000-0001\r\n");
        let id = upload(&app.base, &client, first.as_bytes()).await;
        let fields = suggested(&app.db, id).await;
        start(&app.base, &client, id, &fields, stage, "update", "import").await;
        assert_eq!(finished(&app.db, id).await, (1, [1, 0, 0, 0, 0]));

        let second = format!(
            "{people}Carla Dias,carla@new.test,+55 11 90000-0001\r\n\
             Carla Dias,carla@new.test,\r\n\
             Carla Antiga,carla@old.test,\r\n"
        );
        let id = upload(&app.base, &client, second.as_bytes()).await;
        start(&app.base, &client, id, &fields, stage, "update", "import").await;
        assert_eq!(finished(&app.db, id).await, (3, [1, 1, 1, 0, 0]));
        let contacts: Vec<(String, Option<String>)> = sqlx::query_as(
            "SELECT full_name, email FROM contacts WHERE account_id = $1 ORDER BY id",
        )
        .bind(account_id)
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(
            contacts,
            [
                ("Carla Dias".to_string(), Some("carla@new.test".to_string())),
                (
                    "Carla Antiga".to_string(),
                    Some("carla@old.test".to_string())
                )
            ]
        );

        let deals = "Deal - Title,Organization - Name\r\n\
                     Plano anual,Delta\r\n\
                     Plano anual,Delta\r\n\
                     Plano anual,\r\n";
        let id = upload(&app.base, &client, deals.as_bytes()).await;
        let fields = suggested(&app.db, id).await;
        start(&app.base, &client, id, &fields, stage, "update", "import").await;
        assert_eq!(finished(&app.db, id).await, (3, [2, 0, 1, 0, 0]));
        let deals: Vec<(String, Option<String>)> = sqlx::query_as(
            "SELECT d.title, o.name FROM deals d LEFT JOIN organizations o ON o.id = d.organization_id \
             WHERE d.account_id = $1 ORDER BY d.id",
        )
        .bind(account_id)
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(
            deals,
            [
                ("Plano anual".to_string(), Some("Delta".to_string())),
                ("Plano anual".to_string(), None)
            ]
        );
    }
}

#[tokio::test]
async fn bad_files_and_forms_are_refused_naming_the_field() {
    for db in backends().await {
        let app = TestApp::start_with_worker(db, crate::receiver::allow_local()).await;
        let (account_id, email, password) = app.account("Refusals").await;
        let client = app.signed_in(&email, &password).await;
        let stage = first_stage(&app.db, account_id).await;

        // An empty file comes back to the page with the reason, and nothing is kept.
        let (content_type, body) = multipart("empty.csv", b"");
        let res = client
            .post(app.url("/import/upload"))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 303);
        let location = res.headers()["location"].to_str().unwrap();
        assert!(location.starts_with("/import?error="), "{location}");
        let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM imports WHERE account_id = $1")
            .bind(account_id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(count, 0);

        let id = upload(&app.base, &client, PIPEDRIVE.as_bytes()).await;
        let fields = suggested(&app.db, id).await;
        // A field on two columns, an unknown field, a stage of nobody's.
        let mut twice = fields.clone();
        twice[0] = "deal_title".into();
        let mut unknown = fields.clone();
        unknown[3] = "deal_colour".into();
        for (fields, stage, error) in [
            (twice, stage, "column_0"),
            (unknown, stage, "column_3"),
            (fields.clone(), 999_999, "stage"),
        ] {
            let res = client
                .post(app.url(&format!("/import/{id}/start")))
                .form(&form_of(&fields, stage, "skip", "import"))
                .send()
                .await
                .unwrap();
            let location = res.headers()["location"].to_str().unwrap();
            assert!(
                location.starts_with(&format!("/import/{id}?error=")),
                "{error}: {location}"
            );
            assert_eq!(state(&app.db, id).await.0, "ready", "{error}");
        }

        // Another account's import is not there; a salesperson may not import.
        let (_, other_email, other_password) = app.account("Other").await;
        let other = app.signed_in(&other_email, &other_password).await;
        let res = other
            .get(app.url(&format!("/import/{id}/refused.csv")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 404);
        let res = other
            .get(app.url(&format!("/import/{id}/progress")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 404);
        let res = other
            .post(app.url(&format!("/import/{id}/start")))
            .form(&form_of(&fields, stage, "skip", "import"))
            .send()
            .await
            .unwrap();
        let location = res.headers()["location"].to_str().unwrap();
        assert!(location.starts_with("/import?error="), "{location}");
        assert_eq!(
            state(&app.db, id).await.0,
            "ready",
            "another account started it"
        );
        let rep_email = format!("rep-{id}@refusals.test");
        accounts::create_user(
            &app.db,
            account_id,
            &rep_email,
            "Rep",
            "correct horse battery",
            dealflow::domain::Role::Sales,
        )
        .await
        .unwrap();
        let rep = app.signed_in(&rep_email, "correct horse battery").await;
        let res = rep
            .get(app.url(&format!("/import/{id}/refused.csv")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 403);
        let (content_type, body) = multipart("rep.csv", PIPEDRIVE.as_bytes());
        let res = rep
            .post(app.url("/import/upload"))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        let location = res.headers()["location"].to_str().unwrap();
        assert!(location.starts_with("/import?error="), "{location}");
    }
}

#[tokio::test]
async fn an_export_imported_into_another_account_exports_the_same() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start_with_worker(db, crate::receiver::allow_local()).await;
        let (a, a_email, password) = app.account("Round trip A").await;
        let (b, b_email, _) = app.account("Round trip B").await;
        let client_a = app.signed_in(&a_email, &password).await;
        let client_b = app.signed_in(&b_email, &password).await;

        let id = upload(&app.base, &client_a, PIPEDRIVE.as_bytes()).await;
        let fields = suggested(&app.db, id).await;
        start(
            &app.base,
            &client_a,
            id,
            &fields,
            first_stage(&app.db, a).await,
            "update",
            "import",
        )
        .await;
        finished(&app.db, id).await;

        let export = |client: reqwest::Client| {
            let url = app.url("/export/table.csv");
            async move { client.get(url).send().await.unwrap().text().await.unwrap() }
        };
        let exported = export(client_a.clone()).await;
        let id = upload(&app.base, &client_b, exported.as_bytes()).await;
        let fields = suggested(&app.db, id).await;
        assert_eq!(
            fields[0], "deal_external_id",
            "our own export maps itself: {fields:?}"
        );
        start(
            &app.base,
            &client_b,
            id,
            &fields,
            first_stage(&app.db, b).await,
            "update",
            "import",
        )
        .await;
        assert_eq!(finished(&app.db, id).await, (4, [4, 0, 0, 0, 0]));
        let again = export(client_b).await;
        let without_ids = |csv: &str| -> Vec<String> {
            csv.split("\r\n")
                .skip(1)
                .map(|l| {
                    l.split_once(',')
                        .map(|(_, rest)| rest.to_string())
                        .unwrap_or_default()
                })
                .collect()
        };
        assert_eq!(without_ids(&again), without_ids(&exported));
    }
}

/// A server killed while it imports: the next one resumes after the last batch written, and
/// every row ends imported exactly once.
#[tokio::test]
async fn an_import_killed_midway_resumes_and_imports_each_row_once() {
    for url in backend_urls().await {
        let db = Db::connect(&url).await.unwrap();
        let (account_id, email, password) = crate::support::new_account(&db, "Killed").await;
        let mut csv =
            String::from("Deal - ID,Deal - Title,Deal - Value,Person - Name,Person - Email\n");
        let rows = 3_000;
        for i in 0..rows {
            csv.push_str(&format!(
                "{i},Deal {i},{}.00,Person {},person{}@killed.test\n",
                i % 1000,
                i % 700,
                i % 700
            ));
        }
        let mut first = Instance::start(&url, free_port()).await;
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let res = client
            .post(first.url("/rpc/login"))
            .header("accept", "application/json")
            .form(&[
                ("email", email.as_str()),
                ("password", &password),
                ("next", "/"),
            ])
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success(), "login: {}", res.status());
        let id = upload(&first.base(), &client, csv.as_bytes()).await;
        let fields = suggested(&db, id).await;
        start(
            &first.base(),
            &client,
            id,
            &fields,
            first_stage(&db, account_id).await,
            "update",
            "import",
        )
        .await;
        // Killed once a few batches are in.
        wait_for(Duration::from_secs(60), "some rows imported", || async {
            let (_, done, _) = state(&db, id).await;
            (done >= 500).then_some(())
        })
        .await;
        first.kill();
        let (status, done_at_kill, _) = state(&db, id).await;
        assert_eq!(
            status, "running",
            "the import ended before the kill; make the file longer"
        );
        assert!(done_at_kill < rows, "{done_at_kill}");

        let _second = Instance::start(&url, free_port()).await;
        let (done, counts) = finished(&db, id).await;
        assert_eq!(done, rows);
        assert_eq!(counts, [rows, 0, 0, 0, 0]);
        let (deals, distinct): (i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), COUNT(DISTINCT external_id) FROM deals WHERE account_id = $1",
        )
        .bind(account_id)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!((deals, distinct), (rows, rows), "each row once");
        let (people,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM contacts WHERE account_id = $1")
                .bind(account_id)
                .fetch_one(&db.pool)
                .await
                .unwrap();
        assert_eq!(people, 700);
        let (reported,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM import_rows WHERE import_id = $1")
                .bind(id)
                .fetch_one(&db.pool)
                .await
                .unwrap();
        assert_eq!(reported, rows);
    }
}
