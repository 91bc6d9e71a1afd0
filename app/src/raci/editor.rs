//! The RACI editor: a working copy of the matrix, checked live as it is edited and again on
//! save. A real table that works by keyboard alone (`grid`) and by touch (tap a cell, pick a
//! letter: `picker`); a second editor's save arrives live, and a conflicting save shows what
//! changed instead of overwriting it (`conflict`). Readers get the same page around a plain
//! table (`super::table`).

mod conflict;
mod grid;
mod picker;
mod tools;

use self::conflict::ConflictBanner;
use self::grid::{Grid, focus_cell};
use self::picker::{LetterPicker, RowActions};
use self::tools::Tools;
use super::api::{RaciEditorData, load_raci, save_raci};
use super::model::{Letter, Raci, RaciDraft, Resolution};
use super::table::RaciTable;
use crate::components::host;
use crate::error::AppError;
use crate::event::change::RaciSaved;
use crate::realtime::{Live, ServerMessage};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::components::A;
use std::collections::BTreeMap;

/// What the editor's parts share: the last saved matrix and the working copy, its problems,
/// where the keyboard is, which dialog is open, and what to announce.
#[derive(Clone, Copy)]
struct EditorState {
    resolution: StoredValue<Resolution>,
    base: RwSignal<Raci>,
    work: RwSignal<Raci>,
    /// Activities that cannot be saved, by row.
    problems: Memo<BTreeMap<usize, String>>,
    /// The grid's one tab stop: (row, column).
    focus: RwSignal<(usize, usize)>,
    /// The row whose name is being edited.
    editing: RwSignal<Option<usize>>,
    /// The cell whose letter picker is open.
    picking: RwSignal<Option<(usize, usize)>>,
    /// The row whose actions are open.
    row_menu: RwSignal<Option<usize>>,
    status: RwSignal<String>,
    /// A newer version saved elsewhere while this one has unsaved edits: (theirs, who).
    incoming: RwSignal<Option<(Raci, String)>>,
}

impl EditorState {
    /// What to call a column.
    fn label(self, key: &str) -> String {
        self.resolution.with_value(|r| r.label(key))
    }

    /// Sets a cell's letter (`None` clears it) and keeps focus on the cell.
    fn set_cell(self, row: usize, col: usize, letter: Option<Letter>) {
        self.work.update(|r| {
            let Some(key) = r.columns.get(col.wrapping_sub(1)).cloned() else {
                return;
            };
            if let Some(activity) = r.activities.get_mut(row) {
                match letter {
                    Some(l) => {
                        activity.cells.insert(key, l);
                    }
                    None => {
                        activity.cells.remove(&key);
                    }
                }
            }
        });
        focus_cell(row, col);
    }
}

#[component]
pub(super) fn RaciEditor(data: RaciEditorData) -> impl IntoView {
    let RaciEditorData {
        raci,
        resolution,
        title,
        can_edit,
    } = data;
    let launch_id = resolution.launch_id;
    let escalation_id = resolution.escalation_id;
    let resolution = StoredValue::new(resolution);
    let base = RwSignal::new(raci.clone());
    let work = RwSignal::new(raci);
    let problems = Memo::new(move |_| work.with(Raci::problems));
    let state = EditorState {
        resolution,
        base,
        work,
        problems,
        focus: RwSignal::new((0usize, 0usize)),
        editing: RwSignal::new(None::<usize>),
        picking: RwSignal::new(None::<(usize, usize)>),
        row_menu: RwSignal::new(None::<usize>),
        status: RwSignal::new(String::new()),
        incoming: RwSignal::new(None::<(Raci, String)>),
    };
    let EditorState {
        status, incoming, ..
    } = state;
    let saving = RwSignal::new(false);
    let dirty = Memo::new(move |_| {
        let (w, b) = (work.get(), base.get());
        w.activities != b.activities || w.columns != b.columns
    });
    let warnings = Memo::new(move |_| work.with(|r| resolution.with_value(|res| res.warnings(r))));

    // Another editor's save, live: taken at once when nothing is unsaved here.
    let live = use_context::<Live>().unwrap_or_default();
    live.on_message(move |message| {
        let ServerMessage::Event { event } = message else {
            return;
        };
        if event.launch_id != Some(launch_id) || event.escalation_id != escalation_id {
            return;
        }
        let Some(saved) = event.payload_as::<RaciSaved>() else {
            return;
        };
        if saved.version <= base.get_untracked().version {
            return;
        }
        let who = event.actor.name.clone();
        spawn_local(async move {
            let Ok(fresh) = load_raci(launch_id.0, escalation_id.map(|e| e.0)).await else {
                return;
            };
            if dirty.get_untracked() {
                incoming.set(Some((fresh.raci, who)));
            } else {
                status.set(format!("{who} saved version {}.", fresh.raci.version));
                base.set(fresh.raci.clone());
                work.set(fresh.raci);
            }
        });
    });
    Effect::new(move |_| live.start());

    let save = move || {
        if saving.get_untracked() || !problems.get_untracked().is_empty() {
            return;
        }
        let draft = RaciDraft::from(&work.get_untracked());
        let Ok(body) = serde_json::to_string(&draft) else {
            return;
        };
        saving.set(true);
        status.set("Saving…".into());
        spawn_local(async move {
            match save_raci(launch_id.0, escalation_id.map(|e| e.0), body).await {
                Ok(saved) => {
                    status.set(format!("Saved version {}.", saved.version));
                    base.set(saved.clone());
                    work.set(saved);
                }
                Err(AppError::Conflict { message, current }) => {
                    let theirs = current.and_then(|c| serde_json::from_value::<Raci>(c).ok());
                    status.set(message);
                    if let Some(theirs) = theirs {
                        incoming.set(Some((theirs, "Someone".into())));
                    }
                }
                Err(error) => status.set(error.to_string()),
            }
            saving.set(false);
        });
    };

    let page_title = format!("RACI · {title}");
    let heading = match escalation_id {
        Some(id) => view! {
            "RACI for " <A href=format!("/escalations/{id}")>{title.clone()}</A>
        }
        .into_any(),
        None => view! { "RACI for " <A href=format!("/launches/{launch_id}")>{title.clone()}</A> }
            .into_any(),
    };

    view! {
        <Title text=page_title />
        <h1 id="raci-h">{heading}</h1>
        <p id="raci-help" class="hint">
            {if can_edit {
                "Each activity needs exactly one A (accountable) and at least one R (responsible). Use the arrow keys to move between cells, type R, A, C or I to set one, Delete to clear it, Enter on an activity to rename it — or tap a cell to pick a letter."
            } else {
                "Who is responsible (R), accountable (A), consulted (C) and informed (I) for each activity."
            }}
        </p>
        {move || work.with(|r| r.inherited).then(|| view! {
            <p class="meta">"This escalation uses its launch's matrix. Saving here makes its own adjusted copy."</p>
        })}
        <p class="meta">
            {move || format!("Version {}", base.with(|b| b.version))}
            {escalation_id.is_none().then(|| view! {
                " · "<a href=format!("/api/v1/launches/{launch_id}/raci.csv") download>"Export CSV"</a>
            })}
            " · "<button type="button" class="link" on:click=move |_| host::print_page()>"Print"</button>
        </p>
        <ConflictBanner state />
        {if can_edit {
            view! { <Grid state /> }.into_any()
        } else {
            view! { <RaciTable raci=work problems resolution /> }.into_any()
        }}
        {can_edit.then(|| view! {
            <p class="save-bar">
                <button type="button" class="primary"
                    disabled=move || saving.get() || !problems.get().is_empty() || !dirty.get()
                    on:click=move |_| save()>
                    {move || if saving.get() { "Saving…" } else { "Save matrix" }}
                </button>
                " "
                <span class="hint">{move || {
                    let n = problems.get().len();
                    if n > 0 {
                        format!("Fix the {n} marked {} to save.", if n == 1 { "activity" } else { "activities" })
                    } else if dirty.get() {
                        "Unsaved changes.".to_string()
                    } else {
                        String::new()
                    }
                }}</span>
            </p>
        })}
        <RowActions state />
        <LetterPicker state />
        {can_edit.then(|| view! { <Tools work resolution /> })}
        <section aria-labelledby="warnings-h">
            <h2 id="warnings-h">"Gaps and overlaps"</h2>
            {move || {
                let list = warnings.get();
                if list.is_empty() {
                    view! { <p class="empty">"None: everyone has a role, every activity informs someone, and no one carries too much."</p> }.into_any()
                } else {
                    view! {
                        <ul class="warnings">
                            {list.into_iter().map(|w| view! { <li class=format!("warning {}", w.kind)>{w.message}</li> }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
        </section>
        <p class="announce" role="status" aria-live="polite">{move || status.get()}</p>
    }
}
