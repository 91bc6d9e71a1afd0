//! `/launches/{id}/raci` and `/escalations/{id}/raci`: the RACI editor. A real table (row
//! and column headers) that works by keyboard alone — arrow keys move between cells, R, A,
//! C, I or Delete set a cell, Enter renames an activity — and by touch (tap a cell, pick a
//! letter). The rules are checked live as you edit and again on save; a second editor's
//! save arrives live, and a conflicting save shows what changed instead of overwriting it.

use super::api::{RaciEditorData, load_raci, save_raci};
use super::model::{Activity, ColumnKey, Letter, Raci, RaciDraft, Resolution};
use crate::app::{LoadError, Loading};
use crate::error::AppError;
use crate::realtime::{Live, ServerMessage};
use crate::team::FunctionalRole;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

#[component]
pub fn LaunchRaciPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()));
    view! { <RaciLoader launch=Signal::derive(id) escalation=Signal::derive(|| None) /> }
}

#[component]
pub fn EscalationRaciPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()));
    view! { <RaciLoader launch=Signal::derive(|| Some(0)) escalation=Signal::derive(id) /> }
}

#[component]
fn RaciLoader(launch: Signal<Option<i64>>, escalation: Signal<Option<i64>>) -> impl IntoView {
    let data = Resource::new(
        move || (launch.get(), escalation.get()),
        |(launch, escalation)| async move {
            match launch {
                Some(launch) => load_raci(launch, escalation).await,
                None => Err(AppError::not_found("There is no such launch.")),
            }
        },
    );
    view! {
        <Transition fallback=Loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <LoadError error /> }.into_any(),
                    Ok(data) => view! { <RaciEditor data /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Moves keyboard focus to a cell of the grid once it is on the page.
fn focus_cell(row: usize, col: usize) {
    #[cfg(feature = "hydrate")]
    {
        let focus = move || {
            use wasm_bindgen::JsCast;
            if let Some(el) = document()
                .get_element_by_id(&cell_id(row, col))
                .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
            {
                let _ = el.focus();
            }
        };
        // Now, so the next key lands here; and again once a re-render has settled.
        focus();
        request_animation_frame(focus);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (row, col);
}

fn cell_id(row: usize, col: usize) -> String {
    format!("raci-{row}-{col}")
}

/// Activities whose letters or presence differ between two versions, by name.
fn changed_activities(mine: &Raci, theirs: &Raci) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for a in &theirs.activities {
        if !mine.activities.iter().any(|b| b == a) {
            names.push(a.name.clone());
        }
    }
    for b in &mine.activities {
        if !theirs.activities.iter().any(|a| a.name == b.name) && !names.contains(&b.name) {
            names.push(b.name.clone());
        }
    }
    if mine.columns != theirs.columns {
        names.push("the columns".into());
    }
    names
}

#[component]
fn RaciEditor(data: RaciEditorData) -> impl IntoView {
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
    let focus = RwSignal::new((0usize, 0usize));
    let editing = RwSignal::new(None::<usize>);
    let picking = RwSignal::new(None::<(usize, usize)>);
    let row_menu = RwSignal::new(None::<usize>);
    let status = RwSignal::new(String::new());
    let saving = RwSignal::new(false);
    // A newer version saved elsewhere while this one has unsaved edits: (theirs, who).
    let incoming = RwSignal::new(None::<(Raci, String)>);
    let dirty = Memo::new(move |_| {
        let (w, b) = (work.get(), base.get());
        w.activities != b.activities || w.columns != b.columns
    });
    let problems = Memo::new(move |_| work.with(Raci::problems));
    let shape = Memo::new(move |_| {
        work.with(|r| {
            (
                r.activities
                    .iter()
                    .map(|a| a.name.clone())
                    .collect::<Vec<_>>(),
                r.columns.clone(),
            )
        })
    });
    let warnings = Memo::new(move |_| work.with(|r| resolution.with_value(|res| res.warnings(r))));
    let label = move |key: &str| resolution.with_value(|r| r.label(key));

    // Another editor's save, live: taken at once when nothing is unsaved here.
    let live = use_context::<Live>().unwrap_or_default();
    live.on_message(move |message| {
        let ServerMessage::Event { event } = message else {
            return;
        };
        if event.kind != "raci.saved"
            || event.launch_id != Some(launch_id)
            || event.escalation_id != escalation_id
        {
            return;
        }
        let version = event
            .payload
            .get("version")
            .and_then(serde_json::Value::as_i64);
        if version.is_none_or(|v| v <= base.get_untracked().version) {
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

    let set_cell = move |row: usize, col: usize, letter: Option<Letter>| {
        work.update(|r| {
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
    };
    let move_focus = move |row: i64, col: i64| {
        let (rows, cols) =
            work.with_untracked(|r| (r.activities.len() as i64, r.columns.len() as i64));
        if rows == 0 {
            return;
        }
        let row = row.clamp(0, rows - 1) as usize;
        let last = if can_edit { cols + 1 } else { cols };
        let col = col.clamp(0, last) as usize;
        focus.set((row, col));
        focus_cell(row, col);
    };
    let on_key = move |row: usize, col: usize, ev: leptos::ev::KeyboardEvent| {
        let (r, c) = (row as i64, col as i64);
        let key = ev.key();
        let handled = match key.as_str() {
            "ArrowUp" => {
                move_focus(r - 1, c);
                true
            }
            "ArrowDown" => {
                move_focus(r + 1, c);
                true
            }
            "ArrowLeft" => {
                move_focus(r, c - 1);
                true
            }
            "ArrowRight" => {
                move_focus(r, c + 1);
                true
            }
            "Home" => {
                move_focus(r, 0);
                true
            }
            "End" => {
                move_focus(r, i64::MAX / 2);
                true
            }
            _ if !can_edit => false,
            "Enter" | "F2" if col == 0 => {
                editing.set(Some(row));
                focus_cell(row, 0);
                true
            }
            "Enter" | " " if col > work.with_untracked(|r| r.columns.len()) => {
                row_menu.set(Some(row));
                true
            }
            "Enter" | " " => {
                picking.set(Some((row, col)));
                true
            }
            "Delete" | "Backspace"
                if col > 0 && col <= work.with_untracked(|r| r.columns.len()) =>
            {
                set_cell(row, col, None);
                true
            }
            other if col > 0 && col <= work.with_untracked(|r| r.columns.len()) => {
                match Letter::parse(other) {
                    Some(letter) => {
                        set_cell(row, col, Some(letter));
                        true
                    }
                    None => false,
                }
            }
            _ => false,
        };
        if handled {
            ev.prevent_default();
        }
    };

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
            " · "<button type="button" class="link" on:click=move |_| {
                #[cfg(feature = "hydrate")]
                let _ = window().print();
            }>"Print"</button>
        </p>
        {move || incoming.get().map(|(theirs, who)| {
            let changed = work.with_untracked(|mine| changed_activities(mine, &theirs));
            let keep = theirs.version;
            let take = theirs.clone();
            view! {
                <div class="conflict" role="alert">
                    <p>{format!(
                        "{who} saved version {} while you were editing. Changed there: {}.",
                        theirs.version,
                        if changed.is_empty() { "nothing you edited".to_string() } else { changed.join(", ") }
                    )}</p>
                    <p class="actions">
                        <button type="button" on:click=move |_| {
                            base.set(take.clone());
                            work.set(take.clone());
                            incoming.set(None);
                            status.set("Loaded their version; your edits were dropped.".into());
                        }>"Load their version"</button>
                        " "
                        <button type="button" class="secondary" on:click=move |_| {
                            base.update(|b| b.version = keep);
                            incoming.set(None);
                            status.set("Kept your edits; saving will replace their version.".into());
                        }>"Keep my edits"</button>
                    </p>
                </div>
            }
        })}
        // Editors reach the grid's cells by keyboard; readers scroll the region itself.
        <div class="table-wrap raci-wrap" tabindex=if can_edit { "-1" } else { "0" }
            role=(!can_edit).then_some("region") aria-label=(!can_edit).then_some("RACI matrix, scrollable")>
            <table class="raci" aria-labelledby="raci-h" aria-describedby="raci-help">
                <thead>
                    <tr>
                        <th scope="col">"Activity"</th>
                        {move || work.with(|r| r.columns.clone()).into_iter().map(|key| view! {
                            <th scope="col">{label(&key)}</th>
                        }).collect_view()}
                        {can_edit.then(|| view! { <th scope="col" class="row-tools"><span class="sr-only">"Row actions"</span></th> })}
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        // Rows are rebuilt only when the shape changes (activities, names,
                        // columns) or a name is being edited; letters and errors update in place,
                        // so keyboard focus stays where it is while cells are set.
                        let (names, columns) = shape.get();
                        let editing_row = editing.get();
                        names.into_iter().enumerate().map(|(row, name)| {
                            let problem = move || problems.with(|p| p.get(&row).cloned());
                            let error_id = format!("raci-{row}-error");
                            let name_cell = if !can_edit {
                                view! { <span class="name">{name.clone()}</span> }.into_any()
                            } else if editing_row == Some(row) {
                                let draft = RwSignal::new(name.clone());
                                let commit = move || {
                                    let value = draft.get_untracked();
                                    editing.set(None);
                                    work.update(|r| if let Some(a) = r.activities.get_mut(row) { a.name = value.trim().to_string(); });
                                    focus_cell(row, 0);
                                };
                                view! {
                                    <input id=cell_id(row, 0) class="name-input" aria-label="Activity name"
                                        prop:value=move || draft.get()
                                        on:input=move |ev| draft.set(event_target_value(&ev))
                                        on:keydown=move |ev: leptos::ev::KeyboardEvent| match ev.key().as_str() {
                                            "Enter" => { ev.prevent_default(); commit(); }
                                            "Escape" => { ev.prevent_default(); editing.set(None); focus_cell(row, 0); }
                                            _ => {}
                                        }
                                        on:blur=move |_| if editing.get_untracked() == Some(row) { commit() }
                                    />
                                }.into_any()
                            } else {
                                let described = error_id.clone();
                                view! {
                                    <button type="button" id=cell_id(row, 0) class="name"
                                        tabindex=move || if focus.get() == (row, 0) { "0" } else { "-1" }
                                        aria-describedby=move || problem().is_some().then(|| described.clone())
                                        aria-invalid=move || problem().is_some().then_some("true")
                                        on:focus=move |_| focus.set((row, 0))
                                        on:keydown=move |ev| on_key(row, 0, ev)
                                        on:click=move |_| { editing.set(Some(row)); focus_cell(row, 0); }
                                    >{if name.is_empty() { "(unnamed)".to_string() } else { name.clone() }}</button>
                                }.into_any()
                            };
                            let cell_views = columns.iter().enumerate().map(|(i, key)| {
                                let col = i + 1;
                                let letter = {
                                    let key = key.clone();
                                    Memo::new(move |_| work.with(|r| r.activities.get(row).and_then(|a| a.cells.get(&key)).copied()))
                                };
                                let column = label(key);
                                let activity = if name.is_empty() { "Unnamed activity".to_string() } else { name.clone() };
                                let class = move || format!("cell {}", letter.get().map_or("", Letter::as_str));
                                if can_edit {
                                    view! {
                                        <td class=class>
                                            <button type="button" id=cell_id(row, col) class="letter"
                                                aria-label=move || format!("{activity}, {column}: {}", letter.get().map_or("none", Letter::meaning))
                                                tabindex=move || if focus.get() == (row, col) { "0" } else { "-1" }
                                                on:focus=move |_| focus.set((row, col))
                                                on:keydown=move |ev| on_key(row, col, ev)
                                                on:click=move |_| picking.set(Some((row, col)))
                                            >{move || letter.get().map_or("·", Letter::as_str)}</button>
                                        </td>
                                    }.into_any()
                                } else {
                                    view! {
                                        <td class=class>
                                            <abbr class="letter" title=move || letter.get().map_or("", Letter::meaning)>
                                                {move || letter.get().map_or("", Letter::as_str)}
                                            </abbr>
                                        </td>
                                    }.into_any()
                                }
                            }).collect_view();
                            let actions_col = columns.len() + 1;
                            let tools = can_edit.then(|| {
                                let title = if name.is_empty() { "this activity".to_string() } else { name.clone() };
                                view! {
                                    <td class="row-tools">
                                        <button type="button" id=cell_id(row, actions_col) class="icon"
                                            aria-label=format!("Actions for {title}") aria-haspopup="dialog"
                                            tabindex=move || if focus.get() == (row, actions_col) { "0" } else { "-1" }
                                            on:focus=move |_| focus.set((row, actions_col))
                                            on:keydown=move |ev| on_key(row, actions_col, ev)
                                            on:click=move |_| row_menu.set(Some(row))
                                        >"⋯"</button>
                                    </td>
                                }
                            });
                            view! {
                                <tr class:invalid=move || problem().is_some()>
                                    <th scope="row">
                                        {name_cell}
                                        {move || problem().map(|p| view! { <p class="field-error" id=error_id.clone()>{p}</p> })}
                                    </th>
                                    {cell_views}
                                    {tools}
                                </tr>
                            }
                        }).collect_view()
                    }}
                </tbody>
            </table>
        </div>
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
        {move || row_menu.get().map(|row| {
            let (name, rows, separate) = work.with_untracked(|r| (
                r.activities.get(row).map(|a| a.name.clone()).unwrap_or_default(),
                r.activities.len(),
                r.activities.get(row).is_some_and(|a| a.separate_duties),
            ));
            let close = move |to: usize| {
                row_menu.set(None);
                let col = work.with_untracked(|r| r.columns.len() + 1);
                focus.set((to, col));
                focus_cell(to, col);
            };
            view! {
                <div class="picker" role="dialog" aria-label=format!("Actions for {name}")
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" {
                        ev.prevent_default();
                        close(row);
                    }>
                    <p>{format!("Actions for {name}")}</p>
                    <button type="button" autofocus=true disabled=row == 0 on:click=move |_| {
                        work.update(|r| r.activities.swap(row, row - 1));
                        close(row - 1);
                    }>"Move up"</button>
                    <button type="button" disabled={row + 1 >= rows} on:click=move |_| {
                        work.update(|r| r.activities.swap(row, row + 1));
                        close(row + 1);
                    }>"Move down"</button>
                    <button type="button" on:click=move |_| {
                        work.update(|r| if let Some(a) = r.activities.get_mut(row) { a.separate_duties = !separate; });
                        close(row);
                    }>{if separate { "Allow R and A to be the same person" } else { "Keep R and A separate" }}</button>
                    <button type="button" class="danger" on:click=move |_| {
                        work.update(|r| { r.activities.remove(row); });
                        close(row.saturating_sub(1));
                    }>"Remove activity"</button>
                    <button type="button" class="link" on:click=move |_| close(row)>"Cancel"</button>
                </div>
            }
        })}
        {move || picking.get().map(|(row, col)| {
            let what = work.with_untracked(|r| {
                let name = r.activities.get(row).map(|a| a.name.clone()).unwrap_or_default();
                let column = r.columns.get(col.wrapping_sub(1)).map(|k| label(k)).unwrap_or_default();
                format!("{name} — {column}")
            });
            let pick = move |letter: Option<Letter>| {
                picking.set(None);
                set_cell(row, col, letter);
            };
            view! {
                <div class="picker" role="dialog" aria-label=format!("Set {what}")
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" {
                        ev.prevent_default();
                        picking.set(None);
                        focus_cell(row, col);
                    }>
                    <p>{format!("Set {what}")}</p>
                    {Letter::ALL.into_iter().map(|l| view! {
                        <button type="button" autofocus=l == Letter::R on:click=move |_| pick(Some(l))>
                            <strong>{l.as_str()}</strong>" "{l.meaning()}
                        </button>
                    }).collect_view()}
                    <button type="button" class="secondary" on:click=move |_| pick(None)>"Clear"</button>
                    <button type="button" class="link" on:click=move |_| { picking.set(None); focus_cell(row, col); }>"Cancel"</button>
                </div>
            }
        })}
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

/// Adding activities and columns.
#[component]
fn Tools(work: RwSignal<Raci>, resolution: StoredValue<Resolution>) -> impl IntoView {
    let new_activity = RwSignal::new(String::new());
    let new_column = RwSignal::new(String::new());
    let add_activity = move || {
        let name = new_activity.get_untracked().trim().to_string();
        if name.is_empty() {
            return;
        }
        work.update(|r| {
            r.activities.push(Activity {
                name,
                ..Default::default()
            })
        });
        new_activity.set(String::new());
        let row = work.with_untracked(|r| r.activities.len() - 1);
        focus_cell(row, 1);
    };
    let choices = move || {
        let used = work.with(|r| r.columns.clone());
        let mut out: Vec<(String, String)> = FunctionalRole::ALL
            .into_iter()
            .map(|role| ColumnKey::Role(role).key())
            .filter(|k| !used.contains(k))
            .map(|k| {
                let l = resolution.with_value(|r| r.label(&k));
                (k, format!("Role: {l}"))
            })
            .collect();
        resolution.with_value(|r| {
            for p in &r.people {
                let key = ColumnKey::Person(p.id.0).key();
                if !used.contains(&key) {
                    out.push((key, p.name.clone()));
                }
            }
        });
        out
    };
    let columns = move || {
        let keys = work.with(|r| r.columns.clone());
        let count = keys.len();
        keys.into_iter()
            .enumerate()
            .map(|(i, key)| {
                let name = resolution.with_value(|r| r.label(&key));
                view! {
                    <li>
                        <span>{name.clone()}</span>" "
                        <button type="button" class="icon" aria-label=format!("Move {name} left") disabled=i == 0
                            on:click=move |_| work.update(|r| r.columns.swap(i, i - 1))>"◀"</button>
                        <button type="button" class="icon" aria-label=format!("Move {name} right") disabled={i + 1 == count}
                            on:click=move |_| work.update(|r| r.columns.swap(i, i + 1))>"▶"</button>
                        <button type="button" class="icon" aria-label=format!("Remove the column {name}")
                            on:click=move |_| work.update(|r| {
                                r.columns.retain(|c| *c != key);
                                for a in &mut r.activities {
                                    a.cells.remove(&key);
                                }
                            })>"✕"</button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="raci-columns" aria-labelledby="raci-columns-h">
            <h2 id="raci-columns-h">"Columns"</h2>
            <ol class="column-list">{columns}</ol>
        </section>
        <div class="raci-tools">
            <form class="inline-form" on:submit=move |ev| { ev.prevent_default(); add_activity(); }>
                <div class="field">
                    <label for="raci-new-activity">"New activity"</label>
                    <input id="raci-new-activity" type="text" maxlength="200"
                        prop:value=move || new_activity.get()
                        on:input=move |ev| new_activity.set(event_target_value(&ev)) />
                </div>
                <button type="submit">"Add activity"</button>
            </form>
            <form class="inline-form" on:submit=move |ev| {
                ev.prevent_default();
                let key = new_column.get_untracked();
                if !key.is_empty() {
                    work.update(|r| if !r.columns.contains(&key) { r.columns.push(key.clone()) });
                    new_column.set(String::new());
                }
            }>
                <div class="field">
                    <label for="raci-new-column">"Add a column"</label>
                    <select id="raci-new-column" prop:value=move || new_column.get()
                        on:change=move |ev| new_column.set(event_target_value(&ev))>
                        <option value="">"Choose a role or a person"</option>
                        {move || choices().into_iter().map(|(key, name)| view! { <option value=key>{name}</option> }).collect_view()}
                    </select>
                </div>
                <button type="submit">"Add column"</button>
            </form>
        </div>
    }
}
