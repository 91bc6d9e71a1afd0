//! The editor's keyboard grid: a real table (row and column headers) with one tab stop.
//! Arrow keys, Home and End move between cells; R, A, C or I set a cell and Delete clears it;
//! Enter renames an activity, opens a cell's letter picker or a row's actions. A tap on a cell
//! opens its picker too.

use super::EditorState;
use crate::components::host;
use crate::raci::model::Letter;
use leptos::ev::KeyboardEvent;
use leptos::prelude::*;

/// The id of a grid cell: column 0 is the activity's name, the last its actions.
pub(super) fn cell_id(row: usize, col: usize) -> String {
    format!("raci-{row}-{col}")
}

/// Moves keyboard focus to a cell of the grid once it is on the page.
pub(super) fn focus_cell(row: usize, col: usize) {
    let id = cell_id(row, col);
    // Now, so the next key lands here; and again once a re-render has settled.
    host::focus_by_id(&id);
    host::next_frame(move || host::focus_by_id(&id));
}

impl EditorState {
    /// Moves the tab stop to a cell, kept inside the grid (the last column holds the actions).
    fn move_focus(self, row: i64, col: i64) {
        let (rows, cols) = self
            .work
            .with_untracked(|r| (r.activities.len() as i64, r.columns.len() as i64));
        if rows == 0 {
            return;
        }
        let row = row.clamp(0, rows - 1) as usize;
        let col = col.clamp(0, cols + 1) as usize;
        self.focus.set((row, col));
        focus_cell(row, col);
    }

    fn on_key(self, row: usize, col: usize, ev: KeyboardEvent) {
        let (r, c) = (row as i64, col as i64);
        let columns = self.work.with_untracked(|m| m.columns.len());
        let key = ev.key();
        let handled = match key.as_str() {
            "ArrowUp" => {
                self.move_focus(r - 1, c);
                true
            }
            "ArrowDown" => {
                self.move_focus(r + 1, c);
                true
            }
            "ArrowLeft" => {
                self.move_focus(r, c - 1);
                true
            }
            "ArrowRight" => {
                self.move_focus(r, c + 1);
                true
            }
            "Home" => {
                self.move_focus(r, 0);
                true
            }
            "End" => {
                self.move_focus(r, i64::MAX / 2);
                true
            }
            "Enter" | "F2" if col == 0 => {
                self.editing.set(Some(row));
                focus_cell(row, 0);
                true
            }
            "Enter" | " " if col > columns => {
                self.row_menu.set(Some(row));
                true
            }
            "Enter" | " " => {
                self.picking.set(Some((row, col)));
                true
            }
            "Delete" | "Backspace" if col > 0 && col <= columns => {
                self.set_cell(row, col, None);
                true
            }
            other if col > 0 && col <= columns => match Letter::parse(other) {
                Some(letter) => {
                    self.set_cell(row, col, Some(letter));
                    true
                }
                None => false,
            },
            _ => false,
        };
        if handled {
            ev.prevent_default();
        }
    }
}

#[component]
pub(super) fn Grid(state: EditorState) -> impl IntoView {
    let EditorState { work, editing, .. } = state;
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
    view! {
        // Editors reach the grid's cells by keyboard, so the region itself takes no tab stop.
        <div class="table-wrap raci-wrap" tabindex="-1">
            <table class="raci" aria-labelledby="raci-h" aria-describedby="raci-help">
                <thead>
                    <tr>
                        <th scope="col">"Activity"</th>
                        {move || work.with(|r| r.columns.clone()).into_iter().map(|key| view! {
                            <th scope="col">{state.label(&key)}</th>
                        }).collect_view()}
                        <th scope="col" class="row-tools"><span class="sr-only">"Row actions"</span></th>
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
                            grid_row(state, row, name, &columns, editing_row == Some(row))
                        }).collect_view()
                    }}
                </tbody>
            </table>
        </div>
    }
}

/// One activity: its name (a button, or a text box while renamed), a button per letter, and
/// its actions.
fn grid_row(
    state: EditorState,
    row: usize,
    name: String,
    columns: &[String],
    renaming: bool,
) -> impl IntoView + use<> {
    let EditorState {
        work,
        problems,
        focus,
        editing,
        row_menu,
        ..
    } = state;
    let problem = move || problems.with(|p| p.get(&row).cloned());
    let error_id = format!("raci-{row}-error");
    let name_cell = if renaming {
        let draft = RwSignal::new(name.clone());
        let commit = move || {
            let value = draft.get_untracked();
            editing.set(None);
            work.update(|r| {
                if let Some(a) = r.activities.get_mut(row) {
                    a.name = value.trim().to_string();
                }
            });
            focus_cell(row, 0);
        };
        view! {
            <input id=cell_id(row, 0) class="name-input" aria-label="Activity name"
                prop:value=move || draft.get()
                on:input=move |ev| draft.set(event_target_value(&ev))
                on:keydown=move |ev: KeyboardEvent| match ev.key().as_str() {
                    "Enter" => { ev.prevent_default(); commit(); }
                    "Escape" => { ev.prevent_default(); editing.set(None); focus_cell(row, 0); }
                    _ => {}
                }
                on:blur=move |_| if editing.get_untracked() == Some(row) { commit() }
            />
        }
        .into_any()
    } else {
        let described = error_id.clone();
        view! {
            <button type="button" id=cell_id(row, 0) class="name"
                tabindex=move || if focus.get() == (row, 0) { "0" } else { "-1" }
                aria-describedby=move || problem().is_some().then(|| described.clone())
                aria-invalid=move || problem().is_some().then_some("true")
                on:focus=move |_| focus.set((row, 0))
                on:keydown=move |ev| state.on_key(row, 0, ev)
                on:click=move |_| { editing.set(Some(row)); focus_cell(row, 0); }
            >{if name.is_empty() { "(unnamed)".to_string() } else { name.clone() }}</button>
        }
        .into_any()
    };
    let activity = if name.is_empty() {
        "Unnamed activity".to_string()
    } else {
        name.clone()
    };
    let cell_views = columns
        .iter()
        .enumerate()
        .map(|(i, key)| letter_cell(state, row, i + 1, key.clone(), activity.clone()))
        .collect_view();
    let actions_col = columns.len() + 1;
    let title = if name.is_empty() {
        "this activity".to_string()
    } else {
        name.clone()
    };
    view! {
        <tr class:invalid=move || problem().is_some()>
            <th scope="row">
                {name_cell}
                {move || problem().map(|p| view! { <p class="field-error" id=error_id.clone()>{p}</p> })}
            </th>
            {cell_views}
            <td class="row-tools">
                <button type="button" id=cell_id(row, actions_col) class="icon"
                    aria-label=format!("Actions for {title}") aria-haspopup="dialog"
                    tabindex=move || if focus.get() == (row, actions_col) { "0" } else { "-1" }
                    on:focus=move |_| focus.set((row, actions_col))
                    on:keydown=move |ev| state.on_key(row, actions_col, ev)
                    on:click=move |_| row_menu.set(Some(row))
                >"⋯"</button>
            </td>
        </tr>
    }
}

/// One cell's letter: a button that shows it (and its meaning to a screen reader), set by key
/// or by tap.
fn letter_cell(
    state: EditorState,
    row: usize,
    col: usize,
    key: String,
    activity: String,
) -> impl IntoView {
    let EditorState {
        work,
        focus,
        picking,
        ..
    } = state;
    let column = state.label(&key);
    let letter = Memo::new(move |_| {
        work.with(|r| {
            r.activities
                .get(row)
                .and_then(|a| a.cells.get(&key))
                .copied()
        })
    });
    let class = move || format!("cell {}", letter.get().map_or("", Letter::as_str));
    view! {
        <td class=class>
            <button type="button" id=cell_id(row, col) class="letter"
                aria-label=move || format!("{activity}, {column}: {}", letter.get().map_or("none", Letter::meaning))
                tabindex=move || if focus.get() == (row, col) { "0" } else { "-1" }
                on:focus=move |_| focus.set((row, col))
                on:keydown=move |ev| state.on_key(row, col, ev)
                on:click=move |_| picking.set(Some((row, col)))
            >{move || letter.get().map_or("·", Letter::as_str)}</button>
        </td>
    }
}
