//! The editor's tools below the grid: the columns in order (move, remove) and the forms that
//! add an activity or a column (a role, or a person).

use super::grid::focus_cell;
use crate::raci::model::{Activity, ColumnKey, Raci, Resolution};
use crate::team::FunctionalRole;
use leptos::prelude::*;

/// Adding activities and columns.
#[component]
pub(super) fn Tools(work: RwSignal<Raci>, resolution: StoredValue<Resolution>) -> impl IntoView {
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
