//! Settings over HTTP on both databases: users (each change refused to salespeople),
//! organizations and contact edits.

use dealflow::domain::{AccountId, CurrentUser, OrganizationId, Role, UserId};
use dealflow::server::auth::session_user::load_user;
use dealflow::server::services::accounts::team;
use dealflow::server::services::contacts::{self, NewContact};
use dealflow::server::services::deals::{self, NewDeal};
use dealflow::server::services::{accounts, organizations, Actor};
use dealflow::server::ServiceError;

use crate::fixtures::field_of;
use crate::support::{backends, TestApp};

fn forbidden<T: std::fmt::Debug>(r: Result<T, ServiceError>) -> bool {
    matches!(r, Err(ServiceError::Forbidden(_)))
}

/// An account with its owner, an admin and a salesperson, as signed-in users.
struct Team {
    account_id: AccountId,
    owner: CurrentUser,
    admin: CurrentUser,
    sales: CurrentUser,
    owner_email: String,
    password: String,
}

async fn team_of(app: &TestApp, name: &str) -> Team {
    let (account_id, owner_email, password) = app.account(name).await;
    let tag = name.to_lowercase().replace(' ', "-");
    let mut users = Vec::new();
    for (who, role) in [("admin", Role::Admin), ("sales", Role::Sales)] {
        let id = accounts::create_user(
            &app.db,
            account_id,
            &format!("{who}-{tag}-{account_id}@team.test"),
            who,
            "password-1",
            role,
        )
        .await
        .unwrap();
        users.push(load_user(&app.db, id).await.unwrap().unwrap());
    }
    let owner_id: (UserId,) = sqlx::query_as("SELECT id FROM users WHERE email = $1")
        .bind(&owner_email)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let sales = users.pop().unwrap();
    let admin = users.pop().unwrap();
    Team {
        account_id,
        owner: load_user(&app.db, owner_id.0).await.unwrap().unwrap(),
        admin,
        sales,
        owner_email,
        password,
    }
}

#[tokio::test]
async fn team_rules_keep_an_owner_and_lock_out_deactivated_users() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let t = team_of(&app, "People").await;
        assert!(forbidden(
            team::invite(
                &app.db,
                &t.sales,
                "x@team.test",
                "X",
                "password-1",
                Role::Sales
            )
            .await
        ));
        assert!(
            forbidden(
                team::invite(
                    &app.db,
                    &t.admin,
                    "x@team.test",
                    "X",
                    "password-1",
                    Role::Owner
                )
                .await
            ),
            "admins do not make owners"
        );
        assert_eq!(
            field_of(
                team::invite(
                    &app.db,
                    &t.admin,
                    "not-an-email",
                    "X",
                    "password-1",
                    Role::Sales
                )
                .await
            ),
            "email"
        );
        assert_eq!(
            field_of(
                team::invite(&app.db, &t.admin, "x@team.test", "X", "short", Role::Sales).await
            ),
            "password"
        );
        let new = team::invite(
            &app.db,
            &t.admin,
            "x@team.test",
            "Xavier",
            "password-1",
            Role::Sales,
        )
        .await
        .unwrap();
        assert!(matches!(
            team::invite(
                &app.db,
                &t.admin,
                "X@team.test",
                "Again",
                "password-1",
                Role::Sales
            )
            .await,
            Err(ServiceError::Conflict(_))
        ));

        // Admins never manage owners; nobody deactivates themselves; one owner stays.
        assert!(forbidden(
            team::set_active(&app.db, &t.admin, t.owner.id, false).await
        ));
        assert!(forbidden(
            team::change_role(&app.db, &t.admin, t.owner.id, Role::Sales).await
        ));
        assert!(forbidden(
            team::change_role(&app.db, &t.sales, new, Role::Admin).await
        ));
        assert!(matches!(
            team::set_active(&app.db, &t.owner, t.owner.id, false).await,
            Err(ServiceError::Conflict(_))
        ));
        assert!(matches!(
            team::change_role(&app.db, &t.owner, t.owner.id, Role::Admin).await,
            Err(ServiceError::Conflict(_))
        ));
        team::change_role(&app.db, &t.admin, new, Role::Admin)
            .await
            .unwrap();
        team::change_role(&app.db, &t.owner, t.admin.id, Role::Owner)
            .await
            .unwrap();
        team::change_role(&app.db, &t.owner, t.owner.id, Role::Admin)
            .await
            .unwrap();
        let roles: Vec<(String, String)> = team::members(&app.db, t.account_id)
            .await
            .unwrap()
            .into_iter()
            .map(|m| (m.name, m.role))
            .collect();
        assert!(roles.contains(&("admin".into(), "owner".into())));
        assert!(roles.contains(&("Owner Person".into(), "admin".into())));
        assert!(roles.contains(&("Xavier".into(), "admin".into())));

        // A deactivated user can neither log in nor keep using a session.
        let sales_email = format!("sales-people-{}@team.test", t.account_id);
        let client = app.signed_in(&sales_email, "password-1").await;
        let (status, _) = app.rpc(&client, "team", &[]).await;
        assert_eq!(status, 200);
        // The session row names its user (loading it loads them); the user it loads is never
        // stored with it.
        let rows: Vec<(String,)> = sqlx::query_as("SELECT data FROM sessions WHERE user_id = $1")
            .bind(t.sales.id)
            .fetch_all(&app.db.pool)
            .await
            .unwrap();
        assert!(!rows.is_empty(), "the session names its user");
        assert!(
            rows.iter().all(|(d,)| !d.contains("active_user")),
            "{rows:?}"
        );
        let new_admin = load_user(&app.db, t.admin.id).await.unwrap().unwrap();
        team::set_active(&app.db, &new_admin, t.sales.id, false)
            .await
            .unwrap();
        let (status, _) = app.rpc(&client, "team", &[]).await;
        assert_eq!(status, 401, "the open session stopped working");
        let res = app.login(&app.client(), &sales_email, "password-1").await;
        assert!(
            !res.status().is_success(),
            "login refused: {}",
            res.status()
        );
        team::set_active(&app.db, &new_admin, t.sales.id, true)
            .await
            .unwrap();
        app.signed_in(&sales_email, "password-1").await;

        // Over HTTP: a salesperson is refused with 403, the owner's settings page lists users.
        let (status, _) = app
            .rpc(
                &client,
                "change_user",
                &[("id", new.to_string()), ("op", "deactivate".into())],
            )
            .await;
        assert!(status == 401 || status == 403, "{status}");
        let sales_client = app.signed_in(&sales_email, "password-1").await;
        let (status, _) = app
            .rpc(
                &sales_client,
                "save_stage",
                &[("pipeline_id", "1".into()), ("name", "Mine".into())],
            )
            .await;
        assert!(status == 403 || status == 404, "{status}");
        let (status, _) = app
            .rpc(
                &sales_client,
                "change_user",
                &[("id", new.to_string()), ("op", "deactivate".into())],
            )
            .await;
        assert_eq!(status, 403);
        let owner_client = app.signed_in(&t.owner_email, &t.password).await;
        let (status, html) = app.page(&owner_client, "/settings").await;
        assert_eq!(status, 200);
        for section in [
            "pipeline-settings",
            "tag-settings",
            "product-settings",
            "team-settings",
        ] {
            assert!(html.contains(section), "{section} on the settings page");
        }
        assert!(html.contains("Xavier"));
    }
}

#[tokio::test]
async fn organizations_list_and_detail_and_contacts_are_edited() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let t = team_of(&app, "Orgs").await;
        let actor = Actor {
            account_id: t.account_id,
            user_id: Some(t.owner.id),
        };
        let mut orgs = Vec::new();
        for i in 0..27 {
            orgs.push(
                organizations::create_organization(&app.db, actor, &format!("Company {i:02}"))
                    .await
                    .unwrap(),
            );
        }
        assert_eq!(
            field_of(organizations::create_organization(&app.db, actor, "company 03").await),
            "name"
        );
        let acme = orgs[3];
        let ana = contacts::create_contact(
            &app.db,
            actor,
            NewContact {
                full_name: "Ana".into(),
                email: Some("ana@acme.test".into()),
                phone: Some("+55 11 98765-4321".into()),
                organization_id: Some(acme),
            },
        )
        .await
        .unwrap();
        let bob = contacts::create_contact(
            &app.db,
            actor,
            NewContact {
                full_name: "Bob".into(),
                email: Some("bob@acme.test".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        deals::create_deal(
            &app.db,
            actor,
            NewDeal {
                title: "Acme rollout".into(),
                organization_id: Some(acme),
                contact_id: Some(ana.id),
                ..Default::default()
            },
        )
        .await
        .unwrap();

        // Contact edits share creation's checks; a contact's own e-mail is no duplicate.
        let edit = |name: &str, email: &str, phone: &str, org: Option<OrganizationId>| NewContact {
            full_name: name.into(),
            email: Some(email.into()),
            phone: Some(phone.into()),
            organization_id: org,
        };
        let kept = contacts::update_contact(
            &app.db,
            actor,
            bob.id,
            edit(
                "Bob Stone",
                "bob@acme.test",
                "+1 (415) 555-0100",
                Some(acme),
            ),
        )
        .await
        .unwrap();
        assert_eq!(
            (
                kept.full_name.as_str(),
                kept.phone.as_deref(),
                kept.organization_id
            ),
            ("Bob Stone", Some("+14155550100"), Some(acme))
        );
        assert_eq!(
            field_of(
                contacts::update_contact(
                    &app.db,
                    actor,
                    bob.id,
                    edit("Bob", "ANA@acme.test", "", None)
                )
                .await
            ),
            "email"
        );
        assert_eq!(
            field_of(
                contacts::update_contact(
                    &app.db,
                    actor,
                    bob.id,
                    edit("Bob", "", "+5511987654321", None)
                )
                .await
            ),
            "phone"
        );
        assert_eq!(
            field_of(
                contacts::update_contact(&app.db, actor, bob.id, edit("Bob", "", "12", None)).await
            ),
            "phone"
        );
        let other = team_of(&app, "Other orgs").await;
        let foreign_actor = Actor {
            account_id: other.account_id,
            user_id: Some(other.owner.id),
        };
        let foreign_org = organizations::create_organization(&app.db, foreign_actor, "Theirs")
            .await
            .unwrap();
        assert_eq!(
            field_of(
                contacts::update_contact(
                    &app.db,
                    actor,
                    bob.id,
                    edit("Bob", "", "", Some(foreign_org))
                )
                .await
            ),
            "organization_id"
        );
        assert!(matches!(
            contacts::update_contact(&app.db, foreign_actor, bob.id, edit("Mine", "", "", None))
                .await,
            Err(ServiceError::NotFound(_))
        ));
        let unchanged = contacts::get_contact(&app.db, actor, bob.id).await.unwrap();
        assert_eq!(unchanged, kept, "refused edits saved nothing");

        // Pages: search, pagination, counts, detail; another account's organization is not found.
        let client = app.signed_in(&t.owner_email, &t.password).await;
        let (_, html) = app.page(&client, "/organizations").await;
        assert!(html.contains("27 organizations · page 1 of 2"), "pager");
        let (_, html) = app.page(&client, "/organizations?page=2").await;
        assert!(html.contains("Company 26") && !html.contains("Company 00"));
        let (_, html) = app.page(&client, "/organizations?q=pany%2003").await;
        assert!(html.contains("1 organizations · page 1 of 1"), "search");
        let (_, html) = app.page(&client, "/organizations?q=nothing-like-it").await;
        assert!(html.contains("No organization matches this search."));
        let (status, html) = app.page(&client, &format!("/organizations/{acme}")).await;
        assert_eq!(status, 200);
        assert!(html.contains("2 contacts · 1 open deal"), "counts");
        assert!(
            html.contains("Ana") && html.contains("Bob Stone") && html.contains("Acme rollout")
        );
        let (_, html) = app
            .page(&client, &format!("/organizations/{foreign_org}"))
            .await;
        assert!(html.contains("This organization could not be loaded."));
        let (status, body) = app
            .rpc(
                &client,
                "edit_contact",
                &[
                    ("id", ana.id.to_string()),
                    ("full_name", "Ana Lima".into()),
                    ("email", "bob@acme.test".into()),
                ],
            )
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("Bob Stone already has the e-mail"), "{body}");
        let (status, _) = app
            .rpc(
                &client,
                "edit_contact",
                &[
                    ("id", ana.id.to_string()),
                    ("full_name", "Ana Lima".into()),
                    ("organization_id", acme.to_string()),
                ],
            )
            .await;
        assert_eq!(status, 200);
        let (_, html) = app.page(&client, &format!("/contacts/{}", ana.id)).await;
        assert!(html.contains("Ana Lima") && html.contains(&format!("/organizations/{acme}")));
    }
}
