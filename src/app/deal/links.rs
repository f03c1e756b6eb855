//! The deal's people, team, tags and custom attributes: small forms, one change each.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::app::error::AppError;
use crate::app::feedback::RpcForm;
use crate::domain::catalog::Choice;
use crate::domain::deal::DealDetail;
use crate::domain::{DealId, UserId};
use crate::i18n::{tr, tr_args};

use super::{region, LinkedSentence};

/// Adds or removes an assignee, follower, person or tag, or makes a person the primary one.
/// `kind`: assignee | follower | person | tag; `op`: add | remove | primary.
#[server(prefix = "/rpc", endpoint = "change_deal_link")]
pub async fn change_deal_link(
    id: DealId,
    kind: String,
    op: String,
    target: String,
) -> Result<(), AppError> {
    use crate::app::server_ctx::{form_id, signed_in};
    use crate::server::services::deals::links::{self, Link};
    use crate::server::ServiceError;
    let (state, me) = signed_in().await?;
    let Some(target) = form_id(&kind, &target)? else {
        return Err(AppError::from(ServiceError::invalid(
            &kind,
            tr("deal-error-choose-from-list"),
        )));
    };
    let link = match kind.as_str() {
        "assignee" => Link::Assignee(UserId(target)),
        "follower" => Link::Follower(UserId(target)),
        "person" => Link::Person(crate::domain::ContactId(target)),
        "tag" => Link::Tag(target),
        other => {
            return Err(AppError::from(ServiceError::invalid(
                "kind",
                tr_args("deal-error-unknown-link", &[("kind", other.into())]),
            )))
        }
    };
    let (db, actor) = (&state.db, (&me).into());
    match (op.as_str(), link) {
        ("add", _) => links::add_link(db, actor, id, link).await,
        ("remove", _) => links::remove_link(db, actor, id, link).await,
        ("primary", Link::Person(contact)) => {
            links::set_primary_person(db, actor, id, contact).await
        }
        (other, _) => Err(ServiceError::invalid(
            "op",
            tr_args("deal-error-unknown-operation", &[("op", other.into())]),
        )),
    }
    .map_err(AppError::from)
}

/// Sets a custom attribute, or removes it when `remove` is set.
#[server(prefix = "/rpc", endpoint = "edit_deal_attribute")]
pub async fn edit_deal_attribute(
    id: DealId,
    key: String,
    #[server(default)] value: String,
    #[server(default)] remove: String,
) -> Result<(), AppError> {
    use crate::app::server_ctx::signed_in;
    use crate::server::services::deals::links;
    let (state, me) = signed_in().await?;
    let actor = (&me).into();
    if remove.is_empty() {
        links::set_attribute(&state.db, actor, id, &key, &value).await
    } else {
        links::remove_attribute(&state.db, actor, id, &key).await
    }
    .map_err(AppError::from)
}

const INPUT: &str = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";
const SMALL_BUTTON: &str = "rounded-md border border-slate-300 px-2 py-1 text-sm hover:bg-slate-50";

/// A small form that posts one link change.
#[component]
fn LinkButton(
    deal_id: DealId,
    kind: &'static str,
    op: &'static str,
    target: i64,
    label: String,
    #[prop(optional)] class: &'static str,
) -> impl IntoView {
    view! {
        <RpcForm action=ChangeDealLink::PATH refresh=region::LINKS attr:class="inline">
            <input type="hidden" name="id" value=deal_id.to_string() />
            <input type="hidden" name="kind" value=kind />
            <input type="hidden" name="op" value=op />
            <input type="hidden" name="target" value=target.to_string() />
            <button type="submit" class=if class.is_empty() { "text-xs text-slate-500 hover:text-red-700 hover:underline" } else { class }>{label}</button>
        </RpcForm>
    }
}

/// A picker that adds one more link of `kind`, offering what is not linked yet.
#[component]
fn AddLink(
    deal_id: DealId,
    kind: &'static str,
    label: String,
    options: Vec<Choice>,
) -> impl IntoView {
    if options.is_empty() {
        return ().into_any();
    }
    let prompt = label.clone();
    view! {
        <RpcForm action=ChangeDealLink::PATH refresh=region::LINKS attr:class="mt-2 flex gap-2" attr:data-testid=format!("add-{kind}")>
            <input type="hidden" name="id" value=deal_id.to_string() />
            <input type="hidden" name="kind" value=kind />
            <input type="hidden" name="op" value="add" />
            <select name="target" class=format!("{INPUT} min-w-0 grow") aria-label=label required>
                <option value="">{prompt}</option>
                {options.into_iter().map(|c| view! { <option value=c.id.to_string()>{c.name}</option> }).collect_view()}
            </select>
            <button type="submit" class=SMALL_BUTTON>{tr("deal-add")}</button>
        </RpcForm>
    }
    .into_any()
}

/// Choices not already in `taken`.
fn remaining(all: &[Choice], taken: impl Fn(i64) -> bool) -> Vec<Choice> {
    all.iter().filter(|c| !taken(c.id)).cloned().collect()
}

/// Persons linked to the deal, the primary one marked.
#[component]
pub fn PeoplePanel(d: DealDetail) -> impl IntoView {
    let deal_id = d.id;
    let options = remaining(&d.choices.contacts, |id| {
        d.persons.iter().any(|p| i64::from(p.contact_id) == id)
    });
    view! {
        <section class="rounded-lg bg-white p-4 shadow-sm" data-testid="persons">
            <h2 class="font-semibold mb-2">{tr("deal-people")}</h2>
            {if d.persons.is_empty() {
                view! { <p class="text-sm text-slate-500">{tr("deal-no-people")}</p> }.into_any()
            } else {
                view! {
                    <ul class="space-y-1 text-sm">
                        {d.persons.into_iter().map(|p| view! {
                            <li class="flex flex-wrap items-center gap-2" data-testid="person">
                                <a class="font-medium text-indigo-700 underline" href=format!("/contacts/{}", p.contact_id)>{p.name.clone()}</a>
                                {if p.primary {
                                    view! { <span class="rounded bg-indigo-100 px-1.5 text-xs text-indigo-800" data-testid="primary">{tr("deal-primary")}</span> }.into_any()
                                } else {
                                    view! { <LinkButton deal_id=deal_id kind="person" op="primary" target=p.contact_id.0 label=tr("deal-make-primary")
                                        class="text-xs text-indigo-700 hover:underline" /> }.into_any()
                                }}
                                <span class="text-xs text-slate-500">{p.email.clone().or(p.phone.clone()).unwrap_or_default()}</span>
                                <span class="ml-auto"><LinkButton deal_id=deal_id kind="person" op="remove" target=p.contact_id.0 label=tr("deal-remove") /></span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <AddLink deal_id=deal_id kind="person" label=tr("deal-add-contact") options=options />
            {d.choices.contacts.is_empty().then(|| view! {
                <p class="mt-2 text-xs text-slate-500">
                    <LinkedSentence id="deal-no-contacts" link_id="deal-no-contacts-link" href="/contacts" />
                </p>
            })}
        </section>
    }
}

/// Assignees and followers.
#[component]
pub fn TeamPanel(d: DealDetail, me: Option<UserId>) -> impl IntoView {
    let deal_id = d.id;
    let all: Vec<Choice> = d
        .choices
        .users
        .iter()
        .map(|u| Choice {
            id: u.id.into(),
            name: u.name.clone(),
        })
        .collect();
    let following = me.is_some_and(|me| d.followers.iter().any(|f| f.id == i64::from(me)));
    let list = |kind: &'static str, people: Vec<Choice>| {
        if people.is_empty() {
            view! { <p class="text-sm text-slate-500">{tr("deal-nobody-yet")}</p> }.into_any()
        } else {
            view! {
                <ul class="flex flex-wrap gap-2 text-sm" data-testid=format!("{kind}s")>
                    {people.into_iter().map(|u| view! {
                        <li class="flex items-center gap-1 rounded-full bg-slate-100 px-2 py-0.5">
                            <span>{u.name.clone()}</span>
                            <LinkButton deal_id=deal_id kind=kind op="remove" target=u.id label="×".into() />
                        </li>
                    }).collect_view()}
                </ul>
            }
            .into_any()
        }
    };
    let assignee_options = remaining(&all, |id| d.assignees.iter().any(|a| a.id == id));
    let follower_options = remaining(&all, |id| d.followers.iter().any(|a| a.id == id));
    view! {
        <section class="rounded-lg bg-white p-4 shadow-sm">
            <h2 class="font-semibold mb-2">{tr("deal-assignees")}</h2>
            {list("assignee", d.assignees.clone())}
            <AddLink deal_id=deal_id kind="assignee" label=tr("deal-assign-someone") options=assignee_options />
            <div class="mt-4 flex items-center">
                <h2 class="font-semibold">{tr("deal-followers")}</h2>
                {me.map(|me| view! {
                    <span class="ml-auto">
                        <LinkButton deal_id=deal_id kind="follower" op=if following { "remove" } else { "add" } target=me.into()
                            label=if following { tr("deal-unfollow") } else { tr("deal-follow") } class=SMALL_BUTTON />
                    </span>
                })}
            </div>
            {list("follower", d.followers.clone())}
            <AddLink deal_id=deal_id kind="follower" label=tr("deal-add-follower") options=follower_options />
        </section>
    }
}

/// Tags on the deal.
#[component]
pub fn TagsPanel(d: DealDetail) -> impl IntoView {
    let deal_id = d.id;
    let options = remaining(&d.choices.tags, |id| d.tags.iter().any(|t| t.id == id));
    view! {
        <section class="rounded-lg bg-white p-4 shadow-sm">
            <h2 class="font-semibold mb-2">{tr("deal-tags")}</h2>
            {if d.tags.is_empty() {
                view! { <p class="text-sm text-slate-500">{tr("deal-no-tags")}</p> }.into_any()
            } else {
                view! {
                    <ul class="flex flex-wrap gap-2 text-sm" data-testid="tags">
                        {d.tags.into_iter().map(|t| view! {
                            <li class="flex items-center gap-1 rounded-full bg-amber-100 px-2 py-0.5 text-amber-900">
                                <span>{t.name.clone()}</span>
                                <LinkButton deal_id=deal_id kind="tag" op="remove" target=t.id label="×".into() />
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <AddLink deal_id=deal_id kind="tag" label=tr("deal-add-tag") options=options />
            {d.choices.tags.is_empty().then(|| view! {
                <p class="mt-2 text-xs text-slate-500">
                    <LinkedSentence id="deal-tags-in-settings" link_id="deal-settings-link" href="/settings" />
                </p>
            })}
        </section>
    }
}

/// Custom attributes as key / value rows.
#[component]
pub fn AttributesPanel(d: DealDetail) -> impl IntoView {
    let deal_id = d.id;
    view! {
        <section class="rounded-lg bg-white p-4 shadow-sm">
            <h2 class="font-semibold mb-2">{tr("deal-attributes")}</h2>
            {if d.custom_attributes.is_empty() {
                view! { <p class="text-sm text-slate-500">{tr("deal-attributes-none")}</p> }.into_any()
            } else {
                view! {
                    <dl class="space-y-1 text-sm" data-testid="attributes">
                        {d.custom_attributes.into_iter().map(|(k, v)| view! {
                            <div class="flex items-center gap-2">
                                <dt class="text-slate-500">{k.clone()}</dt>
                                <dd class="font-medium">{v}</dd>
                                <RpcForm action=EditDealAttribute::PATH refresh=region::LINKS attr:class="ml-auto">
                                    <input type="hidden" name="id" value=deal_id.to_string() />
                                    <input type="hidden" name="key" value=k.clone() />
                                    <input type="hidden" name="remove" value="1" />
                                    <button type="submit" class="text-xs text-slate-500 hover:text-red-700 hover:underline"
                                        aria-label=tr_args("deal-attribute-remove", &[("key", k.clone().into())])>{tr("deal-remove")}</button>
                                </RpcForm>
                            </div>
                        }).collect_view()}
                    </dl>
                }.into_any()
            }}
            <RpcForm action=EditDealAttribute::PATH refresh=region::LINKS attr:class="mt-2 flex gap-2" attr:data-testid="attribute-form">
                <input type="hidden" name="id" value=deal_id.to_string() />
                <input name="key" required maxlength="50" placeholder=tr("deal-attribute-key-placeholder") aria-label=tr("deal-attribute-key") class=format!("{INPUT} w-28") />
                <input name="value" maxlength="500" placeholder=tr("deal-attribute-value-placeholder") aria-label=tr("deal-attribute-value") class=format!("{INPUT} min-w-0 grow") />
                <button type="submit" class=SMALL_BUTTON>{tr("deal-attribute-set")}</button>
            </RpcForm>
        </section>
    }
}
