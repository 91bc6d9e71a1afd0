//! The matrix for readers: a plain table (row and column headers, each letter with its
//! meaning) in a region they scroll by keyboard; nothing in it can be changed.

use super::model::{Letter, Raci, Resolution};
use leptos::prelude::*;
use std::collections::BTreeMap;

#[component]
pub(super) fn RaciTable(
    #[prop(into)] raci: Signal<Raci>,
    /// Activities that cannot be saved, by row (marked as in the editor).
    problems: Memo<BTreeMap<usize, String>>,
    resolution: StoredValue<Resolution>,
) -> impl IntoView {
    let label = move |key: &str| resolution.with_value(|r| r.label(key));
    let shape = Memo::new(move |_| {
        raci.with(|r| {
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
        // Readers scroll the region itself.
        <div class="table-wrap raci-wrap" tabindex="0" role="region" aria-label="RACI matrix, scrollable">
            <table class="raci" aria-labelledby="raci-h" aria-describedby="raci-help">
                <thead>
                    <tr>
                        <th scope="col">"Activity"</th>
                        {move || raci.with(|r| r.columns.clone()).into_iter().map(|key| view! {
                            <th scope="col">{label(&key)}</th>
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        // Rows are rebuilt only when the shape changes (a newer version arrives);
                        // letters and errors update in place.
                        let (names, columns) = shape.get();
                        names.into_iter().enumerate().map(|(row, name)| {
                            let problem = move || problems.with(|p| p.get(&row).cloned());
                            let error_id = format!("raci-{row}-error");
                            let cell_views = columns.iter().map(|key| {
                                let letter = {
                                    let key = key.clone();
                                    Memo::new(move |_| raci.with(|r| r.activities.get(row).and_then(|a| a.cells.get(&key)).copied()))
                                };
                                let class = move || format!("cell {}", letter.get().map_or("", Letter::as_str));
                                view! {
                                    <td class=class>
                                        <abbr class="letter" title=move || letter.get().map_or("", Letter::meaning)>
                                            {move || letter.get().map_or("", Letter::as_str)}
                                        </abbr>
                                    </td>
                                }
                            }).collect_view();
                            view! {
                                <tr class:invalid=move || problem().is_some()>
                                    <th scope="row">
                                        <span class="name">{name}</span>
                                        {move || problem().map(|p| view! { <p class="field-error" id=error_id.clone()>{p}</p> })}
                                    </th>
                                    {cell_views}
                                </tr>
                            }
                        }).collect_view()
                    }}
                </tbody>
            </table>
        </div>
    }
}
