//! `/launches/{id}/board`: the live Kanban board of one launch.

use super::api::{board_card, load_board, more_cards};
use super::card::BoardCard;
use super::model::{BoardFilter, BoardState, BoardView, Card};
use crate::auth::model::{Permission, Person};
use crate::components::{CurrentUser, LoadError, Loading, can, host};
use crate::error::AppError;
use crate::escalation::api::move_escalation;
use crate::escalation::{EscalationId, Stage, Trigger};
use crate::event::change::EscalationMoved;
use crate::event::model::Event;
use crate::launch::LaunchId;
use crate::realtime::{ConnState, Live, ServerMessage};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn BoardPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse().ok()).map(LaunchId));
    let filter = Memo::new(move |_| query.with(|q| BoardFilter::from_query(|k| q.get(k))));
    let board = Resource::new(
        move || (id(), filter.get()),
        |(id, filter)| async move {
            match id {
                Some(id) => load_board(id, filter).await,
                None => Err(AppError::not_found("There is no such launch.")),
            }
        },
    );
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match board.await {
                    Err(error) => view! { <LoadError error /> }.into_any(),
                    Ok(view) => view! { <Board view /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Board(view: BoardView) -> impl IntoView {
    let launch_id = view.launch.id;
    let state = RwSignal::new(BoardState::new(view.columns.clone()));
    // Clocks tick from the server's "now" once the page is live (never during rendering).
    let now = host::ticking_clock(view.now, 1_000);
    let runbook = StoredValue::new(view.runbooks.clone());
    let filter = StoredValue::new(view.filter.clone());
    let cursor = view.last_event_id;
    let announcement = RwSignal::new(String::new());
    let viewers = RwSignal::new(Vec::<Person>::new());
    let can_move = can(Permission::WorkEscalations);
    let me = use_context::<CurrentUser>();
    let live = use_context::<Live>().unwrap_or_default();

    let refresh_card = move |id: EscalationId| {
        spawn_local(async move {
            if let Ok(card) = board_card(id).await {
                let belongs = runbook.with_value(|r| {
                    filter.with_value(|f| f.matches(&card, r, now.get_untracked()))
                });
                state.update(|s| s.upsert(card, belongs));
            }
        });
    };
    let on_event = move |event: &Event| {
        if event.launch_id != Some(launch_id) || event.id <= cursor {
            return;
        }
        if event.entity != "escalation" {
            // An update, decision, workaround or check about a card: its flags may change.
            if let Some(id) = event.escalation_id {
                refresh_card(id);
            }
            return;
        }
        let id = EscalationId(event.entity_id);
        let moved = event.payload_as::<EscalationMoved>().map(|moved| {
            let mut applied = false;
            state.update(|s| {
                applied = s.apply_move(id, moved.stage, moved.version, moved.acknowledged_at);
            });
            applied
        });
        if moved != Some(true) {
            refresh_card(id);
        }
    };
    live.on_message(move |message| match message {
        ServerMessage::Event { event } => on_event(event),
        ServerMessage::Presence {
            launch_id: l,
            viewers: v,
        } if *l == launch_id => viewers.set(v.clone()),
        _ => {}
    });
    Effect::new(move |_| {
        live.start_from(cursor);
        live.viewing(Some(launch_id));
    });
    on_cleanup(move || live.viewing(None));

    let navigate = leptos_router::hooks::use_navigate();
    let on_move = Callback::new(move |(id, stage): (EscalationId, Stage)| {
        // Resolving a tier 1–2 records its outcome and risk posture: on its own page.
        if stage == Stage::Resolved
            && state.with_untracked(|s| s.find(id).is_some_and(|c| c.tier.is_major()))
        {
            navigate(&format!("/escalations/{id}#resolve"), Default::default());
            return;
        }
        let mut original: Option<Card> = None;
        state.update(|s| {
            if s.find(id).is_some_and(|c| c.stage != stage) {
                original = s.move_locally(id, stage);
            }
        });
        let Some(original) = original else { return };
        let title = original.title.clone();
        announcement.set(format!("Moving {title} to {}…", stage.label()));
        spawn_local(async move {
            match move_escalation(
                id,
                stage.as_str().to_string(),
                original.version,
                None,
                None,
                None,
                None,
            )
            .await
            {
                Ok(moved) => {
                    let card = Card::from(moved);
                    state.update(|s| {
                        s.remove(card.id);
                        s.place(card);
                    });
                    announcement.set(format!("Moved {title} to {}.", stage.label()));
                }
                Err(err) => {
                    let current = match &err {
                        AppError::Conflict {
                            current: Some(c), ..
                        } => serde_json::from_value::<crate::escalation::Escalation>(c.clone())
                            .ok()
                            .map(Card::from),
                        _ => None,
                    };
                    state.update(|s| {
                        s.restore(original);
                        if let Some(current) = current {
                            s.upsert(current, true);
                        }
                    });
                    announcement.set(format!("{title} was not moved: {err}"));
                }
            }
        });
    });

    let others = move || {
        let me = me.and_then(|m| m.get()).map(|a| a.id);
        viewers.with(|v| {
            v.iter()
                .filter(|p| Some(p.id) != me)
                .map(|p| p.name.clone())
                .collect::<Vec<_>>()
        })
    };
    let board_name = view.launch.name.clone();
    let shown = RwSignal::new(0usize);
    view! {
        <Title text=format!("Board · {}", view.launch.name) />
        <p class="crumbs"><A href=format!("/launches/{launch_id}")>"← " {view.launch.name.clone()}</A></p>
        <div class="board-head">
            <h1>"Board"<span class="sr-only">{format!(": {board_name}")}</span></h1>
            <p class="live" role="status">
                {move || match live.state.get() {
                    ConnState::Live => view! { <span class="live-on">"● Live"</span> }.into_any(),
                    ConnState::Reconnecting => view! { <span class="live-off">"Reconnecting…"</span> }.into_any(),
                    ConnState::Connecting => view! { <span class="live-wait">"Connecting…"</span> }.into_any(),
                    ConnState::Idle => view! { <span class="live-wait">"Loading live updates…"</span> }.into_any(),
                }}
            </p>
            <p class="viewers">
                {move || {
                    let names = others();
                    (!names.is_empty()).then(|| format!("Also viewing: {}", names.join(", ")))
                }}
            </p>
        </div>
        <Filters filter=view.filter.clone() owners=view.owners.clone() launch_id />
        <p class="sr-only" role="status" aria-live="polite">{move || announcement.get()}</p>
        // Made anew for each message, so its fade-out starts over.
        {move || {
            let text = announcement.get();
            (!text.is_empty()).then(|| view! { <p class="announce" aria-hidden="true">{text}</p> })
        }}
        <ColumnTabs state shown />
        <div class="board" on:scroll=move |ev| shown_column(&ev, shown)>
            {Stage::BOARD.into_iter().map(|stage| view! {
                <BoardColumn stage state runbook now can_move on_move launch_id filter />
            }).collect_view()}
        </div>
    }
}

/// On phones the board shows one column at a time: these tabs count all five and bring one
/// into view (a plain link to its heading, so they work before the page is live too).
#[component]
fn ColumnTabs(state: RwSignal<BoardState>, shown: RwSignal<usize>) -> impl IntoView {
    view! {
        <nav class="column-tabs" aria-label="Columns">
            {Stage::BOARD.into_iter().enumerate().map(|(index, stage)| {
                let total = move || state.with(|s| s.column(stage).map_or(0, |c| c.total));
                view! {
                    <a
                        href=format!("#col-{}", stage.as_str())
                        target="_self"
                        aria-current=move || (shown.get() == index).then_some("true")
                    >
                        <span class="tab-count">{total}</span>
                        " "
                        <span class="tab-label">{stage.label()}</span>
                    </a>
                }
            }).collect_view()}
        </nav>
    }
}

/// Which column a phone's sideways-scrolling board shows, for its tab.
fn shown_column(ev: &leptos::ev::Event, shown: RwSignal<usize>) {
    let board = event_target::<leptos::web_sys::HtmlElement>(ev);
    let width = board.client_width().max(1);
    let index = usize::try_from((board.scroll_left() + width / 2) / width).unwrap_or(0);
    if shown.get_untracked() != index {
        shown.set(index);
    }
}

#[component]
fn BoardColumn(
    stage: Stage,
    state: RwSignal<BoardState>,
    runbook: StoredValue<crate::runbook::Runbooks>,
    now: RwSignal<chrono::DateTime<chrono::Utc>>,
    can_move: Signal<bool>,
    on_move: Callback<(EscalationId, Stage)>,
    launch_id: LaunchId,
    filter: StoredValue<BoardFilter>,
) -> impl IntoView {
    let cards = Memo::new(move |_| {
        state.with(|s| s.column(stage).map(|c| c.cards.clone()).unwrap_or_default())
    });
    let total = Memo::new(move |_| state.with(|s| s.column(stage).map_or(0, |c| c.total)));
    let has_more =
        Memo::new(move |_| state.with(|s| s.column(stage).is_some_and(|c| c.has_more())));
    let loading = RwSignal::new(false);
    let drop_target = RwSignal::new(false);
    let heading = format!("col-{}", stage.as_str());
    let load_more = move |_| {
        let offset = cards.get_untracked().len() as u64;
        loading.set(true);
        spawn_local(async move {
            if let Ok(more) = more_cards(launch_id, stage, filter.get_value(), offset).await {
                state.update(|s| {
                    if let Some(column) = s.columns.iter_mut().find(|c| c.stage == stage) {
                        for card in more {
                            if !column.cards.iter().any(|c| c.id == card.id) {
                                column.cards.push(card);
                            }
                        }
                    }
                });
            }
            loading.set(false);
        });
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        drop_target.set(false);
        let id = ev
            .data_transfer()
            .and_then(|d| d.get_data("text/plain").ok())
            .and_then(|v| v.parse().ok())
            .map(EscalationId);
        if let Some(id) = id {
            on_move.run((id, stage));
        }
    };
    view! {
        <section
            class="column"
            class:drop-target=move || drop_target.get()
            aria-label=stage.label()
            on:dragover=move |ev: leptos::ev::DragEvent| {
                ev.prevent_default();
                drop_target.set(true);
            }
            on:dragleave=move |_| drop_target.set(false)
            on:drop=on_drop
        >
            <h2 id=heading class="column-head">
                {stage.label()}
                <span class="count" aria-label=move || format!("{} escalations", total.get())>{move || total.get()}</span>
            </h2>
            <div class="cards">
                <For each=move || cards.get() key=|c| (c.id, c.version, c.stage) let:card>
                    <BoardCard card runbook now can_move on_move />
                </For>
                {move || (total.get() == 0).then(|| view! { <p class="empty">"Nothing here."</p> })}
            </div>
            <Show when=move || has_more.get()>
                <button type="button" class="more" on:click=load_more aria-busy=move || loading.get().to_string()>
                    {move || if loading.get() {
                        "Loading…".to_string()
                    } else {
                        format!("Show more ({} of {})", cards.with(Vec::len), total.get())
                    }}
                </button>
            </Show>
        </section>
    }
}

/// Filters: a plain GET form, so they work before the page is live and can be bookmarked.
#[component]
fn Filters(filter: BoardFilter, owners: Vec<Person>, launch_id: LaunchId) -> impl IntoView {
    let tier = filter.tier.map(|t| t.to_string()).unwrap_or_default();
    let trigger = filter
        .trigger
        .map(|t| t.as_str().to_string())
        .unwrap_or_default();
    let owner = filter.owner.map(|o| o.to_string()).unwrap_or_default();
    view! {
        <details class="filters-box" open=!filter.is_empty()>
            <summary>{if filter.is_empty() { "Filter the board".to_string() } else { "Filters (on)".to_string() }}</summary>
            <form method="get" action=format!("/launches/{launch_id}/board") class="filters" aria-label="Filter the board">
                <div class="field">
                    <label for="f-q">"Title contains"</label>
                    <input id="f-q" name="q" type="search" value=filter.q.clone().unwrap_or_default() />
                </div>
                <div class="field">
                    <label for="f-tier">"Tier"</label>
                    <select id="f-tier" name="tier">
                        <option value="" selected=tier.is_empty()>"Any"</option>
                        {(1..=4).map(|t| {
                            let v = t.to_string();
                            let selected = v == tier;
                            view! { <option value=v selected=selected>{format!("Tier {t}")}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="f-trigger">"Trigger"</label>
                    <select id="f-trigger" name="trigger">
                        <option value="" selected=trigger.is_empty()>"Any"</option>
                        {Trigger::ALL.iter().map(|t| {
                            let selected = t.as_str() == trigger;
                            view! { <option value=t.as_str() selected=selected>{t.label()}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="f-owner">"Owner"</label>
                    <select id="f-owner" name="owner">
                        <option value="" selected=owner.is_empty()>"Anyone"</option>
                        {owners.into_iter().map(|p| {
                            let v = p.id.0.to_string();
                            let selected = v == owner;
                            view! { <option value=v selected=selected>{p.name}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field check">
                    <input id="f-overdue" name="overdue" type="checkbox" value="true" checked=filter.overdue />
                    <label for="f-overdue">"Overdue only"</label>
                </div>
                <button type="submit">"Apply"</button>
                <a href=format!("/launches/{launch_id}/board")>"Clear"</a>
            </form>
        </details>
    }
}
