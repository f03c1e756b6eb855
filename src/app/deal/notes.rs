//! Notes on the deal and its timeline: pinned notes on top, then events, notes and done
//! activities newest first.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::app::error::AppError;
use crate::domain::deal::{NoteItem, TimelineItem};
use crate::domain::{DealId, NoteId};
use crate::i18n::{tr, tr_args};

use super::region;
use crate::app::feedback::RpcForm;

/// Adds a note to the deal.
#[server(prefix = "/rpc", endpoint = "add_deal_note")]
pub async fn add_deal_note(id: DealId, content: String) -> Result<(), AppError> {
    use crate::app::server_ctx::signed_in;
    let (state, me) = signed_in().await?;
    crate::server::services::deals::notes::add_note(&state.db, (&me).into(), id, &content)
        .await
        .map(|_| ())
        .map_err(AppError::from)
}

/// Pins, unpins or deletes a note (`op`: pin | unpin | delete).
#[server(prefix = "/rpc", endpoint = "change_note")]
pub async fn change_note(note_id: NoteId, op: String) -> Result<(), AppError> {
    use crate::app::server_ctx::signed_in;
    use crate::server::services::deals::notes;
    use crate::server::ServiceError;
    let (state, me) = signed_in().await?;
    match op.as_str() {
        "pin" => notes::set_pinned(&state.db, (&me).into(), note_id, true).await,
        "unpin" => notes::set_pinned(&state.db, (&me).into(), note_id, false).await,
        "delete" => notes::delete_note(&state.db, &me, note_id).await,
        other => Err(ServiceError::invalid(
            "op",
            tr_args("deal-error-unknown-operation", &[("op", other.into())]),
        )),
    }
    .map_err(AppError::from)
}

/// Stored times as the timeline shows them: on the reader's clock.
use crate::app::clock::when;

#[component]
fn Note(n: NoteItem) -> impl IntoView {
    let id = n.id;
    view! {
        <div class=if n.pinned { "rounded-md border border-amber-200 bg-amber-50 p-3" } else { "rounded-md bg-slate-50 p-3" }
            data-testid=if n.pinned { "pinned-note" } else { "note" }>
            <p class="whitespace-pre-wrap text-sm">{n.content}</p>
            <div class="mt-1 flex items-center gap-3 text-xs text-slate-500">
                <time datetime=n.at.clone()>{when(&n.at)}</time>
                {n.user_name.map(|u| view! { <span>{u}</span> })}
                <RpcForm action=ChangeNote::PATH refresh=&[region::NOTES] attr:class="ml-auto">
                    <input type="hidden" name="note_id" value=id.to_string() />
                    <input type="hidden" name="op" value=if n.pinned { "unpin" } else { "pin" } />
                    <button type="submit" class="hover:underline">{if n.pinned { tr("deal-note-unpin") } else { tr("deal-note-pin") }}</button>
                </RpcForm>
                <RpcForm action=ChangeNote::PATH refresh=&[region::NOTES] confirm=tr("deal-note-delete-confirm")>
                    <input type="hidden" name="note_id" value=id.to_string() />
                    <input type="hidden" name="op" value="delete" />
                    <button type="submit" class="text-red-700 hover:underline">{tr("deal-note-delete")}</button>
                </RpcForm>
            </div>
        </div>
    }
}

/// The note composer, pinned notes, and the interleaved timeline.
#[component]
pub fn TimelinePanel(
    deal_id: DealId,
    pinned: Vec<NoteItem>,
    timeline: Vec<TimelineItem>,
) -> impl IntoView {
    view! {
        <section id=region::NOTES class="rounded-lg bg-white p-4 shadow-sm">
            <h2 class="font-semibold mb-3">{tr("deal-notes-history")}</h2>
            <RpcForm action=AddDealNote::PATH refresh=&[region::NOTES] attr:class="mb-4" attr:data-testid="note-form">
                <input type="hidden" name="id" value=deal_id.to_string() />
                <textarea name="content" required rows="2" maxlength="10000" placeholder=tr("deal-note-placeholder") aria-label=tr("deal-note")
                    class="block w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm"></textarea>
                <button type="submit" class="mt-2 rounded-md bg-slate-800 px-3 py-1 text-sm text-white disabled:opacity-60">{tr("deal-note-add")}</button>
            </RpcForm>
            {(!pinned.is_empty()).then(|| view! {
                <div class="mb-4 space-y-2" data-testid="pinned-notes">
                    {pinned.into_iter().map(|n| view! { <Note n=n /> }).collect_view()}
                </div>
            })}
            {if timeline.is_empty() {
                view! { <p class="text-sm text-slate-500">{tr("deal-timeline-empty")}</p> }.into_any()
            } else {
                view! {
                    <ol class="space-y-2" data-testid="timeline">
                        {timeline.into_iter().map(|item| match item {
                            TimelineItem::Event(e) => view! {
                                <li class="flex gap-3 text-sm" data-testid="event">
                                    <time class="w-36 shrink-0 text-slate-500" datetime=e.at.clone()>{when(&e.at)}</time>
                                    <span>{e.text}</span>
                                    {e.user_name.map(|n| view! { <span class="text-slate-600" data-testid="timeline-user">{format!("· {n}")}</span> })}
                                </li>
                            }.into_any(),
                            TimelineItem::Note(n) => view! { <li><Note n=n /></li> }.into_any(),
                            TimelineItem::Activity(a) => view! {
                                <li class="flex gap-3 text-sm" data-testid="done-activity">
                                    <time class="w-36 shrink-0 text-slate-500">{when(a.done_at.as_deref().unwrap_or_default())}</time>
                                    <span>{tr_args("deal-timeline-completed", &[("kind", a.kind.into()), ("title", a.title.into())])}</span>
                                    {a.user_name.map(|n| view! { <span class="text-slate-600" data-testid="timeline-user">{format!("· {n}")}</span> })}
                                </li>
                            }.into_any(),
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
    }
}
