//! The pipeline board: columns per stage, deal cards, filters, quick add, drag and drop and a
//! keyboard-friendly move menu.
//!
//! Each column keeps its cards in its own signal, so a move touches two lists and nothing else.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_params_map, use_query_map};
use std::sync::Arc;

use crate::app::error::AppError;
use crate::domain::board::{shown_and_more, MoreCards, COLUMN_MAX, COLUMN_PAGE};
use crate::domain::board_props::BoardColumns;
use crate::domain::{
    BoardFilter, BoardView, ColumnPage, DealCard, DealId, PipelineId, PipelineStages,
    PipelineSummary, StageColumn, StageId, UserSummary,
};
use crate::i18n::format::{date, money};
use crate::i18n::{tr, tr_args};

/// Loads the board of a pipeline (the primary one when `pipeline_id` is absent), each column
/// with its first `shown` cards (a page when absent).
#[server(prefix = "/rpc", endpoint = "get_board")]
pub async fn get_board(
    pipeline_id: Option<PipelineId>,
    #[server(default)] filter: BoardFilter,
    #[server(default)] shown: Option<u32>,
) -> Result<BoardView, AppError> {
    use super::server_ctx::signed_in;
    use crate::server::services::deals::board;
    let (state, user) = signed_in().await?;
    let shown = board::per_column(shown);
    board::load_board(&state.db, (&user).into(), pipeline_id, &filter, shown)
        .await
        .map_err(AppError::from)
}

/// The first `shown` cards of a column, with the count and sums of the rest ("show more").
#[server(prefix = "/rpc", endpoint = "get_column")]
pub async fn get_column(
    stage_id: StageId,
    #[server(default)] filter: BoardFilter,
    shown: u32,
) -> Result<ColumnPage, AppError> {
    use super::server_ctx::signed_in;
    use crate::server::services::deals::board;
    let (state, user) = signed_in().await?;
    let shown = board::per_column(Some(shown));
    board::load_column(&state.db, (&user).into(), stage_id, &filter, shown)
        .await
        .map_err(AppError::from)
}

/// Moves a deal into a stage, right before `before_id` (or to the end when absent).
#[server(prefix = "/rpc", endpoint = "move_deal")]
pub async fn move_deal(
    deal_id: DealId,
    stage_id: StageId,
    before_id: Option<DealId>,
) -> Result<(), AppError> {
    use super::server_ctx::signed_in;
    use crate::server::services::deals::{self, Slot};
    let (state, user) = signed_in().await?;
    let slot = before_id.map(Slot::Before).unwrap_or(Slot::End);
    deals::move_deal(&state.db, (&user).into(), deal_id, stage_id, slot)
        .await
        .map(|_| ())
        .map_err(AppError::from)
}

/// Adds a deal with a title and an optional value at the end of a stage; returns its card.
#[server(prefix = "/rpc", endpoint = "quick_add_deal")]
pub async fn quick_add_deal(
    stage_id: StageId,
    title: String,
    value: Option<String>,
) -> Result<DealCard, AppError> {
    use super::server_ctx::signed_in;
    use crate::domain::money::parse_amount;
    use crate::server::services::deals::{self, board};
    use crate::server::ServiceError;
    let (state, user) = signed_in().await?;
    let value_cents = match value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => parse_amount(v).map_err(|m| ServiceError::invalid("value", m))?,
        None => 0,
    };
    let deal = deals::create_deal(
        &state.db,
        (&user).into(),
        deals::NewDeal {
            title,
            value_cents,
            stage_id: Some(stage_id),
            ..Default::default()
        },
    )
    .await?;
    board::load_card(&state.db, (&user).into(), deal.id)
        .await
        .map_err(AppError::from)
}

/// A column on the client: the stage and a signal with its cards.
#[derive(Clone)]
struct Column {
    id: StageId,
    name: String,
    probability: i64,
    /// The history a learned `probability` rests on.
    learned: Option<crate::domain::probability::LearnedShare>,
    rotting_days: Option<i64>,
    cards: RwSignal<Vec<DealCard>>,
    /// The column's cards after those shown.
    more: RwSignal<MoreCards>,
    /// The currency the totals are in.
    base_currency: String,
}

/// A card being dragged.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Drag {
    deal_id: DealId,
    start_x: f64,
    start_y: f64,
    dx: f64,
    dy: f64,
    /// Past the threshold: the card follows the pointer.
    active: bool,
    /// Where it would land: (stage, before deal).
    over: Option<(StageId, Option<DealId>)>,
    /// Started by a finger: it becomes a drag only after a long press (a swipe scrolls).
    touch: bool,
    /// The long press was held: the next move picks the card up.
    armed: bool,
    /// The card's place when it was picked up (left, top, width): it then floats above the
    /// board from there, so no column's scroll box clips it.
    origin: Option<(f64, f64, f64)>,
}

/// How long a finger rests on a card before it can be dragged.
#[cfg(feature = "hydrate")]
const LONG_PRESS: std::time::Duration = std::time::Duration::from_millis(350);

/// Shared by the board's components.
#[derive(Clone, Copy)]
struct BoardCtx {
    columns: StoredValue<Vec<Column>>,
    drag: RwSignal<Option<Drag>>,
    error: RwSignal<Option<String>>,
    /// Set when a drag ends, so the click that follows does not open the deal.
    just_dropped: StoredValue<bool>,
    /// Bumped when a move is sent and when its save ends (see [`Live::local_moves`]).
    local_moves: Option<RwSignal<u32>>,
    /// A card picked up from the keyboard, with every column's cards as they were then.
    lifted: StoredValue<Option<Lift>>,
    /// What the screen reader is told (the board's live region).
    announce: RwSignal<String>,
    /// The board's filters ("show more" reads the next cards with them).
    filter: StoredValue<BoardFilter>,
    /// How many cards a column shows at most (raised by "show more"; a reload keeps it).
    shown: RwSignal<usize>,
    /// Set once the board is interactive: the move menus list the stages from then on (they
    /// are not written into the page, a thousand times over).
    hydrated: RwSignal<bool>,
}

/// Columns' cards as they were, to put back.
type Snapshot = Vec<(RwSignal<Vec<DealCard>>, Vec<DealCard>)>;

/// A card picked up with the keyboard: it moves locally with the arrow keys until it is
/// dropped (saved) or the move is cancelled (every column put back).
#[derive(Clone)]
struct Lift {
    deal_id: DealId,
    before: Snapshot,
}

impl BoardCtx {
    /// Applies a move locally at once, saves it, and rolls back with an error if saving fails.
    fn move_card(self, deal_id: DealId, to_stage: StageId, before: Option<DealId>) {
        let Some(snapshot) = self.move_locally(deal_id, to_stage, before) else {
            return;
        };
        self.save(deal_id, to_stage, before, snapshot);
    }

    /// Moves a card to a stage of another pipeline: it leaves this board at once, and comes
    /// back if the move is refused.
    fn move_elsewhere(self, deal_id: DealId, to_stage: StageId) {
        let columns = self.columns.get_value();
        let Some(from) = columns.iter().find(|c| {
            c.cards
                .with_untracked(|cards| cards.iter().any(|d| d.id == deal_id))
        }) else {
            return;
        };
        let snapshot = vec![(from.cards, from.cards.get_untracked())];
        from.cards.update(|cards| cards.retain(|d| d.id != deal_id));
        self.save(deal_id, to_stage, None, snapshot);
    }

    /// Every column's cards as they are now.
    fn snapshot(self) -> Snapshot {
        self.columns
            .get_value()
            .iter()
            .map(|c| (c.cards, c.cards.get_untracked()))
            .collect()
    }

    /// The stage a card is in and its index there.
    /// The title of a card on the board (empty when it is not there).
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn title_of(self, deal_id: DealId) -> String {
        self.columns
            .get_value()
            .iter()
            .find_map(|c| {
                c.cards.with_untracked(|cards| {
                    cards
                        .iter()
                        .find(|d| d.id == deal_id)
                        .map(|d| d.title.clone())
                })
            })
            .unwrap_or_default()
    }

    fn place_of(self, deal_id: DealId) -> Option<(usize, usize)> {
        self.columns
            .get_value()
            .iter()
            .enumerate()
            .find_map(|(ci, c)| {
                c.cards
                    .with_untracked(|cards| cards.iter().position(|d| d.id == deal_id))
                    .map(|i| (ci, i))
            })
    }

    /// Moves a card between the columns on the page only; answers the two columns as they
    /// were, for a rollback (`None` when nothing moved).
    fn move_locally(
        self,
        deal_id: DealId,
        to_stage: StageId,
        before: Option<DealId>,
    ) -> Option<Snapshot> {
        let columns = self.columns.get_value();
        let from = columns
            .iter()
            .find(|c| {
                c.cards
                    .with_untracked(|cards| cards.iter().any(|d| d.id == deal_id))
            })
            .cloned()?;
        let to = columns.iter().find(|c| c.id == to_stage).cloned()?;
        if before == Some(deal_id) {
            return None;
        }
        let snapshot = vec![
            (from.cards, from.cards.get_untracked()),
            (to.cards, to.cards.get_untracked()),
        ];
        let mut card = None;
        from.cards.update(|cards| {
            if let Some(i) = cards.iter().position(|d| d.id == deal_id) {
                card = Some(cards.remove(i));
            }
        });
        let card = card?;
        let mut now_shown = 0;
        to.cards.update(|cards| {
            let index = before
                .and_then(|b| cards.iter().position(|d| d.id == b))
                .unwrap_or(cards.len());
            cards.insert(index, card);
            now_shown = cards.len();
        });
        // A reload of the board keeps showing the card, even when it went after the page.
        if now_shown > self.shown.get_untracked() {
            self.shown.set(now_shown);
        }
        Some(snapshot)
    }

    /// A key pressed on a focused card, following the WAI-ARIA practice for drag and drop by
    /// keyboard: arrows move the focus; Space or Enter picks the card up; then arrows move it
    /// (up and down in its stage, left and right to the next stages), Space or Enter drops it
    /// (the move is saved) and Escape puts everything back. True when the key was used.
    fn on_key(self, deal_id: DealId, key: &str, title: &str) -> bool {
        let columns = self.columns.get_value();
        let Some((ci, i)) = self.place_of(deal_id) else {
            return false;
        };
        let ids = |c: usize| -> Vec<DealId> {
            columns
                .get(c)
                .map(|col| {
                    col.cards
                        .with_untracked(|cs| cs.iter().map(|d| d.id).collect())
                })
                .unwrap_or_default()
        };
        let lifted = self.lifted.get_value().filter(|l| l.deal_id == deal_id);
        match (lifted, key) {
            (None, " " | "Enter") => {
                self.lifted.set_value(Some(Lift {
                    deal_id,
                    before: self.snapshot(),
                }));
                self.announce.set(tr_args(
                    "board-picked-up",
                    &[("title", title.to_string().into())],
                ));
            }
            (None, "ArrowUp" | "ArrowDown" | "ArrowLeft" | "ArrowRight") => {
                let target = match key {
                    "ArrowUp" => i.checked_sub(1).and_then(|j| ids(ci).get(j).copied()),
                    "ArrowDown" => ids(ci).get(i + 1).copied(),
                    _ => {
                        let step: isize = if key == "ArrowLeft" { -1 } else { 1 };
                        let mut c = ci as isize + step;
                        let mut found = None;
                        while c >= 0 && (c as usize) < columns.len() && found.is_none() {
                            let cards = ids(c as usize);
                            found = cards.get(i.min(cards.len().saturating_sub(1))).copied();
                            c += step;
                        }
                        found
                    }
                };
                if let Some(t) = target {
                    focus_card(t);
                }
            }
            (Some(_), "ArrowUp") if i > 0 => {
                self.move_locally(deal_id, columns[ci].id, ids(ci).get(i - 1).copied());
                self.moved(deal_id, title);
            }
            (Some(_), "ArrowDown") if i + 1 < ids(ci).len() => {
                self.move_locally(deal_id, columns[ci].id, ids(ci).get(i + 2).copied());
                self.moved(deal_id, title);
            }
            (Some(_), "ArrowLeft" | "ArrowRight") => {
                let to = if key == "ArrowLeft" {
                    ci.checked_sub(1)
                } else {
                    Some(ci + 1).filter(|c| *c < columns.len())
                };
                if let Some(to) = to {
                    let before = ids(to).get(i).copied();
                    self.move_locally(deal_id, columns[to].id, before);
                    self.moved(deal_id, title);
                }
            }
            (Some(_), "ArrowUp" | "ArrowDown") => {}
            (Some(lift), " " | "Enter") => {
                self.lifted.set_value(None);
                let stage = &columns[ci];
                let before = ids(ci).get(i + 1).copied();
                self.announce.set(tr_args(
                    "board-dropped",
                    &[
                        ("title", title.to_string().into()),
                        ("stage", stage.name.clone().into()),
                        ("position", (i + 1).into()),
                    ],
                ));
                self.save(deal_id, stage.id, before, lift.before);
            }
            (Some(lift), "Escape") => {
                self.lifted.set_value(None);
                for (signal, cards) in lift.before {
                    signal.set(cards);
                }
                self.announce.set(tr_args(
                    "board-cancelled",
                    &[("title", title.to_string().into())],
                ));
                focus_card(deal_id);
            }
            _ => return false,
        }
        true
    }

    /// After a keyboard move: the focus stays on the card and the screen reader hears where.
    fn moved(self, deal_id: DealId, title: &str) {
        if let Some((ci, i)) = self.place_of(deal_id) {
            let columns = self.columns.get_value();
            let total = columns[ci].cards.with_untracked(Vec::len);
            self.announce.set(tr_args(
                "board-moved",
                &[
                    ("title", title.to_string().into()),
                    ("stage", columns[ci].name.clone().into()),
                    ("position", (i + 1).into()),
                    ("total", total.into()),
                ],
            ));
        }
        focus_card(deal_id);
    }

    /// Saves a move already shown; puts `snapshot` back and says why if saving fails.
    fn save(self, deal_id: DealId, to_stage: StageId, before: Option<DealId>, snapshot: Snapshot) {
        // After the cards shown is before the first one not shown.
        let before = before.or_else(|| {
            self.columns
                .get_value()
                .iter()
                .find(|c| c.id == to_stage)
                .and_then(|c| c.more.get_untracked().next)
        });
        let error = self.error;
        error.set(None);
        let local_moves = self.local_moves;
        let bump = move || {
            if let Some(m) = local_moves {
                m.update(|n| *n += 1);
            }
        };
        bump();
        spawn_local(async move {
            let saved = move_deal(deal_id, to_stage, before).await;
            bump();
            if let Err(e) = saved {
                for (signal, cards) in snapshot.into_iter().rev() {
                    signal.set(cards);
                }
                error.set(Some(tr_args(
                    "board-move-failed",
                    &[("error", e.to_string().into())],
                )));
            }
        });
    }
}

/// The live board: changes made elsewhere (other users, the API, automations, other app
/// instances) reload the board's cards, after the drag in progress if there is one.
#[derive(Clone, Copy)]
struct Live {
    /// Bumped to reload the board.
    refresh: RwSignal<u32>,
    dragging: RwSignal<bool>,
    /// A change arrived during a drag.
    pending: RwSignal<bool>,
    /// How many cards a column shows at most.
    shown: RwSignal<usize>,
    /// Bumped when this page sends a move and when its save ends: a board read while one was
    /// under way may predate it, and is read again.
    local_moves: RwSignal<u32>,
}

impl Live {
    fn new() -> Self {
        Live {
            refresh: RwSignal::new(0),
            dragging: RwSignal::new(false),
            pending: RwSignal::new(false),
            shown: RwSignal::new(COLUMN_PAGE),
            local_moves: RwSignal::new(0),
        }
    }

    /// A pipeline changed (`*`: some changes were missed).
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn changed(self, pipeline_id: PipelineId, pipeline: &str) {
        if pipeline != "*" && pipeline != pipeline_id.to_string() {
            return;
        }
        if self.dragging.get_untracked() {
            self.pending.set(true);
        } else {
            self.refresh.update(|n| *n += 1);
        }
    }
}

/// Follows `/events/board` (server-sent events) for as long as the board is shown.
#[cfg(feature = "hydrate")]
fn follow_board_events(live: Live, pipeline_id: PipelineId) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let Ok(source) = web_sys::EventSource::new("/events/board") else {
        return;
    };
    let on_board =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            live.changed(pipeline_id, &ev.data().as_string().unwrap_or_default());
        });
    let _ = source.add_event_listener_with_callback("board", on_board.as_ref().unchecked_ref());
    on_board.forget();
    let source = StoredValue::new_local(source);
    on_cleanup(move || source.with_value(|s| s.close()));
}

/// `/` and `/pipelines/:id`: the pipeline's name, the switcher and the filters are plain
/// server-rendered HTML; the columns are the [`Kanban`] island.
#[component]
pub fn BoardPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let pipeline_id = params
        .read_untracked()
        .get("id")
        .and_then(|s| s.parse().ok())
        .map(PipelineId);
    let filter = BoardFilter::from_query(|k| query.read_untracked().get(k));
    let board = Resource::new(
        move || filter.clone(),
        move |filter| get_board(pipeline_id, filter, None),
    );
    view! {
        <Suspense fallback=|| view! { <p class="p-6 text-slate-500" aria-busy="true">{tr("board-loading")}</p> }>
            {move || Suspend::new(async move {
                match board.await {
                    Ok(view) => {
                        let filter = BoardFilter::from_query(|k| query.read_untracked().get(k));
                        view! {
                            <div class="flex flex-wrap items-end gap-4 mb-4">
                                <div>
                                    <h1 class="text-xl font-semibold" data-testid="pipeline-name">{view.pipeline.name.clone()}</h1>
                                    <PipelineSwitcher pipelines=view.pipelines current=view.pipeline.id />
                                </div>
                                <Filters users=view.users filter=filter.clone() />
                                // The deals this board shows, with its filters, as a spreadsheet.
                                <a href=format!("/export/deals.csv?pipeline={}&{}", view.pipeline.id, filter.to_query()) download=""
                                    class="self-end rounded-md border border-slate-300 bg-white px-3 py-1 text-sm text-slate-700 hover:bg-slate-50"
                                    data-testid="export-csv">{tr("common-export")}</a>
                                <super::deal_table::BoardViews />
                            </div>
                            {if view.stages.is_empty() {
                                view! { <p class="p-6 text-slate-600">{tr("board-no-stages")}</p> }.into_any()
                            } else {
                                view! { <Kanban pipeline_id=view.pipeline.id stages=BoardColumns(view.stages) elsewhere=view.elsewhere filter=filter base_currency=view.base_currency /> }.into_any()
                            }}
                        }.into_any()
                    }
                    Err(e) => view! {
                        <div role="alert" class="m-6 rounded-md border border-red-200 bg-red-50 p-4 text-red-800">
                            <p class="font-medium">{tr("board-load-failed")}</p>
                            <p class="text-sm">{e.to_string()}</p>
                            <a href="/" class="mt-2 inline-block text-sm underline">{tr("board-back-primary")}</a>
                        </div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The board's columns and cards: drag and drop, the move menu, quick add, and live updates.
#[island(lazy)]
fn Kanban(
    pipeline_id: PipelineId,
    stages: BoardColumns,
    elsewhere: Vec<PipelineStages>,
    filter: BoardFilter,
    base_currency: String,
) -> impl IntoView {
    let live = Live::new();
    let stages = RwSignal::new(stages.0);
    let filter_for_board = filter.clone();
    #[cfg(feature = "hydrate")]
    follow_board_events(live, pipeline_id);
    // A change made elsewhere: read the cards again (and again while this page's own move
    // was being saved, a few times at most, so the board never shows them before it).
    Effect::new(move |seen: Option<u32>| {
        let n = live.refresh.get();
        if seen.is_some_and(|s| s != n) {
            let filter = filter.clone();
            spawn_local(async move {
                for _ in 0..4 {
                    let moves = live.local_moves.get_untracked();
                    let shown = live.shown.get_untracked() as u32;
                    let Ok(board) = get_board(Some(pipeline_id), filter.clone(), Some(shown)).await
                    else {
                        return;
                    };
                    if live.local_moves.get_untracked() == moves {
                        stages.set(board.stages);
                        return;
                    }
                }
            });
        }
        n
    });
    let elsewhere = elsewhere_targets(elsewhere);
    let board_filter = StoredValue::new(filter_for_board);
    move || view! { <Board stages=stages.get() elsewhere=elsewhere.clone() live=live base_currency=base_currency.clone() filter=board_filter /> }
}

/// The move menu's entries for the stages of the account's other pipelines, per pipeline.
fn elsewhere_targets(pipelines: Vec<PipelineStages>) -> Arc<[(Arc<str>, Vec<MoveTarget>)]> {
    pipelines
        .into_iter()
        .map(|p| {
            let targets = p
                .stages
                .into_iter()
                .map(|s| MoveTarget::to(StageId(s.id), s.name))
                .collect();
            (Arc::from(p.name), targets)
        })
        .collect()
}

#[component]
fn Board(
    stages: Vec<StageColumn>,
    elsewhere: Arc<[(Arc<str>, Vec<MoveTarget>)]>,
    live: Live,
    base_currency: String,
    filter: StoredValue<BoardFilter>,
) -> impl IntoView {
    let columns: Vec<Column> = stages
        .into_iter()
        .map(|s| Column {
            base_currency: base_currency.clone(),
            id: s.id,
            name: s.name,
            probability: s.probability,
            learned: s.learned,
            rotting_days: s.rotting_days,
            cards: RwSignal::new(s.cards),
            more: RwSignal::new(s.more),
        })
        .collect();
    let targets = MoveTargets {
        here: columns
            .iter()
            .map(|c| MoveTarget::to(c.id, c.name.clone()))
            .collect(),
        elsewhere,
        words: Arc::new(CardWords::new()),
    };
    let ctx = BoardCtx {
        columns: StoredValue::new(columns.clone()),
        drag: RwSignal::new(None),
        error: RwSignal::new(None),
        just_dropped: StoredValue::new(false),
        local_moves: Some(live.local_moves),
        lifted: StoredValue::new(None),
        announce: RwSignal::new(String::new()),
        filter,
        shown: live.shown,
        hydrated: RwSignal::new(false),
    };
    // Effects run in the browser only, once the board is interactive.
    Effect::new(move |_| ctx.hydrated.set(true));
    provide_context(ctx);
    provide_context(targets);
    install_drag_listeners(ctx);
    // Changes that came during a drag reload the board once it ends.
    Effect::new(move |_| {
        let dragging = ctx.drag.with(|d| d.is_some());
        live.dragging.set(dragging);
        if !dragging && live.pending.get_untracked() {
            live.pending.set(false);
            live.refresh.update(|n| *n += 1);
        }
    });
    view! {
        <Show when=move || ctx.error.get().is_some()>
            <div role="alert" data-testid="board-error"
                class="mb-3 flex items-center gap-3 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
                <span>{move || ctx.error.get().unwrap_or_default()}</span>
                <button class="ml-auto underline" on:click=move |_| ctx.error.set(None)>{tr("board-dismiss")}</button>
            </div>
        </Show>
        <p id="board-kbd-help" class="sr-only">{tr("board-kbd-help")}</p>
        <div class="sr-only" aria-live="assertive" data-testid="board-announcer">{move || ctx.announce.get()}</div>
        // On a phone the columns snap into view one at a time; not while a card is dragged,
        // which scrolls the board itself.
        <div class=move || {
                let dragging = ctx.drag.with(|d| d.is_some_and(|d| d.active));
                if dragging {
                    "relative flex gap-3 overflow-x-auto pb-4 select-none"
                } else {
                    "relative flex gap-3 overflow-x-auto pb-4 select-none max-md:snap-x max-md:snap-mandatory"
                }
            }
            data-testid="board">
            {columns.into_iter().map(|c| view! { <StageColumnView column=c /> }).collect_view()}
        </div>
    }
}

#[component]
fn PipelineSwitcher(pipelines: Vec<PipelineSummary>, current: PipelineId) -> impl IntoView {
    view! {
        <nav class="mt-1 flex flex-wrap gap-2 text-sm" aria-label=tr("board-pipelines")>
            {pipelines.into_iter().map(|p| {
                let class = if p.id == current {
                    "rounded-full bg-indigo-600 px-3 py-0.5 text-white"
                } else {
                    "rounded-full bg-white px-3 py-0.5 text-slate-700 border border-slate-300 hover:bg-slate-50"
                };
                view! { <a href=format!("/pipelines/{}", p.id) class=class>{p.name}</a> }
            }).collect_view()}
        </nav>
    }
}

#[component]
fn Filters(users: Vec<UserSummary>, filter: BoardFilter) -> impl IntoView {
    let input = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";
    let status = filter.status.clone().unwrap_or_else(|| "open".into());
    view! {
        <form method="get" class="flex flex-wrap items-end gap-2 ml-auto" aria-label=tr("board-filters")>
            <label class="text-xs text-slate-600">{tr("board-owner")}
                <select name="owner" class=format!("block {input}")>
                    <option value="">{tr("board-everyone")}</option>
                    {users.into_iter().map(|u| {
                        let selected = filter.owner == Some(u.id);
                        view! { <option value=u.id.to_string() selected=selected>{u.name}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label class="text-xs text-slate-600">{tr("board-status")}
                <select name="status" class=format!("block {input}")>
                    {["open", "won", "lost", "all"].into_iter().map(|s| {
                        view! { <option value=s selected=status == s>{tr(&format!("board-status-{s}"))}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label class="text-xs text-slate-600">{tr("board-min-value")}
                <input name="min_value" inputmode="decimal" class=format!("block w-24 {input}") value=filter.min_value.clone().unwrap_or_default() />
            </label>
            <label class="text-xs text-slate-600">{tr("board-max-value")}
                <input name="max_value" inputmode="decimal" class=format!("block w-24 {input}") value=filter.max_value.clone().unwrap_or_default() />
            </label>
            <label class="text-xs text-slate-600">{tr("board-search")}
                <input name="q" type="search" data-search="" class=format!("block w-44 {input}") value=filter.q.clone().unwrap_or_default() placeholder=tr("board-search-placeholder") />
            </label>
            <button type="submit" class="rounded-md bg-slate-800 px-3 py-1 text-sm text-white hover:bg-slate-700">{tr("board-apply")}</button>
        </form>
    }
}

#[component]
fn StageColumnView(column: Column) -> impl IntoView {
    let ctx = expect_context::<BoardCtx>();
    let cards = column.cards;
    let stage_id = column.id;
    let probability = column.probability;
    let locale = crate::i18n::current();
    let more = column.more;
    let sums = Memo::new(move |_| {
        more.with(|m| {
            cards.with(|c| shown_and_more(c.iter().map(|d| d.base_value_cents), m, probability))
        })
    });
    let currency = StoredValue::new(column.base_currency.clone());
    let is_target = move || {
        ctx.drag.with(
            |d| matches!(d, Some(Drag { active: true, over: Some((s, _)), .. }) if *s == stage_id),
        )
    };
    let end_marker = move || {
        ctx.drag.with(|d| matches!(d, Some(Drag { active: true, over: Some((s, None)), .. }) if *s == stage_id))
    };
    let rotting_days = column.rotting_days;
    view! {
        <section
            class="relative w-72 shrink-0 rounded-lg bg-slate-200/70 flex flex-col max-h-[calc(100vh-11rem)] max-md:w-[85vw] max-md:snap-start"
            class:ring-2=is_target
            class:ring-indigo-400=is_target
            data-column=stage_id.to_string()
            data-testid="column"
            aria-label=column.name.clone()
        >
            <header class="px-3 pt-3 pb-2">
                <div class="flex items-baseline justify-between">
                    <h2 class="font-semibold text-slate-800" data-testid="column-name">{column.name.clone()}</h2>
                    <span class="text-xs text-slate-500" data-testid="column-probability" data-learned=column.learned.map(|l| l.closed.to_string())
                        title=match column.learned {
                            Some(l) => tr_args("board-learned-probability", &[("closed", l.closed.into()), ("won", l.won.into())]),
                            None => tr("board-stage-probability"),
                        }>{format!("{probability}%")}{column.learned.map(|_| " ✦")}</span>
                </div>
                <dl class="mt-1 flex flex-wrap gap-x-3 text-xs text-slate-600 whitespace-nowrap">
                    <div class="flex gap-1"><dt class="sr-only">{tr("board-deals")}</dt><dd data-testid="column-count" class="font-medium">{move || sums.get().count}</dd><span aria-hidden="true">{move || deals_word(sums.get().count)}</span></div>
                    <div title=tr_args("board-total-title", &[("currency", currency.get_value().into())])><dt class="sr-only">{tr("board-total")}</dt><dd data-testid="column-total" class="font-medium">{move || money(sums.get().total_cents, &currency.get_value(), locale)}</dd></div>
                    <div title=tr("board-weighted-title")><dt class="sr-only">{tr("board-weighted")}</dt>
                        <dd data-testid="column-weighted">{move || format!("≈ {}", money(sums.get().weighted_cents, &currency.get_value(), locale))}</dd></div>
                    {move || (sums.get().unconverted > 0).then(|| view! {
                        <div class="text-amber-700" title=tr("board-unconverted-title")>
                            <dt class="sr-only">{tr("board-unconverted-title")}</dt>
                            <dd data-testid="column-unconverted">{tr_args("board-unconverted", &[("count", sums.get().unconverted.into())])}</dd>
                        </div>
                    })}
                </dl>
                {rotting_days.map(|d| view! { <p class="text-[11px] text-slate-600">{tr_args("board-rots-after", &[("days", d.into())])}</p> })}
            </header>
            <ol class="flex-1 overflow-y-auto px-2 pb-2 space-y-2 min-h-16" data-testid="cards">
                <For each=move || cards.get() key=|d| d.id let:card>
                    <CardView card=card stage_id=stage_id />
                </For>
                <Show when=end_marker>
                    <li class="h-1 rounded bg-indigo-500" aria-hidden="true"></li>
                </Show>
                <Show when=move || cards.with(|c| c.is_empty()) && !end_marker() && more.with(|m| m.count == 0)>
                    <li class="rounded border border-dashed border-slate-300 p-3 text-center text-xs text-slate-600">{tr("board-no-deals")}</li>
                </Show>
                <Show when=move || more.with(|m| m.count > 0)>
                    <li><ShowMore stage_id=stage_id cards=cards more=more /></li>
                </Show>
            </ol>
            <QuickAdd stage_id=stage_id cards=cards />
        </section>
    }
}

/// "Show more" at the foot of a column with cards not shown: reads the column's first cards
/// again, a page more of them, with the count and sums of the rest.
#[component]
fn ShowMore(
    stage_id: StageId,
    cards: RwSignal<Vec<DealCard>>,
    more: RwSignal<MoreCards>,
) -> impl IntoView {
    let ctx = expect_context::<BoardCtx>();
    let loading = RwSignal::new(false);
    let on_click = move |_| {
        if loading.get_untracked() {
            return;
        }
        loading.set(true);
        let want = (cards.with_untracked(Vec::len) + COLUMN_PAGE).min(COLUMN_MAX);
        let filter = ctx.filter.get_value();
        spawn_local(async move {
            match get_column(stage_id, filter, want as u32).await {
                Ok(page) => {
                    cards.set(page.cards);
                    more.set(page.more);
                    ctx.shown.update(|s| *s = (*s).max(want));
                }
                Err(e) => ctx.error.set(Some(e.for_people())),
            }
            loading.set(false);
        });
    };
    let label = move || {
        if loading.get() {
            tr("board-loading-more")
        } else {
            let hidden = more.with(|m| m.count);
            let next = hidden.min(COLUMN_PAGE);
            tr_args(
                "board-show-more",
                &[("next", next.into()), ("hidden", hidden.into())],
            )
        }
    };
    let disabled = move || loading.get() || cards.with(|c| c.len() >= COLUMN_MAX);
    view! {
        <button type="button" data-testid="column-more" on:click=on_click aria-busy=move || loading.get().to_string()
            class="w-full rounded border border-slate-300 bg-white/70 px-2 py-1 text-xs text-slate-700 hover:bg-white disabled:opacity-60"
            disabled=disabled>
            {label}
        </button>
    }
}

/// "deal" or "deals", as the count asks in the user's language.
fn deals_word(count: usize) -> String {
    tr_args("board-deals-word", &[("count", count.into())])
}

/// The stages a card's move menu offers and the words every card shows alike, worked out once
/// per board and shared by every card.
#[derive(Clone)]
struct MoveTargets {
    /// The stages of this board's pipeline.
    here: Arc<[MoveTarget]>,
    /// The stages of the account's other pipelines, under each pipeline's name.
    elsewhere: Arc<[(Arc<str>, Vec<MoveTarget>)]>,
    words: Arc<CardWords>,
}

/// The labels that read the same on every card, in the reader's language.
struct CardWords {
    menu: Arc<str>,
    to_top: Arc<str>,
    up_one: Arc<str>,
    down_one: Arc<str>,
    expected_close: Arc<str>,
    rotting: Arc<str>,
    /// Cold, warm, hot.
    temperature: [Arc<str>; 3],
}

impl CardWords {
    fn new() -> Self {
        let t = |id: &str| Arc::from(tr(id));
        Self {
            menu: t("card-move-menu"),
            to_top: t("card-to-top"),
            up_one: t("card-up-one"),
            down_one: t("card-down-one"),
            expected_close: t("card-expected-close"),
            rotting: t("card-rotting-title"),
            temperature: [t("card-cold"), t("card-warm"), t("card-hot")],
        }
    }
}

struct MoveTarget {
    stage_id: StageId,
    /// The menu value, `stage:<id>`.
    value: Arc<str>,
    /// What the menu shows, `To <stage name>`.
    label: Arc<str>,
}

impl MoveTarget {
    /// The entry that moves a card to stage `stage_id`, called `name`.
    fn to(stage_id: StageId, name: String) -> Self {
        Self {
            stage_id,
            value: format!("stage:{stage_id}").into(),
            label: tr_args("card-to-stage", &[("stage", name.into())]).into(),
        }
    }
}

#[component]
fn CardView(card: DealCard, stage_id: StageId) -> impl IntoView {
    let locale = crate::i18n::current();
    let ctx = expect_context::<BoardCtx>();
    let targets = expect_context::<MoveTargets>();
    let id = card.id;
    let dragging = move || {
        ctx.drag
            .with(|d| matches!(d, Some(Drag { active: true, deal_id, .. }) if *deal_id == id))
    };
    let marker_before = move || {
        ctx.drag.with(
            |d| matches!(d, Some(Drag { active: true, over: Some((_, Some(b))), .. }) if *b == id),
        )
    };
    let style = move || {
        ctx.drag.with(|d| match d {
            Some(Drag { active: true, deal_id, dx, dy, origin, .. }) if *deal_id == id => {
                let place = origin
                    .map(|(left, top, width)| {
                        format!("position: fixed; left: {left}px; top: {top}px; width: {width}px;")
                    })
                    .unwrap_or_else(|| "position: relative;".into());
                format!("{place} transform: translate({dx}px, {dy}px) rotate(2deg); z-index: 50; pointer-events: none;")
            }
            _ => String::new(),
        })
    };
    let on_pointerdown = move |ev: leptos::ev::PointerEvent| {
        if ev.button() != 0 || !ev.is_primary() || started_on_control(&ev) {
            return;
        }
        let touch = ev.pointer_type() == "touch";
        if !touch {
            ev.prevent_default();
        }
        ctx.just_dropped.set_value(false);
        ctx.drag.set(Some(Drag {
            deal_id: id,
            start_x: ev.client_x() as f64,
            start_y: ev.client_y() as f64,
            dx: 0.0,
            dy: 0.0,
            active: false,
            over: None,
            touch,
            armed: false,
            origin: None,
        }));
        #[cfg(feature = "hydrate")]
        if touch {
            set_timeout(
                move || {
                    ctx.drag.update(|d| {
                        if let Some(d) = d.as_mut().filter(|d| d.deal_id == id && !d.active) {
                            d.armed = true;
                        }
                    });
                },
                LONG_PRESS,
            );
        }
    };
    let on_menu = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        let columns = ctx.columns.get_value();
        let Some(col) = columns.iter().find(|c| c.id == stage_id) else {
            return;
        };
        let ids: Vec<DealId> = col
            .cards
            .with_untracked(|c| c.iter().map(|d| d.id).collect());
        let Some(i) = ids.iter().position(|d| *d == id) else {
            return;
        };
        match value.as_str() {
            "up" if i > 0 => ctx.move_card(id, stage_id, Some(ids[i - 1])),
            "down" if i + 1 < ids.len() => ctx.move_card(id, stage_id, ids.get(i + 2).copied()),
            "top" if i > 0 => ctx.move_card(id, stage_id, ids.first().copied()),
            other => {
                if let Some(target) = other
                    .strip_prefix("stage:")
                    .and_then(|s| s.parse().ok())
                    .map(StageId)
                {
                    if columns.iter().any(|c| c.id == target) {
                        ctx.move_card(id, target, None);
                    } else {
                        ctx.move_elsewhere(id, target);
                    }
                }
            }
        }
        focus_card(id);
    };
    let key_title = card.title.clone();
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        // Keys on the card itself; its link and menu keep theirs.
        let on_card = ev
            .target()
            .zip(ev.current_target())
            .is_some_and(|(t, c)| t == c);
        if on_card
            && !ev.alt_key()
            && !ev.ctrl_key()
            && !ev.meta_key()
            && ctx.on_key(id, &ev.key(), &key_title)
        {
            ev.prevent_default();
        }
    };
    let words = targets.words.clone();
    let temperature = card.temperature.map(|t| match t {
        1 => (words.temperature[0].clone(), "bg-sky-100 text-sky-800"),
        2 => (words.temperature[1].clone(), "bg-amber-100 text-amber-800"),
        _ => (words.temperature[2].clone(), "bg-red-100 text-red-800"),
    });
    let subtitle = match (&card.contact_name, &card.organization_name) {
        (Some(c), Some(o)) => Some(format!("{c} · {o}")),
        (Some(c), None) => Some(c.clone()),
        (None, Some(o)) => Some(o.clone()),
        (None, None) => None,
    };
    let rotting = card.rotting;
    let title = card.title.clone();
    view! {
        {move || marker_before().then(|| view! { <li class="h-1 rounded bg-indigo-500" aria-hidden="true"></li> })}
        <li
            class="group card"
            class:border-l-2=rotting
            class:border-l-red-400=rotting
            class:opacity-80=dragging
            class:shadow-lg=dragging
            style=style
            data-card=id.to_string()
            data-testid="card"
            tabindex="0"
            aria-describedby="board-kbd-help"
            on:pointerdown=on_pointerdown
            on:keydown=on_keydown
        >
            <div class="card-head">
                <a href=format!("/deals/{id}") draggable="false" data-testid="card-title" class="card-title"
                    on:click=move |ev| {
                        if ctx.just_dropped.get_value() {
                            ev.prevent_default();
                            ctx.just_dropped.set_value(false);
                        }
                    }>{title.clone()}</a>
                {card.owner_initials.clone().map(|i| view! {
                    <span class="card-owner" title=card.owner_name.clone().unwrap_or_default()>{i}</span>
                })}
                // The move menu: the fallback to dragging (touch, keyboard, screen readers).
                <label class="shrink-0">
                    <span class="sr-only">{tr_args("card-move", &[("title", title.clone().into())])}</span>
                    <select class="card-menu" data-testid="move-menu" on:change=on_menu prop:value="" title=words.menu.clone()>
                        <option value="" selected>"⋯"</option>
                        <option value="top">{words.to_top.clone()}</option>
                        <option value="up">{words.up_one.clone()}</option>
                        <option value="down">{words.down_one.clone()}</option>
                        {move || ctx.hydrated.get().then(|| view! {
                            {targets.here.iter().filter(|t| t.stage_id != stage_id).map(|t| {
                                view! { <option value=t.value.clone()>{t.label.clone()}</option> }
                            }).collect_view()}
                            {targets.elsewhere.iter().map(|(pipeline, stages)| view! {
                                <optgroup label=pipeline.clone()>
                                    {stages.iter().map(|t| view! { <option value=t.value.clone()>{t.label.clone()}</option> }).collect_view()}
                                </optgroup>
                            }).collect_view()}
                        })}
                    </select>
                </label>
            </div>
            <div class="card-line">
                <span class="card-value" data-testid="card-value">{money(card.value_cents, &card.currency, locale)}</span>
                {subtitle.map(|s| view! { <span class="min-w-0 truncate">{s}</span> })}
            </div>
            <div class="card-tags">
                {temperature.map(|(label, class)| view! { <span class=format!("tag {class}")>{label}</span> })}
                {card.expected_close_date.clone().map(|d| view! { <span class="text-slate-600" title=words.expected_close.clone()>{tr_args("card-closes", &[("date", date(&d, locale).into())])}</span> })}
                {rotting.then(|| view! {
                    <span class="tag bg-red-50 font-medium text-red-800" data-testid="rotting" title=words.rotting.clone()>
                        {tr_args("card-rotting", &[("days", card.days_in_stage.into())])}
                    </span>
                })}
                {(card.status != crate::domain::DealStatus::Open).then(|| view! {
                    <span class="tag bg-slate-700 text-white uppercase">{tr(&format!("card-{}", card.status.as_str()))}</span>
                })}
            </div>
        </li>
    }
}

#[component]
fn QuickAdd(stage_id: StageId, cards: RwSignal<Vec<DealCard>>) -> impl IntoView {
    let add = ServerAction::<QuickAddDeal>::new();
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if let Some(Ok(card)) = add.value().get() {
            cards.update(|c| {
                if !c.iter().any(|d| d.id == card.id) {
                    c.push(card);
                }
            });
            if let Some(f) = form.get() {
                f.reset();
            }
        }
    });
    let error = move || {
        add.value()
            .get()
            .and_then(|r| r.err())
            .map(|e| e.for_people())
    };
    view! {
        // Folded until asked for, so the column shows cards rather than a form.
        <details class="group/add border-t border-slate-300" data-testid="quick-add">
            <summary class="cursor-pointer list-none rounded-b-lg px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-300/60 focus-visible:outline-2 focus-visible:outline-indigo-600">
                <span aria-hidden="true">"+ "</span>{tr("quick-add-open")}
            </summary>
            <ActionForm action=add node_ref=form>
                <div class="px-2 pb-2 flex flex-col gap-1">
                    <input type="hidden" name="stage_id" value=stage_id.to_string() />
                    <input name="title" required maxlength="150" placeholder=tr("quick-add-title") aria-label=tr("quick-add-title")
                        class="rounded border border-slate-300 bg-white px-2 py-1 text-sm" />
                    <div class="flex gap-1">
                        <input name="value" inputmode="decimal" placeholder=tr("quick-add-value") aria-label=tr("quick-add-value")
                            class="w-full rounded border border-slate-300 bg-white px-2 py-1 text-sm" />
                        <button type="submit" class="rounded bg-indigo-600 px-2 py-1 text-sm text-white hover:bg-indigo-700 disabled:opacity-60"
                            disabled=move || add.pending().get()>{tr("quick-add-submit")}</button>
                    </div>
                    <Show when=move || error().is_some()>
                        <p role="alert" class="text-xs text-red-700">{error}</p>
                    </Show>
                </div>
            </ActionForm>
        </details>
    }
}

/// True when a pointer press began on a form control (the move menu), which must not drag.
fn started_on_control(ev: &leptos::ev::PointerEvent) -> bool {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        ev.target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("select, button, input, label").ok().flatten())
            .is_some()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ev;
        false
    }
}

/// Puts the focus on a card once the board has drawn it (a card moved in the page is drawn
/// anew, which takes the focus off it): as soon as the pending updates are done, and again on
/// the next frame in case the drawing waited for it.
fn focus_card(deal_id: DealId) {
    #[cfg(feature = "hydrate")]
    {
        let focus = move || {
            use wasm_bindgen::JsCast;
            let card = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| {
                    d.query_selector(&format!("[data-card=\"{deal_id}\"]"))
                        .ok()
                        .flatten()
                })
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(card) = card {
                let _ = card.focus();
            }
        };
        leptos::task::spawn_local(async move {
            leptos::task::tick().await;
            focus();
        });
        request_animation_frame(focus);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = deal_id;
}

/// Follows the pointer while a card is pressed, and drops it on release.
fn install_drag_listeners(ctx: BoardCtx) {
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use leptos::ev;
        use wasm_bindgen::JsCast;
        let on_move = window_event_listener(ev::pointermove, move |e| {
            let Some(mut drag) = ctx.drag.get_untracked() else {
                return;
            };
            let (x, y) = (e.client_x() as f64, e.client_y() as f64);
            drag.dx = x - drag.start_x;
            drag.dy = y - drag.start_y;
            let moved = drag.dx.abs() + drag.dy.abs();
            if drag.touch && !drag.armed {
                // A finger that moves before the long press is scrolling.
                if moved > 10.0 {
                    ctx.drag.set(None);
                }
                return;
            }
            if !drag.active && !drag.touch && moved < 6.0 {
                return;
            }
            if !drag.active {
                drag.origin = dom::card_rect(drag.deal_id);
            }
            drag.active = true;
            drag.over = dom::drop_target(x, y, drag.deal_id);
            dom::scroll_near_edges(x, y);
            ctx.drag.set(Some(drag));
        });
        // Once a finger has picked a card up, its moves drag the card instead of scrolling.
        let touch_guard = send_wrapper::SendWrapper::new(dom::on_touchmove(move |e| {
            if ctx
                .drag
                .with_untracked(|d| d.is_some_and(|d| d.armed || d.active))
            {
                e.prevent_default();
            }
        }));
        let on_key = window_event_listener(ev::keydown, move |e| {
            if e.key() == "Escape" && ctx.drag.with_untracked(|d| d.is_some_and(|d| d.active)) {
                ctx.drag.set(None);
                e.prevent_default();
                return;
            }
            // A card held from the keyboard keeps its keys while it is drawn again in another
            // column: the focus comes back to it a frame later, and a key pressed meanwhile
            // lands on the page rather than on the card.
            let Some(lift) = ctx.lifted.get_value() else {
                return;
            };
            let on_page = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_none_or(|t| {
                    matches!(t.tag_name().as_str(), "BODY" | "HTML")
                        || t.closest("[data-card]").ok().flatten().is_none()
                            && t.closest("input, select, textarea, button, a")
                                .ok()
                                .flatten()
                                .is_none()
                            && t.closest("[data-testid=board]").ok().flatten().is_some()
                });
            if on_page && !e.alt_key() && !e.ctrl_key() && !e.meta_key() {
                let title = ctx.title_of(lift.deal_id);
                if ctx.on_key(lift.deal_id, &e.key(), &title) {
                    e.prevent_default();
                }
            }
        });
        let on_up = window_event_listener(ev::pointerup, move |_| {
            let Some(drag) = ctx.drag.get_untracked() else {
                return;
            };
            ctx.drag.set(None);
            if drag.active {
                ctx.just_dropped.set_value(true);
            }
            if let (true, Some((stage, before))) = (drag.active, drag.over) {
                ctx.move_card(drag.deal_id, stage, before);
            }
        });
        let on_cancel = window_event_listener(ev::pointercancel, move |_| ctx.drag.set(None));
        on_cleanup(move || {
            on_move.remove();
            on_up.remove();
            on_cancel.remove();
            on_key.remove();
            drop(touch_guard);
        });
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = ctx;
}

#[cfg(feature = "hydrate")]
mod dom {
    use crate::domain::{DealId, StageId};
    use wasm_bindgen::JsCast;

    /// A card's place on the screen: (left, top, width).
    pub fn card_rect(id: DealId) -> Option<(f64, f64, f64)> {
        let el = web_sys::window()?
            .document()?
            .query_selector(&format!("[data-card=\"{id}\"]"))
            .ok()??;
        let r = el.get_bounding_client_rect();
        Some((r.left(), r.top(), r.width()))
    }

    /// Scrolls the board sideways, and the column under the pointer up or down, when a drag
    /// nears their edges.
    pub fn scroll_near_edges(x: f64, y: f64) {
        const EDGE: f64 = 48.0;
        const STEP: f64 = 24.0;
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        if let Ok(Some(board)) = document.query_selector("[data-testid=board]") {
            let r = board.get_bounding_client_rect();
            if x < r.left() + EDGE {
                board.scroll_by_with_x_and_y(-STEP, 0.0);
            } else if x > r.right() - EDGE {
                board.scroll_by_with_x_and_y(STEP, 0.0);
            }
        }
        let Ok(lists) = document.query_selector_all("[data-testid=cards]") else {
            return;
        };
        for i in 0..lists.length() {
            let Some(list) = lists
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            else {
                continue;
            };
            let r = list.get_bounding_client_rect();
            if x < r.left() || x > r.right() {
                continue;
            }
            if y < r.top() + EDGE {
                list.scroll_by_with_x_and_y(0.0, -STEP);
            } else if y > r.bottom() - EDGE {
                list.scroll_by_with_x_and_y(0.0, STEP);
            }
        }
    }

    /// A `touchmove` listener on the window that may cancel scrolling (not passive); removed
    /// when the returned guard drops.
    pub fn on_touchmove(f: impl Fn(web_sys::Event) + 'static) -> TouchGuard {
        let closure = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::Event)>::new(f);
        let options = web_sys::AddEventListenerOptions::new();
        options.set_passive(false);
        if let Some(w) = web_sys::window() {
            let _ = w.add_event_listener_with_callback_and_add_event_listener_options(
                "touchmove",
                closure.as_ref().unchecked_ref(),
                &options,
            );
        }
        TouchGuard(closure)
    }

    /// Removes its listener when dropped.
    pub struct TouchGuard(wasm_bindgen::closure::Closure<dyn Fn(web_sys::Event)>);

    impl Drop for TouchGuard {
        fn drop(&mut self) {
            if let Some(w) = web_sys::window() {
                let _ = w.remove_event_listener_with_callback(
                    "touchmove",
                    self.0.as_ref().unchecked_ref(),
                );
            }
        }
    }

    /// The column under `x` and the card the pointer is above (by the cards' vertical middles).
    pub fn drop_target(x: f64, y: f64, dragged: DealId) -> Option<(StageId, Option<DealId>)> {
        let document = web_sys::window()?.document()?;
        let columns = document.query_selector_all("[data-column]").ok()?;
        for i in 0..columns.length() {
            let col: web_sys::Element = columns.item(i)?.dyn_into().ok()?;
            let rect = col.get_bounding_client_rect();
            if x < rect.left() || x > rect.right() {
                continue;
            }
            let stage = StageId(col.get_attribute("data-column")?.parse().ok()?);
            let cards = col.query_selector_all("[data-card]").ok()?;
            for j in 0..cards.length() {
                let card: web_sys::Element = cards.item(j)?.dyn_into().ok()?;
                let id = DealId(card.get_attribute("data-card")?.parse().ok()?);
                if id == dragged {
                    continue;
                }
                let r = card.get_bounding_client_rect();
                if y < r.top() + r.height() / 2.0 {
                    return Some((stage, Some(id)));
                }
            }
            return Some((stage, None));
        }
        None
    }
}
