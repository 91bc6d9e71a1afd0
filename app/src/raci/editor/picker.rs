//! The two small dialogs a tap (or Enter) opens from the grid: the letter picker for one cell,
//! and a row's actions (move it, keep R and A separate, remove it). Escape closes either and
//! puts focus back on the grid.

use super::EditorState;
use super::grid::focus_cell;
use crate::raci::model::Letter;
use leptos::prelude::*;

/// A row's actions, while `row_menu` names a row.
#[component]
pub(super) fn RowActions(state: EditorState) -> impl IntoView {
    let EditorState {
        work,
        focus,
        row_menu,
        ..
    } = state;
    move || {
        row_menu.get().map(|row| {
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
        })
    }
}

/// The letter picker for one cell, while `picking` names a cell.
#[component]
pub(super) fn LetterPicker(state: EditorState) -> impl IntoView {
    let EditorState { work, picking, .. } = state;
    move || {
        picking.get().map(|(row, col)| {
            let what = work.with_untracked(|r| {
                let name = r.activities.get(row).map(|a| a.name.clone()).unwrap_or_default();
                let column = r.columns.get(col.wrapping_sub(1)).map(|k| state.label(k)).unwrap_or_default();
                format!("{name} — {column}")
            });
            let pick = move |letter: Option<Letter>| {
                picking.set(None);
                state.set_cell(row, col, letter);
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
        })
    }
}
