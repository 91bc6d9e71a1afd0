//! A card on the board: what an escalation needs at a glance, its SLA clocks, and the Move
//! menu — the keyboard and touch path beside drag and drop (WCAG 2.2 SC 2.5.7).

use super::model::Card;
use crate::escalation::{EscalationId, Stage};
use crate::runbook::Runbooks;
use crate::runbook::model::{ClockState, clock_state, span_text};
use chrono::{DateTime, Utc};
use leptos::html;
use leptos::prelude::*;
use leptos_router::components::A;

/// What a clock is counting down to, in the few words a card has room for.
#[derive(Clone, Copy)]
enum Clock {
    Acknowledge,
    Deadline,
}

/// Time left (or overdue) against a window, as text and a state.
fn clock(
    start: DateTime<Utc>,
    due: DateTime<Utc>,
    now: DateTime<Utc>,
    what: Clock,
) -> (String, ClockState) {
    let state = clock_state(start, due, now);
    let late = state == ClockState::Overdue;
    let span = span_text(if late { now - due } else { due - now });
    let text = match (what, late) {
        (Clock::Acknowledge, false) => format!("Ack in {span}"),
        (Clock::Acknowledge, true) => format!("Ack late by {span}"),
        (Clock::Deadline, false) => format!("Due in {span}"),
        (Clock::Deadline, true) => format!("Overdue by {span}"),
    };
    (text, state)
}

#[component]
pub fn BoardCard(
    card: Card,
    runbook: StoredValue<Runbooks>,
    now: RwSignal<DateTime<Utc>>,
    /// Moves are offered only to roles that may make them.
    can_move: Signal<bool>,
    on_move: Callback<(EscalationId, Stage)>,
) -> impl IntoView {
    let id = card.id;
    let title_id = format!("card-{id}-title");
    let menu_id = format!("card-{id}-menu");
    let open = RwSignal::new(false);
    let button = NodeRef::<html::Button>::new();
    let acknowledge_by = runbook.with_value(|r| card.acknowledge_by(r));
    let created = card.created_at;
    let deadline = card.deadline;
    let overdue = {
        let card = card.clone();
        Memo::new(move |_| runbook.with_value(|r| card.is_overdue(r, now.get())))
    };
    let flags = {
        let card = card.clone();
        move || {
            let now = now.get();
            let mut flags = Vec::new();
            if overdue.get() {
                flags.push("Overdue");
            }
            if runbook.with_value(|r| card.update_overdue(r, now)) {
                flags.push("Update overdue");
            }
            if card.decision_stalled(now) {
                flags.push("Decision stalled");
            }
            if card.workaround_expired {
                flags.push("Workaround expired");
            }
            (!flags.is_empty()).then(|| {
                view! {
                    <ul class="flags" aria-label="Flags">
                        {flags.into_iter().map(|f| view! { <li class="flag">{f}</li> }).collect_view()}
                    </ul>
                }
            })
        }
    };
    let last_update = card.last_update_at;
    let last_update_text = move || match last_update {
        Some(at) => format!(
            "Last update {}",
            crate::escalation::model::time_ago(at, now.get())
        ),
        None => "No update yet".to_string(),
    };
    // The most pressing clock shows on the card (acknowledging, while it waits for that);
    // the other waits under Details.
    let ack_clock = move || {
        acknowledge_by.map(|due| {
            let (text, state) = clock(created, due, now.get(), Clock::Acknowledge);
            view! {
                <span class=format!("clock {}", state.class()) title="Time left to acknowledge">{text}</span>
            }
        })
    };
    let deadline_clock = move || {
        deadline.map(|due| {
            let (text, state) = clock(created, due, now.get(), Clock::Deadline);
            view! { <span class=format!("clock {}", state.class())>{text}</span> }
        })
    };
    let targets: Vec<(Stage, NodeRef<html::Button>)> = Stage::BOARD
        .into_iter()
        .filter(|s| *s != card.stage)
        .map(|s| (s, NodeRef::new()))
        .collect();
    let items: Vec<NodeRef<html::Button>> = targets.iter().map(|(_, r)| *r).collect();
    let items = StoredValue::new(items);
    let items_for_menu = StoredValue::new(targets);
    let focused = RwSignal::new(0usize);
    let focus_item = move |index: i64| {
        items.with_value(|items| {
            let n = items.len() as i64;
            if n > 0 {
                let at = index.rem_euclid(n) as usize;
                if let Some(el) = items[at].get_untracked() {
                    let _ = el.focus();
                }
            }
        });
    };
    let close = move |refocus: bool| {
        open.set(false);
        if refocus && let Some(b) = button.get_untracked() {
            let _ = b.focus();
        }
    };
    let on_menu_key = move |ev: leptos::ev::KeyboardEvent| {
        let at = focused.get_untracked() as i64;
        match ev.key().as_str() {
            "ArrowDown" => {
                ev.prevent_default();
                focus_item(at + 1);
            }
            "ArrowUp" => {
                ev.prevent_default();
                focus_item(at - 1);
            }
            "Home" => {
                ev.prevent_default();
                focus_item(0);
            }
            "End" => {
                ev.prevent_default();
                focus_item(-1);
            }
            "Escape" => {
                ev.prevent_default();
                close(true);
            }
            "Tab" => close(false),
            _ => {}
        }
    };
    let labelled_by = title_id.clone();
    let menu_title = card.title.clone();
    let details_title = card.title.clone();
    let menu = StoredValue::new((menu_id.clone(), card.title.clone()));
    let title = card.title.clone();
    let drag_start = move |ev: leptos::ev::DragEvent| {
        if let Some(data) = ev.data_transfer() {
            let _ = data.set_data("text/plain", &id.0.to_string());
            data.set_effect_allowed("move");
        }
    };
    view! {
        <article
            class="card"
            class:overdue=move || overdue.get()
            aria-labelledby=labelled_by
            draggable=move || if can_move.get() { "true" } else { "false" }
            on:dragstart=drag_start
            data-id=id.0
        >
            <h3 id=title_id class="card-title"><A href=format!("/escalations/{id}")>{title}</A></h3>
            <p class="card-meta">
                <span class=format!("tier tier-{}", card.tier.get())>{card.tier.to_string()}</span>
                {card.drill.then(|| view! { <span class="badge drill">"DRILL"</span> })}
                {if acknowledge_by.is_some() { ack_clock.into_any() } else { deadline_clock.into_any() }}
            </p>
            {card.breach.clone().map(|text| view! {
                <p class="card-breach"><span class="sr-only">"Breached criterion: "</span>{text}</p>
            })}
            {card.outcome.clone().map(|text| view! { <p class="card-outcome">{text}</p> })}
            {flags}
            <div class="card-foot">
                <span class="owner">{match &card.owner {
                    Some(p) => view! { <span class="sr-only">"Owner: "</span>{p.name.clone()} }.into_any(),
                    None => "No owner yet".into_any(),
                }}</span>
                <details class="card-more">
                    <summary>"Details"<span class="sr-only">{format!(" of {details_title}")}</span></summary>
                    <p>
                        <span class="priority" title="Priority (0–100)">{format!("P{}", card.priority)}</span>
                        " · "
                        <span class="trigger">{card.trigger.label()}</span>
                    </p>
                    {acknowledge_by.is_some().then_some(deadline_clock)}
                    <p class="last-update">{last_update_text}</p>
                </details>
                <Show when=move || can_move.get()>
                    <div class="move">
                        <button
                            type="button"
                            node_ref=button
                            class="move-button"
                            aria-haspopup="menu"
                            aria-controls=menu_id.clone()
                            aria-expanded=move || open.get().to_string()
                            on:click=move |_| {
                                let now_open = !open.get_untracked();
                                open.set(now_open);
                                if now_open {
                                    request_animation_frame(move || focus_item(0));
                                }
                            }
                        >
                            "Move"
                            <span class="sr-only">{format!(" {menu_title}")}</span>
                        </button>
                        {move || open.get().then(|| view! {
                            <div
                                role="menu"
                                id=menu.with_value(|(id, _)| id.clone())
                                class="move-menu"
                                aria-label=menu.with_value(|(_, title)| format!("Move {title} to"))
                                on:keydown=on_menu_key
                            >
                                {items_for_menu.get_value().into_iter().enumerate().map(|(index, (stage, item))| view! {
                                    <button
                                        node_ref=item
                                        on:focus=move |_| focused.set(index)
                                        type="button"
                                        role="menuitem"
                                        tabindex="-1"
                                        on:click=move |_| {
                                            close(true);
                                            on_move.run((id, stage));
                                        }
                                    >
                                        {stage.label()}
                                    </button>
                                }).collect_view()}
                            </div>
                        })}
                    </div>
                </Show>
            </div>
        </article>
    }
}
